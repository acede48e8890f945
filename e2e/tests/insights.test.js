// End to end, in a real browser: the demo's well-being lead opens Insights on a phone and
// on a desktop; the trend and per-group charts render (SVG lines, points and bars, each
// figure with its group size or "suppressed"), the drivers, interventions and turnover
// pages load, nothing scrolls sideways at 375 px, and screenshots are saved to
// e2e/test-results/insights-*.png. A physician gets 403. Run through ../run.sh.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HUDDLE_BIN = path.resolve(process.env.HUDDLE_BIN ?? path.join(E2E_DIR, '..', 'target', 'debug', 'huddle'));
const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const RESULTS_DIR = path.join(E2E_DIR, 'test-results');

const PHONE = { width: 375, height: 812 };
const STEP_TIMEOUT = 15_000; // any single wait in the browser
const TEST_TIMEOUT = 90_000;

// ---------------------------------------------------------------- the server

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let server; // { child, base, logins, dataDir, log() }
let browser;

function killServerSync() {
  if (server?.child && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
  }
}
// Whatever happens to this process, never leave a huddle server behind.
process.on('exit', killServerSync);

// huddle reads every HUDDLE_* variable as a config override (HUDDLE_SECTION__KEY) and
// refuses unknown ones such as our own HUDDLE_BIN; a developer's HUDDLE_DATABASE__URL
// would also steer the demo away from its fresh data dir. The server gets none of them.
function serverEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HUDDLE_')));
}

async function startHuddle() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'huddle-e2e-'));
  const port = await freePort();
  const child = spawn(HUDDLE_BIN, ['demo', '--data', dataDir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const spawnFailed = new Promise((_, reject) => child.once('error', reject));
  spawnFailed.catch(() => {}); // raced below while starting; never an unhandled rejection later
  const log = () => `--- huddle stdout ---\n${stdout}\n--- huddle stderr (tail) ---\n${stderr.slice(-4000)}`;
  const base = `http://127.0.0.1:${port}`;
  server = { child, base, dataDir, exited, log, logins: {} };

  const parseLogins = () => {
    const logins = {};
    for (const line of stdout.split('\n')) {
      const m = line.trim().match(/^login:\s+(\S+)\s+(\S+)\s+(\S+)$/);
      if (m) logins[m[1]] = { email: m[2], password: m[3] };
    }
    return logins;
  };

  const deadline = Date.now() + 30_000;
  let healthy = false;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`huddle demo exited early (${child.exitCode ?? child.signalCode})\n${log()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`huddle demo was not ready within 30 s (healthz ok: ${healthy})\n${log()}`);
    }
    if (!healthy) {
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
        healthy = res.ok && (await res.text()).trim() === 'ok';
      } catch {
        // not listening yet
      }
    }
    // The login lines come after seeding, which finishes after the server starts listening.
    server.logins = parseLogins();
    if (healthy && server.logins.wellbeing_lead) break;
    await Promise.race([sleep(200), spawnFailed]);
  }
  return server;
}

async function stopHuddle() {
  if (!server) return;
  const { child, exited, dataDir } = server;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const done = await Promise.race([exited, sleep(10_000).then(() => null)]);
    if (!done) {
      console.error('huddle did not stop within 10 s of SIGTERM; killing it');
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(5_000)]);
    }
  }
  await rm(dataDir, { recursive: true, force: true }).catch(() => {});
}

async function closeBrowser() {
  if (!browser) return;
  const b = browser;
  browser = undefined;
  await Promise.race([b.close().catch(() => {}), sleep(10_000)]);
}

// ---------------------------------------------------------------- page helpers

/** Waits for `selector` to contain text matching `re`; on failure says where the page was. */
async function expectText(page, selector, re, what) {
  const loc = page.locator(selector).filter({ hasText: re }).first();
  try {
    await loc.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  } catch (e) {
    const alert = await page.locator('[role=alert]').allTextContents().catch(() => []);
    const seen = await page.locator(selector).allTextContents().catch(() => []);
    const main = ((await page.locator('main').textContent({ timeout: 1_000 }).catch(() => '')) ?? '')
      .replace(/\s+/g, ' ')
      .slice(0, 600);
    throw new Error(
      `${what}: expected ${selector} to match ${re} at ${page.url()}\n` +
        `  ${selector} texts: ${JSON.stringify(seen)}\n  alerts: ${JSON.stringify(alert)}\n  main: ${main}\n` +
        `  (${e.message.split('\n')[0]})`,
    );
  }
  return (await loc.textContent()).replace(/\s+/g, ' ').trim();
}

async function noHorizontalOverflow(page, where) {
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(
    m.scrollWidth <= PHONE.width,
    `${where}: the page is wider than the phone (${JSON.stringify(m)}, phone width ${PHONE.width})`,
  );
}

async function signIn(page, base, email, password) {
  await page.goto(`${base}/signin`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

// ---------------------------------------------------------------- the test

before(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  await startHuddle();
  browser = await chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, { timeout: 90_000 });

after(async () => {
  await closeBrowser();
  await stopHuddle();
}, { timeout: 30_000 });

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
