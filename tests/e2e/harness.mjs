// Shared plumbing for the end-to-end tests (`node --test --test-concurrency=1 tests/e2e/`):
// start the real reference server on a free port with a throwaway database, drive Debian's
// Chromium through playwright-core (never a downloaded browser), and catch console errors.
//
//   import { startServer, launchBrowser, watchPage } from './harness.mjs';
//   const server = await startServer();              // { url, db, stop() }
//   const browser = await launchBrowser();
//   const page = await browser.newPage();
//   const watch = watchPage(page);                   // { errors, assertClean() }
//   await page.goto(`${server.url}/`);
//   ...
//   watch.assertClean();
//   await browser.close(); await server.stop();
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { tempWww } from './pages.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_BIN = join(ROOT, 'target', 'debug', process.platform === 'win32' ? 'baton.exe' : 'baton');
export const CHROMIUM = process.env.BATON_CHROMIUM || '/usr/bin/chromium';
const LISTENING = /^baton: listening on (http:\/\/\S+?)\/?\s*$/m;
const START_TIMEOUT_MS = 20_000;

/**
 * Spawn `baton serve` from the repository root on a free port and wait until it listens.
 * @param {object} [opts]
 * @param {string} [opts.db]     database path; default: a fresh temp dir's e2e.db (removed on stop)
 * @param {string[]} [opts.args] extra arguments after the defaults
 * @param {object} [opts.env]    extra environment variables
 * @returns {Promise<{url: string, db: string, process: import('node:child_process').ChildProcess,
 *                    output: () => {stdout: string, stderr: string}, stop: () => Promise<void>}>}
 */
export async function startServer({ db, args = [], env = {} } = {}) {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(`${SERVER_BIN} is missing: run \`cargo build -p baton-server\` first`);
  }
  const tmp = db ? null : mkdtempSync(join(tmpdir(), 'baton-e2e-'));
  const dbPath = db ?? join(tmp, 'e2e.db');
  const argv = ['serve', '--port', '0', '--db', dbPath, '--www', 'www', '--dist', 'dist', ...args];
  const child = spawn(SERVER_BIN, argv, {
    cwd: ROOT,
    env: { ...process.env, RUST_BACKTRACE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const cleanupTmp = () => { if (tmp) rmSync(tmp, { recursive: true, force: true }); };
  // Never leave a server behind if the test process dies first.
  const killOnExit = () => { try { child.kill('SIGKILL'); } catch {} };
  process.once('exit', killOnExit);

  const describe = (why) => new Error(
    `baton serve ${why}\n  command: ${SERVER_BIN} ${argv.join(' ')}\n` +
    `  stdout:\n${indent(stdout)}\n  stderr:\n${indent(stderr)}`);

  let url;
  try {
    url = await new Promise((res, rej) => {
      const timer = setTimeout(() => rej(describe(`did not print "baton: listening on http://HOST:PORT" within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const check = () => {
        const m = stdout.match(LISTENING);
        if (m) { clearTimeout(timer); res(m[1]); }
      };
      child.stdout.on('data', check);
      child.once('error', (err) => { clearTimeout(timer); rej(describe(`failed to start: ${err.message}`)); });
      exited.then(({ code, signal }) => { clearTimeout(timer); rej(describe(`exited early (${signal ?? `code ${code}`})`)); });
      check();
    });
  } catch (err) {
    killOnExit();
    await exited;
    process.removeListener('exit', killOnExit);
    cleanupTmp();
    throw err;
  }

  let stopped;
  return {
    url,
    db: dbPath,
    process: child,
    output: () => ({ stdout, stderr }),
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        process.removeListener('exit', killOnExit);
        cleanupTmp();
      })();
      return stopped;
    },
  };
}

/** Debian's Chromium, headless, through playwright-core (`npx playwright install` never runs here). */
export async function launchBrowser({ extraArgs = [], ...options } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extraArgs,
    ],
    ...options,
  });
}

/**
 * Collect everything that signals a broken page: console errors, uncaught exceptions and
 * failed requests. `assertClean()` throws listing them; `errors` is live.
 * @param {import('playwright-core').Page} page
 * @param {object} [opts]
 * @param {(RegExp|string)[]} [opts.ignore] messages to tolerate (a test that provokes an error on purpose)
 */
export function watchPage(page, { ignore = [] } = {}) {
  const errors = [];
  const ignored = (text) => ignore.some((p) => (typeof p === 'string' ? text.includes(p) : p.test(text)));
  const add = (kind, text) => { if (!ignored(text)) errors.push(`${kind}: ${text}`); };
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      add('console.error', `${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => add('pageerror', (err && err.stack) || String(err)));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? 'failed';
    // Aborted requests are normal when a page navigates or a test closes it.
    if (failure !== 'net::ERR_ABORTED') add('requestfailed', `${req.method()} ${req.url()}: ${failure}`);
  });
  return {
    errors,
    assertClean(message = 'the page reported errors') {
      if (errors.length) throw new Error(`${message}:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    },
  };
}

function indent(text) {
  const t = text.trimEnd();
  return t ? t.split('\n').map((l) => `    ${l}`).join('\n') : '    (empty)';
}

/**
 * The usual test-file setup: before the file's tests, start `baton serve` (with `args`, and with
 * `www` files served from a throwaway directory when given) and Chromium; after them, stop both
 * and remove the directory. Returns an object whose `server` and `browser` are set by then.
 * @param {{ args?: string[], www?: Record<string, unknown>, browser?: object }} [opts] `browser`: options for `launchBrowser`
 */
export function serverAndBrowser({ args = [], www, browser } = {}) {
  const env = { server: null, browser: null, www: null };
  before(async () => {
    env.www = www ? tempWww(www) : null;
    env.server = await startServer({ args: env.www ? ['--www', env.www.dir, ...args] : args });
    env.browser = await launchBrowser(browser);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
    env.www?.remove();
  });
  return env;
}

/**
 * The reference server's JSON API as a test calls it: GET without a body, POST with one.
 * Throws on any status but 2xx; resolves to the parsed body (null for 204).
 * @param {{ server: { url: string } }} env what `serverAndBrowser` returned
 */
export function apiOf(env) {
  return async (path, body) => {
    const res = await fetch(`${env.server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.status === 204 ? null : res.json();
  };
}
