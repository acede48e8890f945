// What every browser test file shares: a `huddle demo` server on a free port with its
// printed logins, Debian's Chromium, and a few page helpers. A test file calls `setUp` in
// `before` and `tearDown` in `after`, then reads `server` and `browser`.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';

const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
const HUDDLE_BIN = path.resolve(process.env.HUDDLE_BIN ?? path.join(E2E_DIR, '..', 'target', 'debug', 'huddle'));
const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const RESULTS_DIR = path.join(E2E_DIR, 'test-results');

export const PHONE = { width: 375, height: 812 };
export const STEP_TIMEOUT = 15_000; // any single wait in the browser

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

export let server; // { child, base, logins, feed, dataDir, log() }
export let browser;

function killServerSync() {
  if (server?.child && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
  }
}
// Whatever happens to this process, never leave a huddle server behind.
process.on('exit', killServerSync);

// huddle reads every HUDDLE_* variable as a config override (HUDDLE_SECTION__KEY) and
// refuses unknown ones such as our own HUDDLE_BIN; a developer's HUDDLE_DATABASE__URL
// would also steer the demo away from its fresh data dir. The server gets none of them,
// only ours, for tests/push.test.js, which plays the push service: http:// push endpoints
// (it listens on a local plain-HTTP port; browsers' real push services are all HTTPS), and
// the contact its VAPID signatures name — the demo has no https public URL to fall back to —
// and, for tests/sso.test.js, http:// issuers (its OpenID provider listens on plain HTTP here).
export const PUSH_SUBJECT = 'mailto:it-oncall@demo.huddle.test';
function serverEnv(extra = {}) {
  return {
    ...extra,
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HUDDLE_'))),
    HUDDLE_PUSH__ALLOW_HTTP_ENDPOINTS: 'true',
    HUDDLE_PUSH__SUBJECT: PUSH_SUBJECT,
    HUDDLE_SSO__ALLOW_HTTP_ISSUERS: 'true',
  };
}

// ---------------------------------------------------------------- mail

// A real SMTP server (npm smtp-server, nodemailer's) that keeps what it receives, for tests
// that follow mailed links: `mailbox.waitFor(to)` answers the newest message's text.
export let mailbox;

async function startMailbox() {
  const messages = [];
  const smtp = new SMTPServer({
    // Huddle's demo talks to it on this host without TLS ([email] security = "none").
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (d) => { raw += d; });
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        messages.push({ to, text: decodeBody(raw) });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  mailbox = {
    port,
    messages,
    close: () => new Promise((resolve) => smtp.close(resolve)),
    async waitFor(to, after = 0) {
      const deadline = Date.now() + STEP_TIMEOUT;
      for (;;) {
        const mine = messages.filter((m) => m.to.includes(to.toLowerCase()));
        if (mine.length > after) return mine[mine.length - 1].text;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${STEP_TIMEOUT} ms`);
        await sleep(100);
      }
    },
  };
  return mailbox;
}

// The body of a plain-text message, its quoted-printable soft breaks and escapes undone.
function decodeBody(raw) {
  const body = raw.slice(raw.search(/\r?\n\r?\n/) + 1);
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

// The link to `path` in a mail's text.
export function linkIn(text, path) {
  const m = text.match(new RegExp(`(https?://\\S+${path.replace(/[/?]/g, '\\$&')}\\?token=[A-Za-z0-9_-]+)`));
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return m[1];
}

async function startHuddle({ mail = false } = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'huddle-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // With mail: Huddle sends to the test's SMTP server, links on its own address.
  const mailEnv = mail
    ? {
        HUDDLE_EMAIL__HOST: '127.0.0.1',
        HUDDLE_EMAIL__PORT: String((await startMailbox()).port),
        HUDDLE_EMAIL__SECURITY: 'none',
        HUDDLE_SERVER__PUBLIC_URL: base,
      }
    : {};
  const child = spawn(HUDDLE_BIN, ['demo', '--data', dataDir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(mailEnv),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const spawnFailed = new Promise((_, reject) => child.once('error', reject));
  spawnFailed.catch(() => {}); // raced below while starting; never an unhandled rejection later
  const log = () => `--- huddle stdout ---\n${stdout}\n--- huddle stderr (tail) ---\n${stderr.slice(-4000)}`;
  server = { child, base, dataDir, exited, log, logins: {}, feed: undefined };

  const parseLogins = () => {
    const logins = {};
    for (const line of stdout.split('\n')) {
      const m = line.trim().match(/^login:\s+(\S+)\s+(\S+)\s+(\S+)$/);
      if (m) logins[m[1]] = { email: m[2], password: m[3] };
    }
    return logins;
  };
  // `feed: <name> (<how to send>) <hki_… credential>`: the demo lab feed, for posting alerts.
  // Only a whole line: the credential may still be arriving.
  const parseFeed = () => stdout.match(/^feed:.*\s(hki_\S+)[ \t]*\r?\n/m)?.[1];

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
    server.feed = parseFeed();
    if (healthy && server.logins.verifier && server.logins.wellbeing_lead && server.feed) break;
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
export async function expectText(page, selector, re, what) {
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

export async function noHorizontalOverflow(page, where) {
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

// The demo organization's admin invites `person.email` on the admin page (as `role`); the
// invitee follows the mailed link on `page` and joins with a name and a password, landing
// signed in on /. Needs setUp({ mail: true }).
export async function joinByInvitation(page, person, role = 'physician') {
  const { base, logins } = server;
  const context = await browser.newContext();
  try {
    const admin = await context.newPage();
    admin.setDefaultTimeout(STEP_TIMEOUT);
    await signIn(admin, base, logins.org_admin.email, logins.org_admin.password);
    await admin.waitForURL(`${base}/`);
    await admin.goto(`${base}/admin`);
    const earlier = mailbox.messages.filter((m) => m.to.includes(person.email.toLowerCase())).length;
    const form = admin.locator('form:has(#member-email)');
    await form.locator('#member-email').fill(person.email);
    await form.locator(`input[name=role][value="${role}"]`).check();
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expectText(admin, 'p.notice', /Invited .*on its way to their mailbox/, 'after inviting');
    const link = linkIn(await mailbox.waitFor(person.email, earlier), '/invitations/accept');
    await page.goto(link);
    await page.locator('#display_name').fill(person.name);
    await page.locator('#password').fill(person.password);
    await page.getByRole('button', { name: /^Join / }).click();
    await page.waitForURL(`${base}/`);
  } finally {
    await context.close();
  }
}

export async function signIn(page, base, email, password) {
  await page.goto(`${base}/signin`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A phone's browser with a profile on disk (Chromium installs nothing and keeps no push
 * registration in incognito): its own Chromium, 375×812, touch. `options` adds to the
 * context's (permissions, …). `close()` ends it and removes the profile.
 */
export async function phoneProfile(options = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'huddle-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_BIN,
    headless: true,
    timeout: 30_000,
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  const close = async () => {
    await Promise.race([context.close().catch(() => {}), sleep(10_000)]);
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  };
  return { context, close };
}

// `mail`: a real SMTP server receives Huddle's mail (see `mailbox`).
export async function setUp({ mail = false } = {}) {
  await mkdir(RESULTS_DIR, { recursive: true });
  await startHuddle({ mail });
  browser = await chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    timeout: 30_000,
    args: CHROMIUM_ARGS,
  });
}

export async function tearDown() {
  await closeBrowser();
  await stopHuddle();
  await mailbox?.close();
  mailbox = undefined;
}
