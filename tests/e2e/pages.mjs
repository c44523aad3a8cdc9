// Helpers for the embedding tests: throwaway www/ directories holding test pages, and the
// widget's parts (Playwright's CSS locators pierce the open shadow root).
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CUSTOMER_QUESTION = 'How do I reset my password?';

/**
 * A temp directory with `files` ({ 'index.html': '...', 'css/x.css': { copy: '/abs/path' } }).
 * @returns {{ dir: string, remove: () => void }}
 */
export function tempWww(files) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-www-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    if (content && typeof content === 'object' && content.copy) cpSync(content.copy, path, { recursive: true });
    else writeFileSync(path, content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A minimal HTML page: `head` and `body` are inserted as they are. */
export function html({ head = '', body = '', lang = 'en', title = 'Baton test page' } = {}) {
  return `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n` +
    `<link rel="icon" href="data:,">\n${head}\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

/** The widget's parts on `page` (the first widget, or the one inside `host`). */
export function widget(page, host = '[data-baton]') {
  const part = (sel) => page.locator(`${host} ${sel}`);
  return {
    host: page.locator(host),
    launcher: part('.launcher'),
    panel: part('.panel'),
    title: part('.title'),
    input: part('.input'),
    send: part('.send'),
    messages: part('.msg'),
    byRole: (role) => part(`.msg[data-role="${role}"]`),
  };
}

/** Opens the panel, sends `text` with the send button and waits for the assistant's reply. */
export async function sendAndAwaitReply(page, text = CUSTOMER_QUESTION, { timeout = 15_000 } = {}) {
  const w = widget(page);
  if (await w.panel.isHidden()) await w.launcher.click();
  const before = await w.byRole('ai').count();
  await w.input.fill(text);
  await w.send.click();
  await w.byRole('ai').nth(before).waitFor({ timeout });
  return (await w.byRole('ai').nth(before).locator('.text').textContent()) ?? '';
}
