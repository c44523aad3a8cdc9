// A case left with contact details while nobody was available stays live: the widget checks
// it every poll interval, and an agent who takes it joins the chat. The email form is filled
// in from identify(). Its own server (`--agents
// 0`): accepting a case counts its agent as online, which would change the offline tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, watchPage } from './harness.mjs';

const env = serverAndBrowser({ args: ['--agents', '0'] });

// QA: a case left with contact details was one-way: an agent who took it in the morning while
// the customer was still on the site replied into a widget that no longer listened.
test('an agent who takes a case left with an email joins the chat as soon as they take it', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.clock.install();
  await page.goto(`${env.server.url}/`);
  await page.evaluate(() => window.Baton('identify', { name: 'Ines', email: 'ines@example.com' }));
  await page.getByRole('button', { name: /chat/i }).click();
  await page.getByRole('button', { name: 'Speak to a human' }).click();
  // QA: the email was asked for again although identify() had given it.
  assert.equal(await page.getByRole('textbox', { name: 'Your email' }).inputValue(), 'ines@example.com', 'filled in from identify()');
  const escalated = page.waitForResponse((r) => r.url().endsWith('/v1/escalations') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Email me' }).click();
  const { case_id: caseId } = await (await escalated).json();
  await page.locator('.msg[data-role="system"]', { hasText: 'ines@example.com' }).waitFor({ timeout: 5_000 });

  const agent = (path, body) => fetch(`${env.server.url}/v1/agent/cases/${caseId}/${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  await page.clock.pauseAt(Date.now() + 1_000);
  assert.ok((await agent('accept', { agent: 'Sam' })).ok);
  assert.ok((await agent('messages', { text: 'Morning Ines, I have your message here' })).ok);
  // Heard on the case's event stream: no poll is due (the page's clock stands still).
  await page.locator('.msg[data-role="agent"]', { hasText: 'Morning Ines' }).waitFor({ timeout: 10_000 });
  await page.locator('.msg[data-role="system"]', { hasText: 'Sam joined' }).waitFor();
  watch.assertClean();
  await context.close();
});
