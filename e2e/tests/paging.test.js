// End to end, in a real browser: the demo nurse, on a phone, pages "Cardiology on call"
// from her home page; the on-call cardiologist finds the page in her alert inbox and
// acknowledges it; the nurse's list of sent pages turns to "Acknowledged" by itself, with
// the timeline to show for it. Run through ../run.sh.

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
  RESULTS_DIR,
} from '../harness.js';

before(setUp, { timeout: 90_000 });
after(tearDown, { timeout: 30_000 });

/** The printed login of one demo account, by email prefix. */
function login(prefix) {
  const m = server.log().match(new RegExp(`login:\\s+\\S+\\s+(${prefix}\\S*)\\s+(\\S+)`));
  assert.ok(m, `no login line for ${prefix}\n${server.log()}`);
  return { email: m[1], password: m[2] };
}

test('a nurse pages cardiology on call and sees the physician acknowledge', { timeout: 120_000 }, async () => {
  const { base } = server;
  const nurseCtx = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const doctorCtx = await browser.newContext({ viewport: PHONE });
  const nurse = await nurseCtx.newPage();
  const doctor = await doctorCtx.newPage();
  try {
    const n = login('nurse.patel');
    await signIn(nurse, base, n.email, n.password);
    // "Page" is the first thing on a nurse's home.
    await nurse.waitForURL(`${base}/`);
    const first = nurse.locator('.cards article').first();
    assert.equal((await first.locator('header').textContent()).trim(), 'Page a physician');
    await first.getByRole('button', { name: 'Page' }).click();
    await nurse.waitForURL(`${base}/page`);
    await noHorizontalOverflow(nurse, '/page');

    // Fill the form with the keyboard-reachable, labelled controls.
    await nurse.getByLabel('To').selectOption({ label: 'Cardiology on call' });
    await nurse.getByLabel('Urgent: now').check();
    await nurse.getByLabel('Patient (room, initials or MRN)').fill('Bed 9');
    const message = `Bed 9 new chest pain, ECG on chart (synthetic) ${Date.now()}`;
    await nurse.getByLabel('Message').fill(message);
    await nurse.getByLabel('Call back at').fill('x4410');
    await nurse.getByLabel('Call back at').press('Enter');
    await nurse.waitForURL(/\/page\?sent=\d+/);
    const item = `#sent-pages li:has-text("${message}")`;
    await expectText(nurse, item, /Delivered to Dr\. Ada Okafor, not yet acknowledged/, 'after sending');

    // The on-call cardiologist sees who paged, about whom, and the callback; acknowledges.
    const d = login('dr.okafor');
    await signIn(doctor, base, d.email, d.password);
    await doctor.goto(`${base}/alerts`);
    const alert = doctor.locator(`li.alert-item:has-text("${message}")`);
    await expectText(doctor, `li.alert-item:has-text("${message}")`, /from Priya Patel, RN/, 'in the inbox');
    assert.match(await alert.textContent(), /Call back: x4410/);
    assert.match(await alert.textContent(), /Patient Bed 9/);
    await noHorizontalOverflow(doctor, '/alerts');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await doctor.waitForURL(`${base}/alerts`);

    // Without reloading, the nurse's list shows the acknowledgement.
    await expectText(nurse, item, /Acknowledged by Dr\. Ada Okafor/, 'after the physician acknowledged');
    await nurse.locator(item).getByRole('link', { name: 'Timeline' }).click();
    await expectText(nurse, '#timeline', /Acknowledged by Dr\. Ada Okafor/, 'the timeline');
    await expectText(nurse, '#timeline', /Received from Priya Patel, RN/, 'the timeline');
    await nurse.screenshot({ path: path.join(RESULTS_DIR, 'page-timeline.png'), fullPage: true });
  } finally {
    await nurseCtx.close();
    await doctorCtx.close();
  }
});
