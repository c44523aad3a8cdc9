// Headless mode: with `ui: false` the widget adds no DOM; www/headless.html draws its own chat
// from state() and the events, inserting text as text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser, watchPage } from './harness.mjs';
import { CUSTOMER_QUESTION } from './pages.mjs';

const env = serverAndBrowser();

test('the headless demo renders its own chat from state() and events, with no widget DOM', async () => {
  const page = await env.browser.newPage();
  const watch = watchPage(page);
  await page.goto(`${env.server.url}/headless.html`);
  await page.waitForFunction(() => window.chat && typeof window.chat.state === 'function');
  assert.equal(await page.locator('[data-baton]').count(), 0, 'no widget host with ui: false');

  await page.fill('#text', CUSTOMER_QUESTION);
  await page.press('#text', 'Enter');
  await page.locator('#log li[data-role="ai"]').first().waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('#log li[data-role="customer"]').first().textContent(), `You: ${CUSTOMER_QUESTION}`);
  const state = await page.evaluate(() => window.chat.state());
  assert.deepEqual(state.messages.map((m) => m.role), ['customer', 'ai']);
  assert.equal(await page.locator('#log li').count(), state.messages.length);

  // Markup typed by a customer stays text.
  await page.fill('#text', '<img src=x onerror="window.pwned=1"><b>bold</b>');
  await page.press('#text', 'Enter');
  await page.locator('#log li[data-role="customer"]').nth(1).waitFor();
  assert.equal(await page.locator('#log li b, #log li img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  watch.assertClean();
  await page.close();
});
