// Cross-origin embedding: the page and the widget come from one origin (server A), the backend
// is another (server B, `--allow-origin` A). A customer message round-trips to the bot across
// origins; a page from an origin B does not allow (server C) gets no CORS headers, so its
// requests fail in the browser.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, startServer, watchPage } from './harness.mjs';
import { CUSTOMER_QUESTION, html, sendAndAwaitReply, tempWww, widget } from './pages.mjs';

let site; // server A: the shop's pages and the widget files
let other; // server C: an origin nobody allowed
let backend; // server B: the API
let wwwA;
let wwwC;
let browser;

const page = (endpoint, siteName, files = '') => html({
  body: `<h1>Shop</h1>\n<script src="${files}/dist/baton.js" data-endpoint="${endpoint}" data-site="${siteName}" data-locale="en" async></script>`,
});

before(async () => {
  wwwA = tempWww({});
  wwwC = tempWww({});
  site = await startServer({ args: ['--www', wwwA.dir] });
  other = await startServer({ args: ['--www', wwwC.dir] });
  backend = await startServer({ args: ['--allow-origin', site.url] });
  writeFileSync(join(wwwA.dir, 'index.html'), page(backend.url, 'cross'));
  writeFileSync(join(wwwC.dir, 'index.html'), page(backend.url, 'denied'));
  // README's embed snippet: the widget's files come from the backend too.
  writeFileSync(join(wwwA.dir, 'remote.html'), page(backend.url, 'remote', backend.url));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const s of [site, other, backend]) await s?.stop();
  wwwA?.remove();
  wwwC?.remove();
});

test('a customer message round-trips to the bot on another origin that allows the page', async () => {
  assert.notEqual(new URL(site.url).origin, new URL(backend.url).origin);
  const p = await browser.newPage();
  const watch = watchPage(p);
  const api = [];
  p.on('request', (r) => { if (r.url().includes('/v1/')) api.push(new URL(r.url()).origin); });
  await p.goto(`${site.url}/`);
  const reply = await sendAndAwaitReply(p, CUSTOMER_QUESTION);
  assert.ok(reply.length > 0, 'the bot answered');
  assert.ok(api.length > 0 && api.every((o) => o === new URL(backend.url).origin), `API calls go to the backend: ${api}`);
  assert.equal(await widget(p).byRole('customer').first().getAttribute('aria-busy'), null, 'the message was delivered');
  watch.assertClean();
  await p.close();
});

test('the widget mounts from a script tag on the backend (files and API on another origin)', async () => {
  const p = await browser.newPage();
  const watch = watchPage(p);
  const files = [];
  p.on('request', (r) => { if (r.url().includes('/dist/')) files.push(new URL(r.url()).origin); });
  await p.goto(`${site.url}/remote.html`);
  const reply = await sendAndAwaitReply(p, CUSTOMER_QUESTION);
  assert.ok(reply.length > 0, 'the bot answered');
  assert.ok(files.length >= 4 && files.every((o) => o === new URL(backend.url).origin), `widget files from the backend: ${files}`);
  watch.assertClean();
  await p.close();
});

test('the backend sends CORS headers to the allowed origin only', async () => {
  const probe = (origin) => fetch(`${backend.url}/v1/availability`, { headers: { Origin: origin } });
  const allowed = await probe(site.url);
  assert.equal(allowed.headers.get('access-control-allow-origin'), site.url);
  const denied = await probe(other.url);
  assert.equal(denied.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(`${backend.url}/v1/conversations/c1/messages`, {
    method: 'OPTIONS',
    headers: { Origin: other.url, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  assert.equal(preflight.headers.get('access-control-allow-origin'), null, 'no preflight approval for other origins');
});

test('a page from an origin that is not allowed cannot reach the backend', async () => {
  const p = await browser.newPage();
  await p.goto(`${other.url}/`);
  const outcome = await p.evaluate(async (url) => {
    try {
      const r = await fetch(`${url}/v1/availability`);
      return `status ${r.status}`;
    } catch (e) {
      return `blocked: ${e.name}`;
    }
  }, backend.url);
  assert.equal(outcome, 'blocked: TypeError');
  // The widget on that page cannot get a bot reply either: its message is marked not sent.
  const w = widget(p);
  await w.launcher.click();
  await w.input.fill(CUSTOMER_QUESTION);
  await w.send.click();
  await p.locator('[data-baton] .msg[data-role="customer"] .failed').waitFor({ timeout: 30_000 });
  assert.equal(await w.byRole('ai').count(), 0);
  await p.close();
});
