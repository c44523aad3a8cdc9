// The handoff package end to end: delivered exactly once through failures (Playwright fails the
// first two POSTs), and untrusted text (the public XSS corpus) arriving as plain text in the
// package and in the agent console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiOf, serverAndBrowser, watchPage, ROOT } from './harness.mjs';

const env = serverAndBrowser({ args: ['--agents', '1'] });

const api = apiOf(env);

async function casesOf(name) {
  const { cases } = await api('/v1/agent/cases?agent=Tester');
  return cases.filter((c) => c.customer?.name === name);
}

test('the first two escalation POSTs fail: one case exists, with one key, and the customer sees the queue', async () => {
  const page = await env.browser.newPage();
  const watch = watchPage(page, { ignore: [/503/, /Failed to load resource/] });
  const keys = [];
  let failures = 0;
  await page.route('**/v1/escalations', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (failures < 2) {
      failures += 1;
      return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"try later"}}' });
    }
    return route.continue();
  });
  await page.goto(`${env.server.url}/`);
  await page.evaluate(() => window.Baton('identify', { name: 'Retry Rita', email: 'rita@example.com' }));
  await page.getByRole('button', { name: /chat/i }).click();
  await page.getByRole('button', { name: 'Speak to a human' }).click();
  await page.getByRole('status').filter({ hasText: 'in queue' }).waitFor({ timeout: 15_000 });
  assert.equal(keys.length, 3, 'two failures, then the delivery');
  assert.equal(new Set(keys).size, 1, 'the same Idempotency-Key on every attempt');
  assert.match(keys[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID v4');
  assert.equal((await casesOf('Retry Rita')).length, 1, 'exactly one case on the server');
  watch.assertClean();
  await page.close();
});

test('XSS payloads typed by the customer arrive as plain text in the package and in the agent console', async () => {
  const corpus = readFileSync(join(ROOT, '..', 'shared', 'data', 'xss', 'payloads.txt'), 'utf8').split('\n').filter(Boolean);
  const payloads = [corpus[0], ...corpus.filter((p) => /<script|onerror|<svg|javascript:/i.test(p)).slice(0, 6)];
  const name = `<img src=x onerror="window.__pwned=1">Mallory`;

  const page = await env.browser.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(`${env.server.url}/`);
  await page.evaluate((n) => window.Baton('identify', { name: n }), name);
  await page.getByRole('button', { name: /chat/i }).click();
  const input = page.getByRole('textbox', { name: 'Message' });
  for (const p of payloads) {
    await input.fill(p);
    await input.press('Enter');
  }
  await page.locator('.msg[data-role="customer"]').nth(payloads.length - 1).waitFor();
  await page.getByRole('button', { name: 'Speak to a human' }).click();
  await page.getByRole('status').filter({ hasText: 'in queue' }).waitFor({ timeout: 15_000 });
  const shown = await page.locator('.msg[data-role="customer"] .text').allTextContents();
  for (const p of payloads) assert.ok(shown.includes(p.trim()), `the widget shows it as text: ${p}`);

  const [mine] = await casesOf(name);
  assert.ok(mine, 'the case arrived with the customer name as given');
  const detail = await api(`/v1/agent/cases/${mine.case_id}`);
  const texts = detail.package.conversation.messages.map((m) => m.text);
  for (const p of payloads) assert.ok(texts.includes(p.trim()), `the package carries it unchanged: ${p}`);
  assert.equal(detail.package.customer.name, name);

  const agent = await env.browser.newPage();
  agent.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await agent.goto(`${env.server.url}/agent`);
  const card = agent.locator('article.case', { hasText: mine.case_number });
  await card.waitFor({ timeout: 10_000 });
  await card.getByRole('button', { name: `View transcript of case ${mine.case_number}` }).click();
  const transcript = card.getByRole('list', { name: 'Full transcript' });
  await transcript.waitFor();
  const transcriptText = await transcript.textContent();
  for (const p of payloads) assert.ok(transcriptText.includes(p.trim()), `the console shows it as text: ${p}`);
  assert.equal(await card.locator('img, script, svg, iframe').count(), 0, 'no markup was created from customer text');

  const pwned = await Promise.all([page, agent].map((p) => p.evaluate(() => window.__pwned === 1)));
  assert.deepEqual(pwned, [false, false], 'no payload ran');
  assert.deepEqual(dialogs, [], 'no payload opened a dialog');
  await agent.close();
  await page.close();
});
