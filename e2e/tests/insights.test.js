// End to end, in a real browser: the demo's well-being lead opens Insights on a phone and
// on a desktop; the trend and per-group charts render (SVG lines, points and bars, each
// figure with its group size or "suppressed"), the drivers, interventions and turnover
// pages load, nothing scrolls sideways at 375 px, and screenshots are saved to
// e2e/test-results/insights-*.png. A physician gets 403. Run through ../run.sh.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  server,
  browser,
  setUp,
  tearDown,
  expectText,
  noHorizontalOverflow,
  signIn,
  PHONE,
  STEP_TIMEOUT,
  RESULTS_DIR,
} from '../harness.js';

const TEST_TIMEOUT = 90_000;

// ---------------------------------------------------------------- the test

before(setUp, { timeout: 90_000 });
after(tearDown, { timeout: 30_000 });

async function chartStats(page, selector) {
  return page.locator(`${selector} svg`).first().evaluate((svg) => {
    const box = svg.getBoundingClientRect();
    return {
      width: box.width,
      height: box.height,
      lines: svg.querySelectorAll('polyline').length,
      points: svg.querySelectorAll('circle').length,
      bars: svg.querySelectorAll('rect[fill="#1d4ed8"]').length,
      suppressed: [...svg.querySelectorAll('text')].filter((t) => t.textContent === 'suppressed').length,
      sized: [...svg.querySelectorAll('text, title')].filter((t) => /n ≈ \d+/.test(t.textContent)).length,
    };
  });
}

test('the well-being lead sees the insights dashboard with working charts on a phone and a desktop', { timeout: TEST_TIMEOUT }, async () => {
  const { base, logins } = server;
  const lead = logins.wellbeing_lead;
  assert.ok(lead, `no "login: wellbeing_lead" line\n${server.log()}`);

  const phone = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  await signIn(page, base, lead.email, lead.password);
  await expectText(page, 'h1', /Welcome,/, 'after sign-in');
  await page.getByRole('link', { name: 'Insights', exact: true }).first().click();
  await expectText(page, 'h1', /Insights/, 'the dashboard');

  // The demo has two years of data: every summary card has a figure with its size.
  const cards = await page.locator('.stat p').allTextContents();
  assert.ok(cards.length >= 6, `summary cards: ${JSON.stringify(cards)}`);
  for (const c of cards) assert.match(c, /(n ≈ \d+|suppressed)/, `a card without its group size: ${c}`);

  const trend = await chartStats(page, '#trend-chart');
  assert.ok(trend.lines >= 3, `trend lines: ${JSON.stringify(trend)}`);
  assert.ok(trend.points >= 40, `trend points: ${JSON.stringify(trend)}`);
  assert.ok(trend.width > 300 && trend.width <= PHONE.width, `trend size on the phone: ${JSON.stringify(trend)}`);
  const bars = await chartStats(page, '#bars-chart');
  assert.ok(bars.bars + bars.suppressed >= 4, `bars: ${JSON.stringify(bars)}`);
  assert.ok(bars.sized >= bars.bars, `every bar states its size: ${JSON.stringify(bars)}`);
  for (const row of await page.locator('tbody tr').allTextContents()) {
    assert.match(row, /(≈ \d+|suppressed)/, `a table row without its group size: ${row}`);
  }
  await noHorizontalOverflow(page, '/insights');
  await page.screenshot({ path: path.join(RESULTS_DIR, 'insights-phone.png'), fullPage: true });

  // Another metric and grouping through the form.
  await page.locator('#metric').selectOption('driver:documentation');
  await page.locator('#group_by').selectOption('specialty');
  await page.getByRole('button', { name: 'Show' }).click();
  await expectText(page, '#trend-chart figcaption', /Driver: documentation/, 'after choosing a driver');
  const drivers = await chartStats(page, '#trend-chart');
  assert.ok(drivers.lines >= 2, `driver trend: ${JSON.stringify(drivers)}`);

  await page.goto(`${base}/insights/drivers`);
  await expectText(page, 'h2', /Emergency Department/, 'drivers by department');
  await expectText(page, 'td small', /organizational/, 'NAM levels');
  await noHorizontalOverflow(page, '/insights/drivers');
  await page.locator('section.unit').first().screenshot({ path: path.join(RESULTS_DIR, 'insights-drivers-phone.png') });

  await page.goto(`${base}/insights/interventions`);
  await expectText(page, 'article h2', /Scribes/, 'the registry');
  await expectText(page, 'dd', /durable|holding|early effect|fading|faded|no measurable effect/, 'a durability verdict');
  await noHorizontalOverflow(page, '/insights/interventions');

  await page.goto(`${base}/insights/turnover`);
  await expectText(page, '#turnover-results', /\$/, 'the calculator');
  await noHorizontalOverflow(page, '/insights/turnover');

  // Desktop.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const d = await desk.newPage();
  d.setDefaultTimeout(STEP_TIMEOUT);
  await signIn(d, base, lead.email, lead.password);
  await d.goto(`${base}/insights?metric=burnout&group_by=department`);
  const wide = await chartStats(d, '#trend-chart');
  assert.ok(wide.lines >= 3, `desktop trend: ${JSON.stringify(wide)}`);
  await d.screenshot({ path: path.join(RESULTS_DIR, 'insights-desktop.png'), fullPage: true });

  // A physician is refused.
  const other = await browser.newContext({ viewport: PHONE });
  const doc = await other.newPage();
  const physician = logins.physician;
  await signIn(doc, base, physician.email, physician.password);
  await expectText(doc, 'h1', /Welcome,/, 'physician sign-in');
  const res = await doc.goto(`${base}/insights`);
  assert.equal(res.status(), 403);
  await Promise.all([phone.close(), desk.close(), other.close()]);
});
