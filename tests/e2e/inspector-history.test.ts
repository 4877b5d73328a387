/**
 * A large capture opens newest first: with 30,000 messages from a real TCP client captured
 * before the page opens, the first rows the inspector draws are the newest, and the count
 * says the whole capture's size from that first page on while older pages fill in behind
 * (binary page frames, src-main/lab/capture/page-frame.ts). A filter set and a row selected
 * while pages arrive stay right: the search finds every matching message, oldest included,
 * and the selection stays on its row. Screenshot: tests/artifacts/inspector-history.png.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openLab, type LabPage } from '../helpers/browser';
import { tempDir } from '../helpers/lab';
import { apiCall, freePort } from '../helpers/serve';

const ROUND_TRIPS = 15_000; // two messages each: the line and its echo
const NEEDLE_EVERY = 100;
let ui: LabPage;
let page: Page;

const labCall = <T>(method: string, ...args: unknown[]): Promise<T> => apiCall<T>(ui.lab, method, ...args);

/** `n` line round trips on one persistent TCP connection to the lab's echo; every NEEDLE_EVERY-th line says "needle" */
async function fill(port: number, n: number): Promise<void> {
  const s = net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
  s.setNoDelay(true);
  let got = '';
  let waiting: (() => void) | null = null;
  s.on('data', (d) => {
    got += d.toString();
    if (got.endsWith('\n') && waiting) waiting();
  });
  for (let i = 0; i < n; i++) {
    got = '';
    const line = i % NEEDLE_EVERY === 0 ? `needle ${i}\n` : `line ${i}\n`;
    await new Promise<void>((resolve) => {
      waiting = resolve;
      s.write(line);
    });
    expect(got).toBe(line.toUpperCase());
  }
  s.end();
}

/** noted in the page as the first row is drawn: the ids drawn, the count and the loading note */
interface FirstDraw {
  ids: number[];
  count: string;
  loading: boolean;
}

beforeAll(async () => {
  const port = await freePort();
  const file = path.join(await tempDir('netlab-e2e-'), 'scenario.yaml');
  await fs.writeFile(file, `name: history e2e\nservices:\n  echo-tcp: { port: ${port}, mode: persistent }\n  echo-udp: { port: ${port} }\n`);
  ui = await openLab({ args: ['--scenario', file] });
  page = ui.page;
  await fill(port, ROUND_TRIPS);
  // a string: the test files are type-checked without the DOM's types
  await page.addInitScript(`
    new MutationObserver((_, observer) => {
      const rows = [...document.querySelectorAll('[data-testid="inspector-row"]')];
      if (rows.length === 0) return;
      observer.disconnect();
      window.__firstDraw = {
        ids: rows.map((r) => Number(r.dataset.id)),
        count: document.querySelector('[data-testid="inspector-count"]')?.textContent ?? '',
        loading: document.querySelector('[data-testid="inspector-history-loading"]') !== null,
      };
    }).observe(document, { childList: true, subtree: true });
  `);
}, 120_000);
afterAll(() => ui?.close());

const countText = (): Promise<string> => page.locator('[data-testid="inspector-count"]').innerText();
const numbers = (text: string): number[] => [...text.replace(/(\d),(\d)/g, '$1$2').matchAll(/\d+/g)].map((m) => Number(m[0]));

describe('a large capture opens newest first', () => {
  it('draws the newest rows first with the whole count; a filter and a selection made while pages arrive stay right', async () => {
    const settings = await labCall<{ stored: number }>('capture.settings');
    const newest = (await labCall<{ id: number }[]>('capture.list', { beforeId: Number.MAX_SAFE_INTEGER, limit: 1 }))[0].id;
    expect(settings.stored).toBeGreaterThanOrEqual(2 * ROUND_TRIPS);

    await page.goto(ui.lab.url);
    await page.locator('[data-testid="inspector-row"]').first().waitFor({ timeout: 20_000 });
    const first = (await page.evaluate('window.__firstDraw')) as FirstDraw;
    // the newest rows, the whole capture counted, older pages still to come
    expect(Math.max(...first.ids)).toBeGreaterThanOrEqual(newest - 2);
    expect(Math.min(...first.ids)).toBeGreaterThan(newest - 1_000);
    expect(numbers(first.count)[1]).toBe(settings.stored);
    expect(first.loading).toBe(true);

    // while older pages arrive: every message (no pairs), a search, the newest needle selected
    await page.locator('[data-testid="inspector-kind-both"]').click();
    await page.locator('[data-testid="inspector-filter-text"]').fill('needle');
    // the newest needle, clicked while older pages still arrive. The list may move under the
    // pointer between Playwright's aim and its click (pages land at their own pace): what the
    // click selected is read back from the list, and that selection must survive the paging
    const allNeedles = `((rows) => rows.length > 0 && rows.every((r) => /needle/i.test(r.textContent ?? '')))([...document.querySelectorAll('[data-testid="inspector-row"]')])`;
    await expect.poll(() => page.evaluate(allNeedles), { timeout: 10_000 }).toBe(true);
    const newestShown = Number(await page.evaluate(`Math.max(...[...document.querySelectorAll('[data-testid="inspector-row"]')].map((r) => Number(r.dataset.id)))`));
    await page.locator(`[data-testid="inspector-row"][data-id="${newestShown}"]`).click();
    const selected = page.locator('[data-testid="inspector-row"][aria-selected="true"]');
    const selectedId = Number(await selected.getAttribute('data-id'));
    const selectedText = (await selected.innerText()).toLowerCase();
    expect(selectedText).toMatch(/needle \d+/);

    await page.locator('[data-testid="inspector-history-loading"]').waitFor({ state: 'detached', timeout: 30_000 });
    const needles = 2 * Math.ceil(ROUND_TRIPS / NEEDLE_EVERY); // each needle line and its echo
    await expect.poll(async () => numbers(await countText()), { timeout: 10_000 }).toEqual([needles, settings.stored]);
    await selected.scrollIntoViewIfNeeded();
    expect(Number(await selected.getAttribute('data-id'))).toBe(selectedId);
    expect((await selected.innerText()).toLowerCase()).toBe(selectedText);

    // the oldest needle is there too, at the top of the list
    await page.evaluate(`document.querySelector('[data-testid="inspector-grid"]').scrollTop = 0`);
    await expect.poll(() => page.locator('[data-testid="inspector-row"]').first().innerText(), { timeout: 5_000 }).toMatch(/needle 0(?!\d)/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'inspector-history.png') });
    expect(ui.errors).toEqual([]);
  });
});
