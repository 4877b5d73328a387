/**
 * A page opened on a lab with history shows its newest rows without asking for them: the
 * page's first module opens the lab's socket with the inspector's opening asked in its
 * address, and the lab sends it as the socket opens (src-renderer/src/api/earlyLink.ts,
 * src-main/bridge/attach.ts). By the time the first row is drawn the page has sent the lab no
 * call about the capture, and the rows are the newest, counted against the whole capture.
 * Messages captured after the page opened come in after them, none lost.
 */
import dgram from 'node:dgram';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';
import { apiCall } from '../helpers/serve';

let ui: LabPage;
let page: Page;

const labCall = <T>(method: string, ...args: unknown[]): Promise<T> => apiCall<T>(ui.lab, method, ...args);

/** `n` datagrams to the UDP echo from one real socket, each answered */
async function echo(word: string, n: number): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.connect(ui.lab.echoPort, '127.0.0.1', r));
  for (let i = 0; i < n; i++) {
    const reply = new Promise<Buffer>((r) => s.once('message', r));
    s.send(`${word} ${i}\n`);
    expect((await reply).toString()).toBe(`${word.toUpperCase()} ${i}\n`);
  }
  s.close();
}

interface FirstDraw {
  ids: number[];
  /** what the page had sent on its sockets by then */
  sent: string[];
}

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await echo('before', 150);
  // a string: the test files are type-checked without the DOM's types
  await page.addInitScript(`
    const sent = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      sent.push(typeof data === 'string' ? data : '(binary)');
      return send.call(this, data);
    };
    new MutationObserver((_, observer) => {
      const rows = [...document.querySelectorAll('[data-testid="inspector-row"]')];
      if (rows.length === 0) return;
      observer.disconnect();
      window.__firstDraw = { ids: rows.map((r) => Number(r.dataset.id)), sent: [...sent] };
    }).observe(document, { childList: true, subtree: true });
  `);
}, 60_000);
afterAll(() => ui?.close());

describe('the inspector opens with the rows the lab sends unasked', () => {
  it('draws the newest rows before the page has asked anything about the capture; later messages follow', async () => {
    const settings = await labCall<{ stored: number }>('capture.settings');
    const newest = (await labCall<{ id: number }[]>('capture.list', { beforeId: Number.MAX_SAFE_INTEGER, limit: 1 }))[0].id;
    expect(settings.stored).toBeGreaterThanOrEqual(300);

    await page.goto(ui.lab.url);
    await page.locator('[data-testid="inspector-row"]').first().waitFor({ timeout: 20_000 });
    const first = (await page.evaluate('window.__firstDraw')) as FirstDraw;
    const asked = first.sent.map((s) => (JSON.parse(s) as { method?: string }).method ?? '');
    expect(asked.filter((m) => m.startsWith('capture.'))).toEqual([]);
    // the newest (a pair row carries its request's id)
    expect(Math.max(...first.ids)).toBeGreaterThanOrEqual(newest - 1);
    const count = page.locator('[data-testid="inspector-count"]');
    await expect.poll(() => count.innerText()).toMatch(new RegExp(`${settings.stored.toLocaleString('en-US')}\\s+stored`));

    // captured after the page opened: drawn after the first rows, as the lab batches them
    await echo('later', 3);
    await page.locator('[data-testid="inspector-kind-both"]').click();
    await page.locator('[data-testid="inspector-filter-text"]').fill('later');
    // each line and its echo, every message shown (no pairs)
    await expect.poll(async () => Number((await count.innerText()).split(/\s+shown/)[0].replace(/\D/g, '')), { timeout: 10_000 }).toBe(6);
    expect(ui.errors).toEqual([]);
  });
});
