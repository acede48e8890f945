// End to end, in a real browser, with the test playing the push service: a physician's
// phone (Chromium, persistent profile, notifications allowed) is subscribed to a push
// service this test runs on a local port; a lab sends a critical result for her; Huddle
// encrypts and signs the push, the test checks the VAPID signature and decrypts the
// message with an independent implementation (npm `http_ece`), then hands it to Huddle's
// real service worker through the DevTools protocol (`ServiceWorker.deliverPushMessage`),
// as a push service would. Huddle is not open in any tab by then. The worker shows the
// notification — no patient on it, an "Acknowledge" button — and tells Huddle it arrived;
// the button, pressed, acknowledges the alert without opening Huddle. The timeline says
// all of it, per device. Run through ../run.sh.
//
// Headless Chromium cannot subscribe to a real push service offline, so the device's keys
// are made here (what `PushSubscription.toJSON()` would carry) and subscribed through the
// API; `huddle demo` accepts the http:// endpoint because harness.js starts it with
// HUDDLE_PUSH__ALLOW_HTTP_ENDPOINTS=true. Nothing can press a notification's button in
// headless Chromium, so the press is a `notificationclick` event with that action,
// dispatched on the running worker — its own handler does the rest. The test watches the
// promise the worker's push handler waits on (a wrapper around `waitUntil`, removed after),
// since Chromium drops from `getNotifications()` a notification still being displayed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  server, browser, setUp, tearDown, signIn, phoneProfile, PHONE, PUSH_SUBJECT, STEP_TIMEOUT,
} from '../harness.js';

const ece = createRequire(import.meta.url)('http_ece');

before(setUp, { timeout: 90_000 });
after(tearDown, { timeout: 30_000 });

const DEVICE = 'e2e phone'; // the label the physician gives her phone

/** The printed login of one demo account, by email prefix. */
function login(prefix) {
  const m = server.log().match(new RegExp(`login:\\s+\\S+\\s+(${prefix}\\S*)\\s+(\\S+)`));
  assert.ok(m, `no login line for ${prefix}\n${server.log()}`);
  return { email: m[1], password: m[2] };
}
const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** Polls `probe` until it returns something truthy; fails saying what was last seen. */
async function until(what, probe, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (last?.ok) return last.value;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeout} ms; last seen: ${JSON.stringify(last?.seen ?? last)}`);
    }
    await sleep(200);
  }
}

/** The push service: takes every message Huddle posts (201, as real ones answer). */
async function startPushService() {
  const received = [];
  const srv = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201, { location: `${req.url}/message/${received.length}` }).end();
    });
  });
  await new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${srv.address().port}`;
  const close = () => new Promise((resolve) => srv.close(resolve));
  return { origin, received, close };
}

/**
 * What a push service checks before it accepts a message (RFC 8292): a `vapid` header
 * whose key is Huddle's application server key and whose JWT is signed by it (ES256), for
 * this push service's origin, not expired.
 */
function checkVapid(headers, pushOrigin, applicationServerKey) {
  const auth = headers.authorization ?? '';
  const m = auth.match(/^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/);
  assert.ok(m, `the push request's Authorization is not "vapid t=…, k=…": ${JSON.stringify(auth)}`);
  const [, jwt, k] = m;
  assert.equal(k, applicationServerKey, 'the VAPID key is not the one browsers subscribe with (/api/v1/push/key)');
  const raw = Buffer.from(k, 'base64url');
  assert.equal(raw.length, 65, 'the VAPID key is not an uncompressed P-256 point');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33)) },
    format: 'jwk',
  });
  const [h, c, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  assert.equal(header.alg, 'ES256', `VAPID JWT header: ${JSON.stringify(header)}`);
  const signed = verify('sha256', Buffer.from(`${h}.${c}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  assert.ok(signed, 'the VAPID JWT signature does not verify with the application server key');
  const claims = JSON.parse(Buffer.from(c, 'base64url'));
  assert.equal(claims.aud, pushOrigin, `VAPID audience: ${JSON.stringify(claims)}`);
  const now = Date.now() / 1000;
  assert.ok(claims.exp > now && claims.exp <= now + 24 * 3600, `VAPID expiry must be within 24 h: ${JSON.stringify(claims)}`);
  // Push services want a contact they can write to (Apple's refuses a JWT without one).
  assert.match(claims.sub ?? '', /^(mailto:|https:)/, `VAPID claims name no contact: ${JSON.stringify(claims)}`);
  assert.equal(claims.sub, PUSH_SUBJECT, 'the VAPID subject is not the configured push.subject');
}

test('a critical result reaches the locked phone through push, and its button acknowledges it', { timeout: 120_000 }, async () => {
  const { base, feed } = server;
  assert.ok(feed, `the demo printed no feed credential\n${server.log()}`);
  // Dr. Okafor: on call for cardiology around the clock in the demo, so a result for her
  // reaches her rather than whoever covers (the routing engine's rule when one is off shift).
  const doctor = login('dr.okafor');
  const pushService = await startPushService();
  // A phone's browser, profile on disk; notifications allowed, as the person did.
  const phone = await phoneProfile({ permissions: ['notifications'] });
  const { context } = phone;
  const page = await context.newPage();
  const get = async (ctx, pathname) => {
    const r = await ctx.request.get(`${base}${pathname}`, { timeout: STEP_TIMEOUT });
    assert.equal(r.status(), 200, `GET ${pathname}: ${r.status()} ${await r.text()}`);
    return r.json();
  };
  // The timeline is read by the organization's admin, elsewhere: the physician reading her
  // own alert would count as seeing it on an open Huddle page, and blur what the phone did.
  const adminContext = await browser.newContext({ viewport: PHONE });
  const timeline = async (id) => {
    const t = await get(adminContext, `/api/v1/alerts/${id}/timeline`);
    return { state: t.alert.state, lines: t.lines.map((l) => l.text) };
  };
  try {
    const adminPage = await adminContext.newPage();
    const admin = login('admin@');
    await signIn(adminPage, base, admin.email, admin.password);
    await adminPage.waitForURL(`${base}/`, { timeout: STEP_TIMEOUT });
    await adminPage.close();

    // 1. The physician signs in on her phone; Huddle's service worker takes control.
    await signIn(page, base, doctor.email, doctor.password);
    await page.waitForURL(`${base}/`, { timeout: STEP_TIMEOUT });
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, `${base}/`, 'the service worker controls Huddle');
    assert.equal(await page.evaluate(() => Notification.permission), 'granted');

    // The DevTools protocol's view of the worker: its registration id, for delivering pushes.
    const cdp = await context.newCDPSession(page);
    const registrations = new Map();
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: rs }) => {
      for (const r of rs) registrations.set(r.registrationId, r);
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await until('the service worker registration in DevTools', async () => {
      const live = [...registrations.values()].filter((r) => r.scopeURL === `${base}/` && !r.isDeleted);
      return { ok: live.length === 1, value: live[0]?.registrationId, seen: [...registrations.values()] };
    });

    // 2. Her phone's subscription: keys made here, as the browser would, with the local
    // push service as endpoint; saved through the API from her page (session + CSRF token).
    const device = createECDH('prime256v1');
    device.generateKeys();
    const authSecret = randomBytes(16);
    const endpoint = `${pushService.origin}/push/${b64url(randomBytes(12))}`;
    const subscribed = await page.evaluate(async (body) => {
      const csrf = JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRF-Token'];
      const r = await fetch('/api/v1/push/subscriptions', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: await r.text() };
    }, {
      endpoint,
      expirationTime: null,
      keys: { p256dh: b64url(device.getPublicKey()), auth: b64url(authSecret) },
      label: DEVICE,
    });
    assert.equal(subscribed.status, 201, `subscribing the phone: ${JSON.stringify(subscribed)}`);
    const me = await get(context, '/api/v1/me');
    const { public_key: applicationServerKey } = await get(context, '/api/v1/push/key');

    // The phone is locked: no Huddle page is open, nothing can confirm over a live socket.
    await page.goto('about:blank');

    // 3. The lab sends a critical result for her, with its own credential.
    const stamp = Date.now();
    const patient = `Bed 12 (synthetic ${stamp})`;
    const text = `Potassium 7.1 mmol/L (HH) (synthetic ${stamp})`;
    const posted = await fetch(`${base}/api/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${feed}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'lab', source_id: `E2E-PUSH-${stamp}`, category: 'critical_lab', priority: 'urgent',
        service: 'cardiology', recipient: `user:${me.id}`, patient, text,
      }),
      signal: AbortSignal.timeout(STEP_TIMEOUT),
    });
    const alert = await posted.json();
    assert.equal(posted.status, 201, `posting the alert: ${JSON.stringify(alert)}`);
    assert.equal(alert.delivered_to, me.id, `the alert went to someone else: ${JSON.stringify(alert)}`);
    assert.equal(alert.delivery, 'interrupt', `a critical result interrupts: ${JSON.stringify(alert)}`);

    // The push service gets Huddle's message for this alert: signed, encrypted for the
    // phone; opened here with the phone's private key and auth secret.
    const opened = await until('Huddle\'s push message for the alert at the push service', async () => {
      for (const m of pushService.received) {
        if (m.path !== new URL(endpoint).pathname) continue;
        let notice;
        try {
          notice = JSON.parse(ece.decrypt(m.body, { version: 'aes128gcm', privateKey: device, authSecret }).toString('utf8'));
        } catch (e) {
          throw new Error(`the phone cannot open a message Huddle pushed (${m.body.length} bytes, ${JSON.stringify(m.headers)}): ${e.message}`);
        }
        if (notice.tag === `alert-${alert.id}`) return { ok: true, value: { message: m, notice } };
      }
      return { ok: false, seen: pushService.received.map((m) => ({ path: m.path, headers: m.headers, bytes: m.body.length })) };
    });
    const { message, notice } = opened;
    assert.equal(message.method, 'POST');
    assert.equal(message.headers['content-encoding'], 'aes128gcm');
    assert.equal(message.headers.urgency, 'high', 'an interrupt wakes a phone in power saving');
    assert.ok(Number(message.headers.ttl) > 0, `TTL: ${message.headers.ttl}`);
    checkVapid(message.headers, pushService.origin, applicationServerKey);
    assert.equal(notice.title, 'Critical result for you');
    assert.equal(notice.url, `/alerts/${alert.id}`);
    assert.match(notice.capability ?? '', /^hkn_/, `the notice carries its capability: ${JSON.stringify(notice)}`);
    assert.deepEqual(notice.actions.map((a) => a.action), ['acknowledge'], JSON.stringify(notice));
    const plain = JSON.stringify(notice);
    for (const secret of [patient, text, String(stamp), 'Potassium', 'Bed 12']) {
      assert.ok(!plain.includes(secret), `the pushed payload names the patient or the result (${secret}): ${plain}`);
    }
    const arrived = `Arrived on ${me.display_name}'s ${DEVICE}.`;
    await until('"Sent to …" in the timeline', async () => {
      const { lines } = await timeline(alert.id);
      return { ok: lines.some((l) => l.startsWith(`Sent to ${me.display_name}'s ${DEVICE}`)), seen: lines };
    });
    assert.ok(!(await timeline(alert.id)).lines.includes(arrived), 'arrived before the phone got it');

    // 4. The push service delivers it to the phone: Huddle's real service worker handles it.
    // Playwright is attached to the worker, which keeps it running (DevTools stops no worker
    // it is attached to), so the one running now is the one the push goes to.
    const worker = await until('the running service worker', async () => {
      const running = context.serviceWorkers().filter((w) => w.url() === `${base}/sw.js`);
      return { ok: running.length === 1, value: running[0], seen: context.serviceWorkers().map((w) => w.url()) };
    });
    // The worker's notifications may be read only once its push handler is done: Chromium
    // drops from `getNotifications()` a notification it is still putting on the screen. So
    // the test keeps the promise the handler passes to `waitUntil` (sw.js itself unchanged).
    await worker.evaluate(() => {
      const waitUntil = ExtendableEvent.prototype.waitUntil;
      self.e2ePushes = [];
      self.e2eRestore = () => { ExtendableEvent.prototype.waitUntil = waitUntil; };
      ExtendableEvent.prototype.waitUntil = function (promise) {
        if (this.type === 'push') {
          self.e2ePushes.push(Promise.resolve(promise).then(() => 'handled', (e) => `failed: ${e}`));
        }
        return waitUntil.call(this, promise);
      };
    });
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: `${base}/`,
      registrationId,
      data: JSON.stringify(notice),
    });
    const handled = await worker.evaluate(async (timeout) => {
      const deadline = Date.now() + timeout;
      while (self.e2ePushes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const outcomes = await Promise.all(self.e2ePushes);
      self.e2eRestore();
      return outcomes;
    }, STEP_TIMEOUT);
    assert.deepEqual(handled, ['handled'], 'the service worker\'s push handler (showNotification and the receipt)');
    // The worker's receipt reached Huddle, with only the notification's capability.
    const afterArrival = await until(`"${arrived}" in the timeline`, async () => {
      const t = await timeline(alert.id);
      return { ok: t.lines.includes(arrived), value: t, seen: t.lines };
    });
    assert.equal(afterArrival.state, 'open', 'arriving is not acknowledging');
    const shownOf = (tag) => worker.evaluate(async (t) => (await self.registration.getNotifications({ tag: t })).map((n) => ({
      title: n.title, body: n.body, tag: n.tag, requireInteraction: n.requireInteraction,
      actions: n.actions.map((a) => ({ action: a.action, title: a.title })), data: n.data,
    })), tag);
    const notifications = await shownOf(notice.tag);
    assert.equal(notifications.length, 1, `the notification on the phone: ${JSON.stringify(notifications)}`);
    const [shown] = notifications;
    assert.equal(shown.title, 'Critical result for you');
    assert.equal(shown.body, 'Open Huddle to see it.');
    assert.ok(shown.requireInteraction, 'an interrupt stays on the screen until handled');
    assert.deepEqual(shown.actions, [{ action: 'acknowledge', title: 'Acknowledge' }]);
    assert.deepEqual(shown.data, { url: `/alerts/${alert.id}`, capability: notice.capability });

    // 5. She presses "Acknowledge" on the lock screen. The worker's own click handler runs;
    // the event is untrusted, so its `waitUntil` throws after the request has gone out.
    await worker.evaluate(async (t) => {
      const [notification] = await self.registration.getNotifications({ tag: t });
      self.dispatchEvent(new NotificationEvent('notificationclick', { notification, action: 'acknowledge' }));
    }, notice.tag);
    const { lines } = await until('the alert acknowledged from the notification', async () => {
      const t = await timeline(alert.id);
      return { ok: t.state === 'acknowledged', value: t, seen: t };
    });
    assert.ok(lines.some((l) => l.startsWith(`Acknowledged by ${me.display_name}`)), `the timeline: ${JSON.stringify(lines)}`);
    assert.ok(lines.includes(`Seen by ${me.display_name} on ${DEVICE}.`), `pressing the button is seeing it: ${JSON.stringify(lines)}`);
    assert.ok(!lines.some((l) => l.includes('open Huddle page')), `no Huddle page was open: ${JSON.stringify(lines)}`);
    // Handled: the notification is gone from the phone.
    assert.deepEqual(await shownOf(notice.tag), [], 'the notification is closed once acknowledged');
  } finally {
    await adminContext.close();
    await phone.close();
    await pushService.close();
  }
});
