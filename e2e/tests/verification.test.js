// End to end, in a real browser: a new physician joins by invitation on a phone, turns on two-step
// sign-in, signs in again with password and code, files a verification request; the demo
// verifier approves it; the physician then sees "verified". Run through ../run.sh.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  server,
  browser,
  setUp,
  joinByInvitation,
  tearDown,
  expectText,
  noHorizontalOverflow,
  signIn,
  PHONE,
  STEP_TIMEOUT,
  RESULTS_DIR,
} from '../harness.js';

const TEST_TIMEOUT = 120_000; // the whole flow, including up to 30 s waiting for a fresh TOTP step

// ---------------------------------------------------------------- TOTP (RFC 6238 / 4226)

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${JSON.stringify(ch)} in the MFA secret`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

const TOTP_STEP = 30;
const stepAt = (ms = Date.now()) => Math.floor(ms / 1000 / TOTP_STEP);

function totp(secretB32, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretB32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

// The RFC 6238 appendix test vector (SHA-1, "12345678901234567890", T = 59 s -> 94287082),
// cut to six digits: keeps the helper honest before the server ever sees a code.
test('TOTP helper matches the RFC 6238 test vector', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"
  assert.equal(totp(secret, Math.floor(59 / 30)), '287082');
  assert.equal(totp(secret, Math.floor(1111111109 / 30)), '081804');
});

// ---------------------------------------------------------------- the test

before(() => setUp({ mail: true }), { timeout: 90_000 });
after(tearDown, { timeout: 30_000 });


test(
  'a new physician joins by invitation on a phone, turns on two-step sign-in, is approved by the verifier and sees "verified"',
  { timeout: TEST_TIMEOUT },
  async () => {
    const { base, logins } = server;
    const verifierLogin = logins.verifier;
    assert.ok(verifierLogin, `no "login: verifier" line in huddle's output\n${server.log()}`);

    const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const physician = {
      name: `Dr. Lena Ortiz ${suffix}`,
      email: `lena.ortiz.${suffix}@example.test`,
      password: `e2e-pass-${randomBytes(8).toString('hex')}`,
    };

    // ---- the physician, on a phone
    const phone = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const doc = await phone.newPage();
    doc.setDefaultTimeout(STEP_TIMEOUT);
    doc.setDefaultNavigationTimeout(STEP_TIMEOUT);

    // Invited by the organization's admin; joins from the link in the mail, on the phone.
    await joinByInvitation(doc, physician);
    assert.equal(await expectText(doc, 'h1', /Welcome,/, 'after joining'), `Welcome, ${physician.name}`);

    // Turn on two-step sign-in with a code computed from the shown secret.
    await doc.goto(`${base}/account/mfa`);
    const secret = (await doc.locator('#mfa-secret').textContent()).trim();
    assert.match(secret, /^[A-Z2-7]+=*$/, 'the MFA secret should be base32');
    const enrolStep = stepAt();
    await doc.locator('#code').fill(totp(secret, enrolStep));
    await doc.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await expectText(doc, '#mfa-status', /Two-step sign-in is on/, 'after turning on two-step sign-in');

    // Sign out: the nav offers "Sign in" again.
    await doc.getByRole('button', { name: 'Sign out' }).click();
    await expectText(doc, 'nav', /Sign in/, 'after signing out');
    assert.equal(await doc.getByRole('button', { name: 'Sign out' }).count(), 0, 'still signed in after "Sign out"');

    // A code is never accepted twice: wait for the next 30-s step, as a person would.
    while (stepAt() <= enrolStep) await sleep(250);

    // Sign in again: password, then the code.
    await signIn(doc, base, physician.email, physician.password);
    await doc.waitForURL(/\/signin\/mfa/);
    await doc.locator('#code').fill(totp(secret, stepAt()));
    await doc.getByRole('button', { name: 'Continue' }).click();
    assert.equal(
      await expectText(doc, 'h1', /Welcome,/, 'after the two-step sign-in'),
      `Welcome, ${physician.name}`,
    );

    // Submit verification: NPI hint (htmx), then status "pending".
    await doc.goto(`${base}/verification`);
    assert.equal(await expectText(doc, '#verification-status', /\S/, 'before submitting'), 'unverified');
    await noHorizontalOverflow(doc, '/verification before submitting');
    await doc.locator('#npi').fill('1234567893');
    await expectText(doc, '#npi-check', /Well-formed NPI/, 'the live NPI hint');
    await doc.locator('#license_state').selectOption('MA');
    await doc.locator('#license_number').fill('MD-55501');
    await doc.locator('#specialty_code').selectOption('207RC0000X');
    await doc.getByRole('button', { name: 'Submit for verification' }).click();
    assert.equal(
      await expectText(doc, '#verification-status', /^\s*pending\s*$/, 'after submitting verification'),
      'pending',
    );
    await noHorizontalOverflow(doc, '/verification while pending');

    // ---- the demo verifier, in a separate (desktop-sized) context
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const ver = await desk.newPage();
    ver.setDefaultTimeout(STEP_TIMEOUT);
    ver.setDefaultNavigationTimeout(STEP_TIMEOUT);
    await signIn(ver, base, verifierLogin.email, verifierLogin.password);
    await expectText(ver, 'h1', /Welcome,/, 'verifier after sign-in');
    await ver.goto(`${base}/verifier`);
    const request = ver.locator('article[id^="request-"]', { hasText: physician.email });
    await expectText(ver, 'article[id^="request-"]', new RegExp(physician.email.replace(/\./g, '\\.')), 'the verifier queue');
    assert.equal(await request.count(), 1, 'exactly one queued request for the new physician');
    await request.getByRole('textbox').fill('NPI, licence and specialty checked (e2e)');
    await request.getByRole('button', { name: 'Approve' }).click();
    await expectText(ver, 'main', /Approved\./, 'after approving');
    assert.equal(await request.count(), 0, 'the approved request should leave the queue');
    await desk.close();

    // ---- the physician loads /verification again (a fresh GET: reloading the page the
    // form POST rendered would submit the form again) and is verified
    await doc.goto(`${base}/verification`);
    assert.equal(
      await expectText(doc, '#verification-status', /^\s*verified\s*$/, 'after approval'),
      'verified',
    );
    await noHorizontalOverflow(doc, '/verification when verified');
    await doc.screenshot({ path: path.join(RESULTS_DIR, 'verified.png'), fullPage: true });
    await phone.close();
  },
);

test(
  'a clinician whose answers show thoughts of self-harm sees crisis help first',
  { timeout: TEST_TIMEOUT },
  async () => {
    const { base, logins } = server;
    assert.ok(logins.clinician, `no clinician login printed\n${server.log()}`);
    const context = await browser.newContext({ viewport: PHONE });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT);
      await signIn(page, base, logins.clinician.email, logins.clinician.password);
      await page.waitForURL(`${base}/`);
      await page.goto(`${base}/wellbeing`);
      await page.getByRole('button', { name: /Start a check-in/ }).click();
      // Every step answered with its first option, except a positive PHQ-2 ("More than half
      // the days") and PHQ-9 item 9 ("Several days").
      const seen = [];
      for (let i = 0; i < 10 && !page.url().endsWith('/results'); i++) {
        const instrument = page.url().split('/').pop();
        seen.push(instrument);
        const fieldsets = page.locator('fieldset');
        const n = await fieldsets.count();
        assert.ok(n > 0, `no questions on ${page.url()}`);
        for (let f = 0; f < n; f++) {
          const radios = fieldsets.nth(f).locator('input[type=radio]');
          const name = await radios.first().getAttribute('name');
          let pick = 0;
          if (instrument === 'phq-2') pick = 2;
          if (name === 'phq9-9') pick = 1;
          await radios.nth(pick).check();
        }
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForLoadState('load');
      }
      assert.deepEqual(seen, ['burnout-single-item', 'phq-2', 'gad-2', 'work-pulse', 'phq-9']);
      assert.match(page.url(), /\/results$/);
      const crisis = await expectText(page, '#crisis-help', /988/, 'crisis help');
      assert.match(crisis, /1-888-409-0141/);
      const crisisBox = await page.locator('#crisis-help').boundingBox();
      const resultsBox = await page.locator('#results-heading').boundingBox();
      assert.ok(crisisBox.y < resultsBox.y, 'crisis help comes before the results');
      assert.ok(crisisBox.y < PHONE.height, 'crisis help is on the first screen of a phone');
      await noHorizontalOverflow(page, 'check-in results');
      await page.screenshot({ path: path.join(RESULTS_DIR, 'crisis.png') });
    } finally {
      await context.close();
    }
  },
);

test(
  'two colleagues exchange messages live in two browsers',
  { timeout: TEST_TIMEOUT },
  async () => {
    const { base, logins } = server;
    const doctor = await browser.newContext({ viewport: PHONE });
    const nurse = await browser.newContext({ viewport: PHONE });
    try {
      const a = await doctor.newPage();
      const b = await nurse.newPage();
      a.setDefaultTimeout(STEP_TIMEOUT);
      b.setDefaultTimeout(STEP_TIMEOUT);
      // The demo physician with the Cardiology department, and the demo nurse.
      const physician = Object.entries(server.logins).find(([role]) => role === 'physician')[1];
      await signIn(a, base, physician.email, physician.password);
      await a.waitForURL(`${base}/`);
      await signIn(b, base, logins.clinician.email, logins.clinician.password);
      await b.waitForURL(`${base}/`);

      // The physician starts a direct conversation with the nurse.
      await a.goto(`${base}/messages`);
      await a.getByLabel('Priya Patel, RN').check();
      await a.getByRole('button', { name: 'Start' }).click();
      await a.waitForURL(/\/messages\/\d+$/);
      const conversationUrl = a.url();

      // The nurse opens it from her inbox, then waits: no reloads from here on.
      await b.goto(`${base}/messages`);
      await b.locator('#inbox a').first().click();
      await b.waitForURL(conversationUrl);

      await a.locator('#body').fill('Bed 12 potassium is 6.1, can you redraw?');
      await a.getByRole('button', { name: 'Send' }).click();
      await expectText(b, '#messages li', /potassium is 6\.1/, 'the nurse sees the message live');

      await b.locator('#body').fill('Redrawing now.');
      await b.getByRole('button', { name: 'Send' }).click();
      await expectText(a, '#messages li', /Redrawing now/, 'the physician sees the reply live');
      await noHorizontalOverflow(a, 'conversation');
      await a.screenshot({ path: path.join(RESULTS_DIR, 'conversation.png') });
    } finally {
      await doctor.close();
      await nurse.close();
    }
  },
);

test(
  'a critical result interrupts the on-call physician with a live banner, and the answer sticks',
  { timeout: TEST_TIMEOUT },
  async () => {
    const { base, logins } = server;
    const doctor = await browser.newContext({ viewport: PHONE });
    const nurse = await browser.newContext({ viewport: PHONE });
    try {
      const a = await doctor.newPage();
      const b = await nurse.newPage();
      a.setDefaultTimeout(STEP_TIMEOUT);
      b.setDefaultTimeout(STEP_TIMEOUT);
      // The demo schedule puts the first demo physician on call for cardiology.
      await signIn(a, base, 'dr.okafor@demo.huddle.test', 'demo-physician-okafor');
      await a.waitForURL(`${base}/`);
      await a.goto(`${base}/messages`);
      await signIn(b, base, logins.clinician.email, logins.clinician.password);
      await b.waitForURL(`${base}/`);

      // The demo lab's feed sends a critical result for cardiology on call, with the
      // integration credential Huddle printed at start (people page; machines use feeds).
      const feed = server.log().match(/^feed: .* (hki_\S+)$/m);
      assert.ok(feed, `no "feed:" line in huddle's output\n${server.log()}`);
      const created = await (async () => {
        const r = await fetch(`${base}/api/v1/alerts`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${feed[1]}` },
          body: JSON.stringify({
            source: 'lab', source_id: 'E2E-1', category: 'critical_lab', priority: 'urgent',
            service: 'cardiology', recipient: 'oncall:cardiology', patient: 'SYN-E2E',
            text: 'Troponin 2.4 ng/mL (synthetic)',
          }),
        });
        return { status: r.status, body: await r.json() };
      })();
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.delivery, 'interrupt');

      // On whatever page she is, the physician gets the banner without a reload.
      await expectText(a, '#alert-banner', /Troponin 2\.4/, 'the live alert banner');
      await a.getByRole('link', { name: 'Open alerts' }).click();
      await a.waitForURL(`${base}/alerts`);
      await expectText(a, '#alerts', /always interrupts/, 'the reason, under "Why now?"');
      await noHorizontalOverflow(a, 'alerts');
      await a.screenshot({ path: path.join(RESULTS_DIR, 'alerts.png') });
      await a.getByRole('button', { name: 'Acted' }).first().click();
      await a.waitForURL(`${base}/alerts`);
      await expectText(a, '#alerts', /acted/, 'the answer is recorded');
    } finally {
      await doctor.close();
      await nurse.close();
    }
  },
);

test(
  'the lounge: a case with a patient name and an MRN is flagged, fixed and published; a colleague answers and the author accepts; others are refused',
  { timeout: TEST_TIMEOUT },
  async () => {
    const { base, logins } = server;
    const authorCtx = await browser.newContext({ viewport: PHONE });
    const colleagueCtx = await browser.newContext({ viewport: PHONE });
    const outsiderCtx = await browser.newContext({ viewport: PHONE });
    try {
      const a = await authorCtx.newPage();
      const b = await colleagueCtx.newPage();
      const c = await outsiderCtx.newPage();
      for (const p of [a, b, c]) p.setDefaultTimeout(STEP_TIMEOUT);
      await signIn(a, base, 'dr.okafor@demo.huddle.test', 'demo-physician-okafor');
      await a.waitForURL(`${base}/`);
      await signIn(b, base, 'dr.reyes@demo.huddle.test', 'demo-physician-reyes');
      await b.waitForURL(`${base}/`);

      // The author drafts a case; the guard marks the name and the record number as she types.
      await a.goto(`${base}/lounge/new?space=cardiology`);
      await a.locator('#c-kind').selectOption('case');
      await a.locator('#c-title').fill('Syncope in a young athlete');
      await a.locator('#c-context').fill('Patient Jordan Whitfield, MRN 48213377, collapsed during a match.');
      await a.locator('#c-question').fill('What would you order next?');
      await expectText(a, '.phi-preview mark', /Jordan Whitfield/, 'the patient name is flagged');
      await expectText(a, '.phi-preview mark', /48213377/, 'the MRN is flagged');
      await a.screenshot({ path: path.join(RESULTS_DIR, 'lounge-flagged.png') });

      // Publishing as is is refused by the server, with the spans marked again.
      await a.getByRole('button', { name: 'Publish' }).click();
      await expectText(a, '[role=alert]', /may identify a patient/, 'the server blocks the draft');

      // She removes them; the guard clears, and the case publishes.
      await a.locator('#c-context').fill('A man in his 20s collapsed during a match; ECG at rest was normal.');
      await expectText(a, '.phi-preview', /No patient identifiers found/, 'the draft is clean');
      await a.getByRole('button', { name: 'Publish' }).click();
      await a.waitForURL(/\/lounge\/threads\/\d+$/);
      const threadUrl = a.url();
      await expectText(a, 'article.post', /in his 20s/, 'the case is published');
      await noHorizontalOverflow(a, 'lounge thread');

      // A colleague in emergency medicine answers; the author sees it arrive without reloading.
      await b.goto(threadUrl);
      await b.locator('#reply-body').fill('I would get an echocardiogram and an exercise test before return to play.');
      await b.getByRole('button', { name: 'Post reply' }).click();
      await expectText(b, 'article.post', /echocardiogram/, 'the reply is posted');
      await expectText(a, 'article.post', /echocardiogram/, 'the author sees the reply live');

      // The author accepts the answer.
      await a.reload();
      await a.getByRole('button', { name: 'Accept this answer' }).click();
      await expectText(a, 'article.post.accepted', /echocardiogram/, 'the answer is accepted');
      await a.screenshot({ path: path.join(RESULTS_DIR, 'lounge-accepted.png') });

      // An org admin is refused, and so is a physician who is not verified yet.
      await signIn(c, base, logins.org_admin.email, logins.org_admin.password);
      await c.waitForURL(`${base}/`);
      let r = await c.goto(`${base}/lounge`);
      assert.equal(r.status(), 403, 'the org admin is refused');
      r = await c.goto(threadUrl);
      assert.equal(r.status(), 403, 'the org admin cannot open a thread');
      await c.context().clearCookies();
      const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
      await joinByInvitation(c, {
        name: `Dr. New ${suffix}`,
        email: `new.${suffix}@example.test`,
        password: `e2e-pass-${randomBytes(8).toString('hex')}`,
      });
      r = await c.goto(`${base}/lounge`);
      assert.equal(r.status(), 403, 'an unverified physician is refused');
      await expectText(c, 'main', /verified physicians only/, 'the refusal says why');
    } finally {
      await authorCtx.close();
      await colleagueCtx.close();
      await outsiderCtx.close();
    }
  },
);
