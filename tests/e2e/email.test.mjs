// The summary email, end to end: `baton serve --mail-command PROGRAM` pipes each new case's
// summary to the program (here a script that keeps the message, as sendmail would queue it),
// and only then does the widget tell the customer "We've emailed a summary to …".
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { serverAndBrowser, watchPage } from './harness.mjs';

const outbox = mkdtempSync(join(tmpdir(), 'baton-mail-'));
const sendmail = join(outbox, 'sendmail.sh');
writeFileSync(sendmail, '#!/bin/sh\ncat > "$(dirname "$0")/message-$$.eml"\n');
chmodSync(sendmail, 0o755);
after(() => rmSync(outbox, { recursive: true, force: true }));

const env = serverAndBrowser({ args: ['--agents', '1', '--mail-command', sendmail] });

test('the customer is told of the emailed summary only once it went to the mail command', async () => {
  const context = await env.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${env.server.url}/`);
  await page.evaluate(() => window.Baton('identify', { name: 'Ines', email: 'ines@example.com' }));
  await page.getByRole('button', { name: /chat/i }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('My invoice export is empty since Tuesday');
  await box.press('Enter');
  await page.locator('.msg[data-role="ai"]').first().waitFor();
  await page.getByRole('button', { name: 'Speak to a human' }).click();
  const told = page.locator('.msg[data-role="system"]', { hasText: "We've emailed a summary to ines@example.com." });
  await told.waitFor({ timeout: 10_000 });

  const sent = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
  assert.equal(sent.length, 1, 'one email');
  const message = readFileSync(join(outbox, sent[0]), 'utf8');
  const caseNumber = (await told.textContent()).match(/BT-\d+/)?.[0]
    ?? (await page.locator('.msg[data-role="system"]', { hasText: 'case number' }).last().textContent()).match(/BT-\d+/)?.[0];
  assert.ok(caseNumber, 'the widget gave the case number');
  assert.match(message, new RegExp(`^To: ines@example\\.com\\r\\nSubject: Your support case ${caseNumber}\\r\\n`));
  assert.match(message, /> My invoice export is empty since Tuesday\r\n/, 'the customer\'s own words');
  watch.assertClean();
  await context.close();
});
