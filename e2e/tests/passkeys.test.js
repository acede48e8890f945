// Passkeys in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain,
// CTAP2, internal transport, resident keys, user verification) plays the person's device.
// A demo physician adds a passkey on the account page, signs out, signs in with it alone;
// signs in with the password and is asked for the passkey; a copy of the passkey with an
// older sign counter is refused; a deactivated account's passkey signs in to nothing;
// once removed, the passkey stops working and the password alone signs in.
//
// WebAuthn refuses IP addresses as a relying party id, so the browser uses
// http://localhost:<port> (a secure context in Chromium) rather than 127.0.0.1.

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

const TEST_TIMEOUT = 120_000;

before(setUp);
after(tearDown);

const localBase = () => server.base.replace('127.0.0.1', 'localhost');

/** A page whose browser holds a virtual platform authenticator. */
async function pageWithAuthenticator(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const credentials = async () =>
    (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  return { page, cdp, authenticatorId, credentials };
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${localBase()}/`);
}

async function passkeySignIn(page) {
  await page.goto(`${localBase()}/signin`);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
}

/** What an administrator does over the API: sign in, then call with the session's token. */
async function asAdmin(method, apiPath) {
  const admin = server.logins.org_admin;
  const signedIn = await fetch(`${localBase()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  });
  assert.equal(signedIn.status, 200, 'the demo admin signs in');
  const cookie = signedIn.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await signedIn.json();
  const r = await fetch(`${localBase()}${apiPath}`, {
    method,
    headers: { Cookie: cookie, 'X-CSRF-Token': csrf },
  });
  assert.equal(r.status, 204, `${method} ${apiPath}: ${await r.text()}`);
}

test('a passkey signs in alone and as the second step, until it is removed', { timeout: TEST_TIMEOUT }, async (t) => {
  const physician = server.logins.physician;
  assert.ok(physician, `the demo printed the physician's login: ${JSON.stringify(server.logins)}`);
  const context = await browser.newContext({ viewport: PHONE });
  const { page, cdp, authenticatorId, credentials } = await pageWithAuthenticator(context);
  t.after(async () => {
    await page.screenshot({ path: path.join(RESULTS_DIR, 'passkeys-last.png'), fullPage: true }).catch(() => {});
    await context.close();
  });

  // Add a passkey on the account page.
  await signIn(page, localBase(), physician.email, physician.password);
  await page.waitForURL(`${localBase()}/`);
  const me = await page.locator('body').getAttribute('data-me');
  await page.goto(`${localBase()}/account`);
  await noHorizontalOverflow(page, 'account page');
  await page.getByLabel('Name for the new passkey').fill('work laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expectText(page, '#passkey-list', /work laptop/, 'the new passkey is listed');
  await expectText(page, '#passkey-list', /never/, 'not used yet');
  await noHorizontalOverflow(page, 'account page with a passkey');
  await page.screenshot({ path: path.join(RESULTS_DIR, 'passkeys-account.png'), fullPage: true });
  const [stored] = await credentials();
  assert.equal(stored.isResidentCredential, true, 'the passkey is discoverable (kept on the device)');

  // Passwordless: no email, no password.
  await signOut(page);
  await page.goto(`${localBase()}/signin`);
  await noHorizontalOverflow(page, 'sign-in page');
  await passkeySignIn(page);
  await page.waitForURL(`${localBase()}/`);
  assert.equal(await page.locator('body').getAttribute('data-me'), me, 'signed in as its owner');
  await page.goto(`${localBase()}/account`);
  await expectText(page, '#passkey-list li', /work laptop/, 'listed after use');
  const lastUsed = await page.locator('#passkey-list .passkey-last-used').textContent();
  assert.notEqual(lastUsed.trim(), 'never', 'the sign-in shows as its last use');

  // A password sign-in now asks for the passkey as the second step.
  await signOut(page);
  await signIn(page, localBase(), physician.email, physician.password);
  await page.waitForURL(/\/signin\/mfa/);
  await expectText(page, 'h1', /Second step/, 'the second step is asked for');
  await noHorizontalOverflow(page, 'second step');
  await page.getByRole('button', { name: 'Use my passkey' }).click();
  await page.waitForURL(`${localBase()}/`);
  assert.equal(await page.locator('body').getAttribute('data-me'), me, 'signed in after both steps');

  // A copy of the passkey that has signed fewer times than Huddle has seen: refused.
  await signOut(page);
  const [used] = await credentials();
  assert.ok(used.signCount >= 2, `the authenticator counted its signatures (${used.signCount})`);
  await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: used.credentialId });
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...used, signCount: 0 } });
  await passkeySignIn(page);
  await expectText(page, '#passkey-status', /may have been copied/, 'a cloned passkey is refused');
  assert.match(page.url(), /\/signin$/, 'still signed out');
  // The real device's count moves on past what Huddle saw.
  await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: used.credentialId });
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...used, signCount: used.signCount + 10 } });

  // A deactivated account's passkey opens nothing; reactivated, it works again.
  await asAdmin('POST', `/api/v1/users/${me}/deactivate`);
  await passkeySignIn(page);
  await expectText(page, '#passkey-status', /cannot sign in here/, 'a deactivated account is refused');
  assert.match(page.url(), /\/signin$/, 'still signed out');
  await asAdmin('POST', `/api/v1/users/${me}/reactivate`);
  await passkeySignIn(page);
  await page.waitForURL(`${localBase()}/`);

  // Removing it: the page says the password alone signs in now; the passkey stops working.
  await page.goto(`${localBase()}/account`);
  await page.getByRole('button', { name: 'Remove passkey work laptop' }).click();
  await expectText(page, '[role=status]', /only second step/, 'says it was the last second step');
  await expectText(page, '#passkeys-none', /No passkey yet/, 'the list is empty');
  await signOut(page);
  await passkeySignIn(page);
  await expectText(page, '#passkey-status', /cannot sign in here/, 'a removed passkey is refused');
  await signIn(page, localBase(), physician.email, physician.password);
  await page.waitForURL(`${localBase()}/`);
});

test('a browser without WebAuthn is told so', { timeout: TEST_TIMEOUT }, async (t) => {
  const context = await browser.newContext({ viewport: PHONE });
  t.after(() => context.close());
  await context.addInitScript(() => { delete window.PublicKeyCredential; });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  await page.goto(`${localBase()}/signin`);
  await expectText(page, '#passkey-status', /cannot use passkeys/, 'the sign-in page says so');
  assert.equal(await page.getByRole('button', { name: 'Sign in with a passkey' }).isVisible(), false);
  await noHorizontalOverflow(page, 'sign-in page');
});
