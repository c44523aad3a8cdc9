// Isolation: the widget looks the same on a plain page and on a page with Bootstrap plus a
// hostile universal rule, pixel for pixel within a small tolerance (its shadow root and :host
// reset keep host CSS out).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { serverAndBrowser, watchPage } from './harness.mjs';
import { CUSTOMER_QUESTION, html, sendAndAwaitReply, widget } from './pages.mjs';

const require = createRequire(import.meta.url);
const BOOTSTRAP = require.resolve('bootstrap/dist/css/bootstrap.min.css');
const TAG = '<script src="/dist/baton.js" data-endpoint="" data-site="iso" data-locale="en" data-theme="light" async></script>';
// Anti-aliasing may differ by a few pixels; a real style leak changes thousands.
const MAX_DIFF_PIXELS = 40;

const env = serverAndBrowser({
  www: {
    'plain.html': html({ body: `<p>Plain page</p>\n${TAG}` }),
    'bootstrap.html': html({
      head: `<link rel="stylesheet" href="/bootstrap.min.css">\n<link rel="stylesheet" href="/hostile.css">`,
      body: `<div class="container"><p class="lead">Bootstrap page</p></div>\n${TAG}`,
    }),
    'bootstrap.min.css': { copy: BOOTSTRAP },
    'hostile.css': '* { box-sizing: content-box; font-size: 24px } div, p, button, textarea { padding: 7px; margin: 5px; line-height: 3; letter-spacing: 2px; color: #c0c }\n',
  },
});

async function shoot(path) {
  const context = await env.browser.newContext({ viewport: { width: 900, height: 760 }, locale: 'en-US', reducedMotion: 'reduce', colorScheme: 'light' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${env.server.url}/${path}`);
  await sendAndAwaitReply(page, CUSTOMER_QUESTION);
  await page.locator('[data-baton] .input').blur();
  const w = widget(page);
  const a = await w.panel.boundingBox();
  const b = await w.launcher.boundingBox();
  const x = Math.floor(Math.min(a.x, b.x)) - 2;
  const y = Math.floor(a.y) - 2;
  const clip = { x, y, width: Math.ceil(Math.max(a.x + a.width, b.x + b.width)) + 2 - x, height: Math.ceil(b.y + b.height) + 2 - y };
  const png = PNG.sync.read(await page.screenshot({ clip, animations: 'disabled', caret: 'hide' }));
  watch.assertClean();
  await context.close();
  return { png, clip };
}

test('the widget looks the same on a plain page and on a Bootstrap page with hostile CSS', async () => {
  const plain = await shoot('plain.html');
  const boot = await shoot('bootstrap.html');
  assert.deepEqual(boot.clip, plain.clip, 'same position and size');
  const { width, height } = plain.png;
  const diff = new PNG({ width, height });
  const changed = pixelmatch(plain.png.data, boot.png.data, diff.data, width, height, { threshold: 0.1 });
  if (process.env.BATON_SAVE_DIFF) for (const [n, p] of [['plain', plain.png], ['bootstrap', boot.png], ['diff', diff]]) (await import('node:fs')).writeFileSync(`${process.env.BATON_SAVE_DIFF}-${n}.png`, PNG.sync.write(p));
  assert.ok(changed <= MAX_DIFF_PIXELS, `${changed} of ${width * height} pixels differ (tolerance ${MAX_DIFF_PIXELS})`);
});
