// A strict Content-Security-Policy: the page forbids inline script and style and any other
// origin. The widget must load, open, send and show the bot's reply with no CSP violation
// (securitypolicyviolation events) and no console error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser, watchPage } from './harness.mjs';
import { CUSTOMER_QUESTION, sendAndAwaitReply } from './pages.mjs';

export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'";

// No inline script or style anywhere: the violation listener is an external file too.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${STRICT_CSP}">
<title>Strict CSP shop</title>
<link rel="icon" href="/favicon.ico">
<script src="/violations.js"></script>
</head>
<body>
<h1>Strict CSP</h1>
<script src="/dist/baton.js" data-endpoint="" data-site="csp" data-locale="en" async></script>
</body>
</html>
`;

const env = serverAndBrowser({
  www: {
    'index.html': PAGE,
    'favicon.ico': '',
    'violations.js': `window.violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.violations.push(e.violatedDirective + ' ' + e.blockedURI);
}, true);
`,
    // The same page with a deliberately blocked inline script, to prove the listener works.
    'canary.html': PAGE.replace('<h1>Strict CSP</h1>', '<h1>Canary</h1>\n<script>window.ran = true;</script>'),
  },
});

test('the violation listener sees a blocked inline script (canary)', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.server.url}/canary.html`);
  await page.waitForFunction(() => window.violations.length > 0);
  assert.equal(await page.evaluate(() => window.ran), undefined);
  assert.match((await page.evaluate(() => window.violations))[0], /^script-src/);
  await page.close();
});

test('under a strict CSP the widget opens, sends and shows the reply with no violation', async () => {
  const page = await env.browser.newPage();
  const watch = watchPage(page);
  await page.goto(`${env.server.url}/`);
  const reply = await sendAndAwaitReply(page, CUSTOMER_QUESTION);
  assert.ok(reply.length > 0);
  // The stylesheet applied inside the shadow root (the launcher is a fixed round button).
  const launcher = await page.locator('[data-baton] .launcher').evaluate((el) => {
    const s = getComputedStyle(el);
    return `${s.position} ${s.borderRadius}`;
  });
  assert.equal(launcher, 'fixed 50%');
  // Adopted as a constructable stylesheet, as issue 6 asks: no <link>, no <style>.
  const styles = await page.locator('[data-baton]').evaluate((host) => ({
    adopted: host.shadowRoot.adoptedStyleSheets.length,
    elements: host.shadowRoot.querySelectorAll('link, style').length,
  }));
  assert.deepEqual(styles, { adopted: 1, elements: 0 });
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  watch.assertClean();
  await page.close();
});

// Regression (review of issue 6): with the stylesheet slow to arrive, the launcher was drawn
// as a bare button in the page flow (and an open panel at the bottom of the page).
test('a slow stylesheet never shows the widget unstyled', async () => {
  const page = await env.browser.newPage();
  const watch = watchPage(page);
  await page.route('**/dist/baton.css', async (route) => {
    await new Promise((r) => setTimeout(r, 1_500));
    await route.continue().catch(() => {});
  });
  await page.goto(`${env.server.url}/`);
  const seen = new Set();
  for (let i = 0; i < 200 && !seen.has('fixed'); i++) {
    seen.add(await page.evaluate(() => {
      const host = document.querySelector('[data-baton]');
      const launcher = host && host.shadowRoot && host.shadowRoot.querySelector('.launcher');
      return launcher ? getComputedStyle(launcher).position : 'absent';
    }));
    await page.waitForTimeout(50);
  }
  assert.ok(seen.has('fixed'), `the widget appeared: ${[...seen]}`);
  assert.deepEqual([...seen].filter((p) => p !== 'absent' && p !== 'fixed'), [], 'never drawn unstyled');
  watch.assertClean();
  await page.close();
});
