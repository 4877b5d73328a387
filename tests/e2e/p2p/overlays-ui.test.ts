/**
 * The search overlays in headless Chromium against `netlab serve`: started from the rail, the
 * textbook scenario's comparison of Napster, Gnutella and KaZaA (table, bar charts, a row per
 * query), a query asked from the view and one typed in the lab terminal, a QueryHit decoded
 * in the inspector. Screenshots: tests/artifacts/overlays-compare.png,
 * overlays-compare-narrow.png, overlays-terminal.png, overlays-inspector.png.
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
  // only the overlays run: Napster's index on a free port
  const ids = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser' }).services.map((s) => s.id);
  const index = await freePort();
  ui = await openLab({ args: await scenarioArgs('overlays only', Object.fromEntries(ids.map((id) => [id, id === 'overlays' && index]))) });
  page = ui.page;
});
afterAll(() => ui?.close());

it('compares the three overlays on the textbook scenario: a table, four charts, a row per query', async () => {
  await page.goto(ui.lab.url);
  await expect.poll(() => page.locator('[data-testid="service-row-overlays"]').getAttribute('data-state')).toBe('stopped');
  await page.locator('[data-testid="service-start-overlays"]').click();
  await expect.poll(() => page.locator('[data-testid="service-row-overlays"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('running');
  await page.locator('[data-testid="tab-overlays"]').click();
  const totals = page.locator('[data-testid="overlay-totals"] tbody tr');
  await expect.poll(() => totals.count(), { timeout: 10_000 }).toBe(3);
  expect(await totals.nth(0).innerText()).toMatch(/Napster \(central index\)\s+3 \/ 4\s+2\s+1\s+index \(4\)/);
  expect(await totals.nth(1).innerText()).toMatch(/Gnutella \(flooding\)\s+3 \/ 4/);
  expect(await totals.nth(2).innerText()).toMatch(/KaZaA \(super-nodes\)\s+3 \/ 4/);
  for (const m of ['messages', 'hops', 'found', 'load']) expect(await page.locator(`[data-testid="overlay-chart-${m}"] rect`).count()).toBe(3);
  const rows = page.locator('[data-testid="overlay-queries"] tbody tr');
  expect(await rows.count()).toBe(4);
  expect(await rows.nth(1).innerText()).toMatch(/rare-bootleg\s+p3\s+✓ 1 hop · 2 msgs\s+✓ \d+ hops? · \d+ msgs \(formula \d+\)\s+✓ \d+ hops? · \d+ msgs \(formula \d+\)/);
  expect(await rows.nth(3).innerText()).toMatch(/not-there\s+p9\s+✗ not found/);
  await ui.shot('overlays-compare');
  // the Gnutella servents in the rail, with the DHT
  expect(await page.locator('[data-testid="service-row-overlays"]').innerText()).toMatch(/Search overlays[\s\S]*TCP \d+\s+running/);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(300);
  const box = await page.locator('[data-testid="overlay-totals"]').boundingBox();
  expect(box && box.width > 300).toBe(true);
  await ui.shot('overlays-compare-narrow');
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(ui.errors).toEqual([]);
});

it('asks the three from the view, and `overlay query` in the terminal', async () => {
  await page.locator('[data-testid="overlays-file"]').fill('song-05');
  await page.locator('[data-testid="overlays-from"]').selectOption({ label: 'p7' });
  await page.locator('[data-testid="overlays-ask"]').click();
  await expect.poll(() => page.locator('[data-testid="overlay-asked"] tbody tr').count(), { timeout: 10_000 }).toBe(1);
  expect(await page.locator('[data-testid="overlay-asked"] tbody tr').innerText()).toMatch(/song-05\s+p7\s+✓ 1 hop · 2 msgs/);
  await page.locator('[data-testid="tab-terminal"]').click();
  await page.locator('[data-testid="terminal-new"]').click();
  await page.locator('[data-testid="terminal-pane"] .xterm-rows', { hasText: 'netlab>' }).waitFor();
  await typeInTerminal(page, 'overlay query rare-bootleg from 2');
  await expect.poll(() => terminalText(page), { timeout: 10_000 }).toMatch(/kazaa +found 1/);
  expect(await terminalText(page)).toMatch(/gnutella +found 1: \d+ messages \(formula \d+\)/);
  await ui.shot('overlays-terminal');
  expect(ui.errors).toEqual([]);
});

it('the inspector decodes a QueryHit field by field', async () => {
  await page.locator('[data-testid="inspector-filter-text"]').fill('QueryHit rare-bootleg');
  const row = page.locator('[data-testid="inspector-row"]').first();
  await row.waitFor();
  // a binary descriptor opens on its decoded fields
  await row.click();
  const fields = page.locator('[data-testid="detail-fields"]').first();
  await expect.poll(() => fields.innerText(), { timeout: 5000 }).toMatch(/payload descriptor[\s\S]*0x81 \(QueryHit\)/);
  expect(await fields.innerText()).toMatch(/result 1[\s\S]*rare-bootleg\.mp3/);
  await ui.shot('overlays-inspector');
  expect(ui.errors).toEqual([]);
});
