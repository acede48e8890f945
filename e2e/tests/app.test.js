// End to end, in a real browser: Huddle is installable (Chromium's own installability check
// through the DevTools protocol finds no error), its service worker takes control, and with
// the network gone a page shows the offline page with crisis help instead of an error.
// Run through ../run.sh.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { server, setUp, tearDown, expectText, noHorizontalOverflow, signIn, phoneProfile } from '../harness.js';

before(setUp, { timeout: 90_000 });
after(tearDown, { timeout: 30_000 });

test('Huddle installs as an app and says so when offline', { timeout: 90_000 }, async () => {
  const { base, logins } = server;
  // A profile on disk, as a phone's browser has: Chromium installs nothing in incognito.
  const phone = await phoneProfile();
  const { context } = phone;
  const page = await context.newPage();
  try {
    await signIn(page, base, logins.clinician.email, logins.clinician.password);
    await page.waitForURL(`${base}/`);
    // The worker registers and controls the page.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, `${base}/`);

    // Chromium's installability check: manifest, icons, worker, secure origin.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], JSON.stringify(manifest.errors));

    // No network: a page the person opens shows the offline page, not a browser error.
    await page.reload();
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await context.setOffline(true);
    await page.goto(`${base}/messages`).catch(() => {});
    await expectText(page, 'h1', /You are offline/, 'the offline page');
    await expectText(page, 'main', /988/, 'crisis help offline');
    await noHorizontalOverflow(page, '/offline');
    await context.setOffline(false);
    await page.getByRole('link', { name: 'Try again' }).click();
    await page.waitForURL(`${base}/`);
  } finally {
    await phone.close();
  }
});
