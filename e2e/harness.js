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
function serverEnv() {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HUDDLE_'))),
    HUDDLE_PUSH__ALLOW_HTTP_ENDPOINTS: 'true',
    HUDDLE_PUSH__SUBJECT: PUSH_SUBJECT,
    HUDDLE_SSO__ALLOW_HTTP_ISSUERS: 'true',
  };
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

export async function setUp() {
  await mkdir(RESULTS_DIR, { recursive: true });
  await startHuddle();
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
}
