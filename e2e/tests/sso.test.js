// Single sign-on end to end, in Chromium, against a real OpenID provider (npm
// `oidc-provider`, started here; see ../peers/oidc-provider.mjs): the demo organization's
// admin connects it on the admin page; a person of the demo domain with no Huddle account
// signs in through the provider and lands in Huddle with a just-in-time account in the
// organization; once the organization is SSO-only, a member's password sign-in is refused;
// an ID token altered between the provider and Huddle is refused and opens no session, and
// so is a way back from the provider opened in a browser that did not start the sign-in;
// a member the organization deactivated is refused though the provider still knows them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
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
import { startProvider, tamperIdToken } from '../peers/oidc-provider.mjs';

let provider;

before(async () => {
  await setUp();
  provider = await startProvider({ redirectUri: `${server.base}/auth/sso/callback` });
});

after(async () => {
  await provider?.close();
  await tearDown();
});

/** Who the page's session belongs to: /api/v1/me through the page's own cookies. */
async function me(page) {
  return page.evaluate(async () => {
    const r = await fetch('/api/v1/me');
    return { status: r.status, body: r.ok ? await r.json() : null };
  });
}

const backInHuddle = (u) => u.origin === server.base && u.pathname !== '/auth/sso';

/**
 * "Sign in with your organization" as `email`, through the provider's own sign-in form
 * (any login; the login is the address). A browser the provider already knows goes
 * straight back to Huddle.
 */
async function signInThroughProvider(page, email) {
  await page.goto(`${server.base}/signin`);
  await page.locator('#sso-email').fill(email);
  await page.getByRole('button', { name: 'Sign in with your organization' }).click();
  const atLogin = (u) => u.origin === provider.issuer && u.pathname.startsWith('/interaction');
  await page.waitForURL((u) => atLogin(u) || backInHuddle(u), { timeout: STEP_TIMEOUT });
  if (atLogin(new URL(page.url()))) {
    const login = page.locator('input[name=login]');
    await login.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await login.fill(email);
    await page.locator('input[name=password]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    // Back from the provider: Huddle's callback, then wherever it sends the browser.
    await page.waitForURL(backInHuddle, { timeout: STEP_TIMEOUT });
  }
  await page.waitForLoadState('load');
}

test('the tamper helper changes the payload and keeps the signature', () => {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${enc({ alg: 'RS256' })}.${enc({ email: 'a@x.test' })}.c2ln`;
  const forged = tamperIdToken(token, 'b@x.test').split('.');
  assert.equal(JSON.parse(Buffer.from(forged[1], 'base64url')).email, 'b@x.test');
  assert.equal(forged[2], 'c2ln');
});

test(
  'an org admin connects the provider; a new person signs in through it; SSO-only refuses passwords; a tampered ID token and a way back from another browser are refused',
  { timeout: 150_000 },
  async () => {
    const { base, logins } = server;
    const adminCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const personCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const memberCtx = await browser.newContext();
    const attackedCtx = await browser.newContext();
    try {
      // The demo organization's admin connects its provider on the admin page, from the
      // link on the administration page.
      const admin = await adminCtx.newPage();
      await signIn(admin, base, logins.org_admin.email, logins.org_admin.password);
      await admin.waitForURL(`${base}/`);
      await admin.goto(`${base}/admin`);
      await admin.getByRole('link', { name: /Single sign-on/ }).click();
      await expectText(admin, 'h1', /Single sign-on/, 'the SSO admin page');
      const redirect = await admin.locator('#redirect-uri').textContent();
      assert.equal(redirect, `${base}/auth/sso/callback`, 'the redirect URI to register');
      await admin.getByLabel(/Issuer/).fill(provider.issuer);
      await admin.getByLabel('Client id').fill(provider.clientId);
      await admin.getByLabel(/Client secret/).fill(provider.clientSecret);
      await admin.getByLabel(/email domains/).fill('demo.huddle.test');
      await admin.getByRole('button', { name: 'Save single sign-on' }).click();
      await expectText(admin, '[role=status]', /Saved/, 'the settings are saved');
      await expectText(admin, 'label', /saved; leave empty to keep it/, 'the secret is kept, not shown');
      assert.equal(await admin.getByLabel(/Client secret/).inputValue(), '', 'the secret is never shown again');
      await noHorizontalOverflow(admin, 'the SSO admin page');
      await admin.screenshot({ path: path.join(RESULTS_DIR, 'sso-admin.png') });

      // A person of the demo domain, unknown to Huddle, signs in through the provider.
      const person = await personCtx.newPage();
      const email = `new.${randomBytes(4).toString('hex')}@demo.huddle.test`;
      await signInThroughProvider(person, email);
      assert.equal(new URL(person.url()).pathname, '/', `lands home: ${person.url()}`);
      const who = await me(person);
      assert.equal(who.status, 200, 'signed in');
      assert.equal(who.body.email, email);
      const adminMe = await me(admin);
      assert.equal(who.body.organization_id, adminMe.body.organization_id, 'a member of the demo organization');
      assert.deepEqual(who.body.roles, [], 'a plain member, no roles');
      await noHorizontalOverflow(person, 'home after single sign-on');
      await person.screenshot({ path: path.join(RESULTS_DIR, 'sso-signed-in.png') });
      // The account is listed among the organization's members.
      await admin.goto(`${base}/admin`);
      await expectText(admin, 'main', new RegExp(email.replace(/[.]/g, '\\.')), 'the new member is listed');

      // The organization goes SSO-only: a member's right password is refused, saying why.
      await admin.goto(`${base}/admin/sso`);
      await admin.getByLabel(/Single sign-on only/).check();
      await admin.getByRole('button', { name: 'Save single sign-on' }).click();
      await expectText(admin, '[role=status]', /Saved/, 'SSO-only is saved');
      const member = await memberCtx.newPage();
      await signIn(member, base, logins.clinician.email, logins.clinician.password);
      await expectText(member, '[role=alert]', /single sign-on/, 'the password sign-in is refused');
      assert.equal((await me(member)).status, 401, 'no session from a password');
      await member.screenshot({ path: path.join(RESULTS_DIR, 'sso-only-refuses-password.png') });

      // Someone between Huddle and the provider alters the ID token: refused, no session.
      provider.setTamper('admin@demo.huddle.test');
      const attacked = await attackedCtx.newPage();
      const before = provider.tokenRequests.length;
      const victim = `other.${randomBytes(4).toString('hex')}@demo.huddle.test`;
      await signInThroughProvider(attacked, victim);
      provider.setTamper(null);
      assert.ok(provider.tokenRequests.slice(before).some((t) => t.tampered), 'the token answer was altered');
      assert.equal(new URL(attacked.url()).pathname, '/auth/sso/callback', 'stays on the refusal');
      await expectText(attacked, 'main', /could not be verified/, 'the refusal says why');
      assert.equal((await me(attacked)).status, 401, 'no session from a tampered token');
      const cookies = await attackedCtx.cookies(base);
      assert.ok(!cookies.some((c) => c.name === 'huddle_session'), 'no session cookie');
      await attacked.screenshot({ path: path.join(RESULTS_DIR, 'sso-tampered-refused.png') });

      // Login CSRF: an attacker signs in at the provider in their own browser, keeps the way
      // back instead of following it, and gets someone else's browser to open it. Refused:
      // the attempt belongs to the browser that started it.
      const attackerCtx = await browser.newContext();
      try {
        const attacker = await attackerCtx.newPage();
        let wayBack;
        await attackerCtx.route((u) => u.pathname === '/auth/sso/callback', (route) => {
          wayBack = route.request().url();
          return route.abort();
        });
        await attacker.goto(`${base}/signin`);
        await attacker.locator('#sso-email').fill(`mallory.${randomBytes(4).toString('hex')}@demo.huddle.test`);
        await attacker.getByRole('button', { name: 'Sign in with your organization' }).click();
        const login = attacker.locator('input[name=login]');
        await login.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
        await login.fill('mallory@demo.huddle.test');
        await attacker.locator('input[name=password]').fill('anything');
        await attacker.getByRole('button', { name: 'Sign-in' }).click().catch(() => {});
        for (let i = 0; i < 100 && !wayBack; i += 1) await new Promise((r) => setTimeout(r, 100));
        assert.ok(wayBack, 'the attacker holds a way back with a fresh code');
        const victim = await personCtx.newPage();
        await victim.goto(wayBack);
        await expectText(victim, 'main', /started in another browser/, 'the victim browser is refused');
        assert.equal((await me(victim)).body?.email, email, 'the victim is still themselves');
      } finally {
        await attackerCtx.close();
      }

      // The same person, untampered, still gets in: the refusal was the token's fault.
      await signInThroughProvider(attacked, victim);
      assert.equal((await me(attacked)).body?.email, victim, 'the real token signs in');

      // The organization deactivates the just-in-time member: their session ends, and the
      // provider (which still knows them) cannot sign them in again.
      const deactivated = await admin.evaluate(async (id) => {
        const csrf = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
        const r = await fetch(`/api/v1/users/${id}/deactivate`, {
          method: 'POST',
          headers: { 'X-CSRF-Token': csrf },
        });
        return r.status;
      }, who.body.id);
      assert.equal(deactivated, 204, 'the admin deactivates the member');
      assert.equal((await me(person)).status, 401, 'their session ended');
      await signInThroughProvider(person, email);
      await expectText(person, 'main', /deactivated/, 'a deactivated account is refused');
      assert.equal((await me(person)).status, 401, 'no session for a deactivated account');
    } finally {
      await adminCtx.close();
      await personCtx.close();
      await memberCtx.close();
      await attackedCtx.close();
    }
  },
);
