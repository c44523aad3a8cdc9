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
  await page.evaluate(() => { window.firstItem = document.querySelector('#log li'); });

  // Markup typed by a customer stays text.
  await page.fill('#text', '<img src=x onerror="window.pwned=1"><b>bold</b>');
  await page.press('#text', 'Enter');
  await page.locator('#log li[data-role="customer"]').nth(1).waitFor();
  assert.equal(await page.locator('#log li b, #log li img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  // The log is a live region: earlier messages stay the same nodes, so a screen reader
  // announces what is new, not the whole transcript again.
  assert.equal(await page.evaluate(() => document.querySelector('#log li') === window.firstItem), true);
  watch.assertClean();
  await page.close();
});

// QA: the headless demo drew only the transcript: no queue line, no buttons for an offer, no
// rating, so a customer on it could not finish a handoff.
test('the headless demo takes a customer through an offer, the queue, an agent and the rating', async () => {
  const page = await env.browser.newPage();
  const watch = watchPage(page);
  // Every call the demo makes here is one the widget can take: none is warned about.
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning' && m.text().startsWith('Baton:')) warnings.push(m.text()); });
  await page.clock.install();
  await page.goto(`${env.server.url}/headless.html`);
  await page.waitForFunction(() => window.chat && typeof window.chat.state === 'function');
  await page.fill('#text', 'You charged me $480 twice for one order and I want it back');
  await page.press('#text', 'Enter');
  const escalated = page.waitForResponse((r) => r.url().endsWith('/v1/escalations') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Connect me' }).click();
  const { case_id: caseId } = await (await escalated).json();
  await page.locator('#status', { hasText: /in queue/ }).waitFor({ timeout: 5_000 });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'text', 'focus moved to the textbox, not <body>');

  const agent = async (path, body) => {
    const res = await fetch(`${env.server.url}/v1/agent/cases/${caseId}/${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.ok(res.ok, `${path}: ${res.status}`);
  };
  await agent('accept', { agent: 'Sam' });
  await agent('messages', { text: 'Hi, Sam here: refund on its way' });
  // Heard on the case's event stream, with no poll due.
  await page.locator('#log li[data-role="agent"]', { hasText: 'Sam: Hi, Sam here' }).waitFor({ timeout: 10_000 });
  await agent('resolve', {});
  const four = page.getByRole('button', { name: '4 out of 5' });
  await four.waitFor({ timeout: 10_000 });
  const rated = page.waitForResponse((r) => r.url().endsWith(`/v1/cases/${caseId}/csat`));
  await four.click();
  assert.ok((await rated).ok());
  await four.waitFor({ state: 'detached' });
  assert.deepEqual(warnings, []);
  watch.assertClean();
  await page.close();
});
