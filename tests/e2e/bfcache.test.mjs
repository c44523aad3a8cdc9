// The back/forward cache, which desktop Chrome uses (Playwright turns it off by default): a page
// frozen there hears nothing of what other pages of the site store meanwhile. QA: the customer
// went to another page while an agent was writing, pressed Back, and the agent's message that
// arrived meanwhile showed twice, and was stored twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiOf, serverAndBrowser, watchPage } from './harness.mjs';

const env = serverAndBrowser({
  args: ['--agents', '1'],
  browser: { extraArgs: ['--enable-features=BackForwardCache'], ignoreDefaultArgs: ['--disable-back-forward-cache'] },
});

const api = apiOf(env);

const agentTexts = (page) => page.locator('.msg[data-role="agent"] .text').allTextContents();

test('back to a page from the back/forward cache: what arrived meanwhile shows once, and is stored once', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const watch = watchPage(page);
  const restored = [];
  await page.exposeFunction('pageShown', (persisted) => restored.push(persisted));
  await page.addInitScript(() => addEventListener('pageshow', (e) => window.pageShown(e.persisted)));
  await page.goto(`${env.server.url}/`);
  await page.evaluate(() => window.Baton('identify', { name: 'Bo', email: 'bo@example.com' }));
  await page.getByRole('button', { name: /chat/i }).click();
  await page.getByRole('button', { name: 'Speak to a human' }).click();
  await page.getByRole('status').filter({ hasText: 'in queue' }).waitFor();
  const { cases } = await api('/v1/agent/cases?agent=Alex');
  const mine = cases.find((c) => c.customer?.name === 'Bo');
  await api(`/v1/agent/cases/${mine.case_id}/accept`, { agent: 'Alex' });
  await api(`/v1/agent/cases/${mine.case_id}/messages`, { text: 'Message one' });
  await page.locator('.msg[data-role="agent"]', { hasText: 'Message one' }).waitFor({ timeout: 10_000 });

  await page.goto(`${env.server.url}/pricing.html`);
  await page.locator('[data-baton]').waitFor({ state: 'attached' });
  await api(`/v1/agent/cases/${mine.case_id}/messages`, { text: 'Message two' });
  await page.locator('.msg[data-role="agent"]', { hasText: 'Message two' }).waitFor({ timeout: 10_000 });
  await page.getByRole('textbox', { name: 'Message' }).fill('Typed on the pricing page');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await page.locator('.msg[data-role="customer"]', { hasText: 'Typed on the pricing page' }).waitFor();
  // Long enough for the frozen page's next message poll to be overdue: it wakes first.
  await page.waitForTimeout(3_500);

  await page.goBack({ waitUntil: 'commit' });
  await page.locator('.msg[data-role="agent"]', { hasText: 'Message two' }).waitFor({ timeout: 10_000 });
  await page.locator('.msg[data-role="customer"]', { hasText: 'Typed on the pricing page' }).waitFor({ timeout: 5_000 });
  assert.equal(restored.at(-1), true, 'the page came back from the back/forward cache (else this test proves nothing)');
  // Three of the agent's message polls (3 s apart) go by: nothing is fetched twice.
  await page.waitForTimeout(7_000);
  assert.deepEqual(await agentTexts(page), ['Message one', 'Message two']);
  // The stream was cut while the page was frozen: a new one brings the agent's next words.
  await api(`/v1/agent/cases/${mine.case_id}/messages`, { text: 'Message three' });
  await page.locator('.msg[data-role="agent"]', { hasText: 'Message three' }).waitFor({ timeout: 5_000 });
  await page.reload();
  await page.locator('.msg[data-role="agent"]', { hasText: 'Message three' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(await agentTexts(page), ['Message one', 'Message two', 'Message three'], 'and stored once');
  const said = (await page.locator('.msg[data-role="customer"] .text').allTextContents()).filter((t) => t === 'Typed on the pricing page');
  assert.equal(said.length, 1);
  watch.assertClean();
  await context.close();
});
