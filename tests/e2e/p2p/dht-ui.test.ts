/**
 * The DHT in headless Chromium against `netlab serve`: the ring drawn as a circle with its
 * eight peers, a lookup's path hop by hop with its messages beside the textbook's, and a key
 * put and got by hand in the lab terminal. Screenshots: tests/artifacts/dht-ring.png,
 * dht-ring-narrow.png, dht-terminal.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Lab } from '../../../src-main/lab/lab';
import { openLab, scenarioArgs, terminalText, typeInTerminal, type LabPage } from '../../helpers/browser';
import { RESOURCES, tempDir } from '../../helpers/lab';
import { freePort } from '../../helpers/serve';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  // only the DHT ring runs, on a free port
  const ids = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser' }).services.map((s) => s.id);
  const dht = await freePort();
  ui = await openLab({ args: await scenarioArgs('dht only', Object.fromEntries(ids.map((id) => [id, id === 'dht' && dht]))) });
  page = ui.page;
});
afterAll(() => ui?.close());

it('draws the textbook ring and a lookup of key 51 from peer 1 hop by hop: 7 hops, 8 messages', async () => {
  await page.goto(ui.lab.url);
  // the ring waits to be started, as a student starts it: ▶ in its rail row
  await expect.poll(() => page.locator('[data-testid="service-row-dht"]').getAttribute('data-state')).toBe('stopped');
  await page.locator('[data-testid="service-start-dht"]').click();
  await expect.poll(() => page.locator('[data-testid="service-row-dht"]').getAttribute('data-state')).toBe('running');
  await page.locator('[data-testid="tab-dht"]').click();
  await page.locator('[data-testid="dht-ring"]').waitFor();
  await expect.poll(() => page.locator('[data-testid="dht-peer"]').count()).toBe(8);
  expect(await page.locator('[data-testid="dht-ring"] text.label').allTextContents()).toEqual(['1', '12', '13', '25', '32', '40', '48', '60']);
  // the scenario's three lookups, newest first
  await expect.poll(() => page.locator('[data-testid="dht-lookup-row"]').count()).toBe(3);
  await page.locator('[data-testid="dht-key"]').fill('51');
  await page.locator('[data-testid="dht-lookup"]').click();
  await expect.poll(() => page.locator('[data-testid="dht-shown"]').innerText()).toMatch(/key 51 → peer 60: 7 hops, 8 messages\s+\(textbook N\/2 = 4 on average\)/);
  expect(await page.locator('[data-testid="dht-hop"]').count()).toBe(7);
  expect(await page.locator('[data-testid="dht-lookup-row"]').first().innerText()).toMatch(/51\s+1\s+60\s+7\s+8/);
  await ui.shot('dht-ring');
  // the ring in the services rail, like the tracker
  await page.locator('[data-testid="service-row-dht"]').scrollIntoViewIfNeeded();
  expect(await page.locator('[data-testid="service-row-dht"]').innerText()).toMatch(/DHT ring[\s\S]*UDP \d+\s+running/);
  await page.locator('[data-testid="service-row-dht"]').screenshot({ path: 'tests/artifacts/dht-rail.png' });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(300);
  const ring = await page.locator('[data-testid="dht-ring"]').boundingBox();
  expect(ring && ring.width > 200).toBe(true);
  await ui.shot('dht-ring-narrow');
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(ui.errors).toEqual([]);
});

it('put and get by hand in the lab terminal; the ring shows the key at peer 60', async () => {
  await page.locator('[data-testid="tab-terminal"]').click();
  await page.locator('[data-testid="terminal-new"]').click();
  await page.locator('[data-testid="terminal-pane"] .xterm-rows', { hasText: 'netlab>' }).waitFor();
  await typeInTerminal(page, 'dht put 53 value');
  await expect.poll(() => terminalText(page), { timeout: 5000 }).toMatch(/key 53 stored at peer 60/);
  await typeInTerminal(page, 'dht get 53');
  await expect.poll(() => terminalText(page), { timeout: 5000 }).toMatch(/key 53 value 'value' from peer 60/);
  await ui.shot('dht-terminal');
  await page.locator('[data-testid="tab-dht"]').click();
  const row60 = page.locator('[data-testid="dht-peers"] tr').filter({ has: page.locator('td:first-child', { hasText: /^60$/ }) });
  await expect.poll(() => row60.innerText(), { timeout: 5000 }).toMatch(/51 53/);
  await ui.shot('dht-ring-key');
  expect(ui.errors).toEqual([]);
});
