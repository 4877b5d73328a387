/**
 * The Swarm tab in headless Chromium against `netlab serve`: the textbook swarm loaded in the
 * editor, a validation error at its line, a run of its shape (a quarter of its file) watched
 * live, and the result against the bounds with the plot; a swarm announcing over UDP, its
 * tracker datagrams in the inspector.
 * Screenshots go to tests/artifacts (swarm-live.png, swarm-result.png, swarm-udp-inspector.png, swarm-baseline.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src-main/lab/lab';
import { openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { RESOURCES, tempDir } from '../../helpers/lab';
import { freePort, type Served } from '../../helpers/serve';
import { replaceScenario } from './swarm-editor';

let ui: LabPage;
let lab: Served;
let page: Page;

beforeAll(async () => {
  // only the tracker runs (on a free port): a swarm needs nothing else
  const ids = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser' }).services.map((s) => s.id);
  const tracker = await freePort();
  const args = await scenarioArgs('tracker only', Object.fromEntries(ids.map((id) => [id, id.startsWith('tracker') && tracker])));
  ui = await openLab({ args });
  ({ lab, page } = ui);
});
afterAll(() => ui?.close());

const shot = (name: string) => ui.shot(name);

describe('the Swarm tab', () => {
  it('loads the textbook swarm and points at a mistake by line', async () => {
    await page.goto(lab.url);
    await page.locator('[data-testid="tab-swarm"]').click();
    await page.locator('[data-testid="swarm-editor"] .view-lines').waitFor();
    await expect.poll(() => page.locator('[data-testid="swarm-validation"]').innerText()).toMatch(/valid/);
    expect(await page.locator('[data-testid="swarm-editor"] .view-lines').innerText()).toMatch(/name:\s+textbook/);
    // a misspelt key
    await page.locator('[data-testid="swarm-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nslotz: 4');
    await expect.poll(() => page.locator('[data-testid="swarm-validation"]').innerText()).toMatch(/^line 2\d: slotz: unknown key/);
    expect(await page.locator('[data-testid="swarm-run"]').isDisabled()).toBe(true);
    for (let i = 0; i < '\nslotz: 4'.length; i++) await page.keyboard.press('Backspace');
    await expect.poll(() => page.locator('[data-testid="swarm-validation"]').innerText(), { timeout: 5000 }).toMatch(/valid/);
  });

  it('runs it live and shows the result against D_cs and D_P2P', async () => {
    // the textbook swarm's shape (one server, ten peers, u_s = 10u, d_min = u_s, 32 chunks) with
    // a quarter of its file: D_P2P = 2.56 s, D_cs = 5.12 s for the baseline beside it
    const textbook = [
      'name: textbook',
      'file: { size: 2 MiB, chunkSize: 64 KiB, seed: 1 }',
      'server: { upload: 4000 KiB/s }',
      'peers: [{ count: 10, upload: 400 KiB/s, download: 4000 KiB/s, strategy: rarest-first, afterComplete: stay }]',
      'tracker: http',
      'timeFactor: 10',
      'slots: 4',
      'seed: 42',
      'timeout: 60 s',
      'capture: false',
      'baseline: true',
      '',
    ].join('\n');
    await replaceScenario(page, textbook, /size:\s+2\s+MiB/);
    await page.locator('[data-testid="swarm-run"]').click();
    await page.locator('[data-testid="swarm-graph"]').waitFor();
    // live: a peer has its first chunks (a part-filled ring) or already all of them
    await expect.poll(() => page.locator('[data-testid="swarm-graph"] .node .ring, [data-testid="swarm-graph"] .node.seeding:not(.server)').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await shot('swarm-live');
    expect(await page.locator('[data-testid="swarm-graph"] .node').count()).toBe(11);
    expect(await page.locator('[data-testid="swarm-tracker"]').innerText()).toMatch(/^tracker http:\/\/127\.0\.0\.1:\d+$/);
    // the .torrent link whole inside the editor's column
    const link = await page.locator('[data-testid="swarm-torrent"]').boundingBox();
    const column = await page.locator('[data-testid="swarm-view"] > .left').boundingBox();
    expect(link && column && link.x + link.width <= column.x + column.width).toBe(true);
    // every peer's name clear of every node (it sat under its node, crossed by the edges)
    const overlaps = await page.locator('[data-testid="swarm-graph"]').evaluate((svg) => {
      const circles = [...svg.querySelectorAll('circle.body')].map((c) => c.getBoundingClientRect());
      const out: string[] = [];
      for (const t of svg.querySelectorAll('[data-testid="swarm-label"]')) {
        const b = t.getBoundingClientRect();
        for (const c of circles) {
          const cx = c.x + c.width / 2;
          const cy = c.y + c.height / 2;
          const dx = Math.max(b.left - cx, 0, cx - b.right);
          const dy = Math.max(b.top - cy, 0, cy - b.bottom);
          if (Math.hypot(dx, dy) < c.width / 2) out.push(t.textContent ?? '');
        }
      }
      return out;
    });
    expect(overlaps).toEqual([]);
    expect(await page.locator('[data-testid="swarm-label"]').count()).toBe(11);
    // each peer on its own loopback address, listed by name
    const addresses = await page.locator('[data-testid="swarm-address"]').allInnerTexts();
    expect(addresses).toHaveLength(11);
    for (const a of addresses) expect(a).toMatch(/^(server|p\d+) 127\.0\.0\.\d+:\d+$/);
    expect(new Set(addresses.map((a) => a.split(' ')[1].split(':')[0])).size).toBe(11);
    await page.locator('[data-testid="swarm-result"]').waitFor({ timeout: 70_000 });
    await page.locator('[data-testid="swarm-plot"] canvas').first().waitFor();
    const measured = await page.locator('[data-testid="swarm-measured"]').innerText();
    expect(measured).toMatch(/^\d+\.\d+ s$/);
    // the result opens at its top: the measured time and both bounds in view, the pane not scrolled past them
    await page.waitForTimeout(300);
    const pane = await page.locator('[data-testid="swarm-right"]').boundingBox();
    const top = await page.locator('[data-testid="swarm-result"]').boundingBox();
    expect(pane && top && top.y >= pane.y && top.y <= pane.y + 20).toBe(true);
    await shot('swarm-result');
    // the measured points are filled discs, and the legend draws them so
    const plot = page.locator('[data-testid="swarm-plot"]');
    const markers = await plot.locator('.u-legend .u-series').evaluateAll((rows) =>
      rows.map((r) => {
        const m = r.querySelector('.u-marker');
        // this runs in the page (the test's own tsconfig has no DOM library)
        const cs = m ? (globalThis as unknown as { getComputedStyle(e: unknown): { borderRadius: string; backgroundColor: string } }).getComputedStyle(m) : null;
        return { label: r.textContent?.trim() ?? '', radius: cs?.borderRadius ?? '', background: cs?.backgroundColor ?? '' };
      }),
    );
    const p2pMarker = markers.find((m) => m.label.startsWith('P2P measured'))!;
    for (const m of markers.filter((x) => /measured$/.test(x.label))) expect(m.radius, m.label).toBe('50%');
    expect(markers.filter((x) => /measured$/.test(x.label))).toHaveLength(2);
    expect(p2pMarker.background).not.toMatch(/^(transparent|rgba\(0, 0, 0, 0\))$/);
    // somewhere on the canvas a solid 6×6 block of the P2P colour: a disc, not a ring or a line
    const solid = await plot.locator('canvas').first().evaluate((el, colour: string) => {
      const canvas = el as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const [r, g, b] = colour.match(/\d+/g)!.map(Number);
      const { width, height } = canvas;
      const px = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      const is = (x: number, y: number): boolean => {
        const i = (y * width + x) * 4;
        return Math.abs(px[i] - r) < 8 && Math.abs(px[i + 1] - g) < 8 && Math.abs(px[i + 2] - b) < 8 && px[i + 3] > 240;
      };
      for (let y = 0; y + 6 < height; y++)
        for (let x = 0; x + 6 < width; x++) {
          let all = true;
          for (let dy = 0; dy < 6 && all; dy++) for (let dx = 0; dx < 6 && all; dx++) all = is(x + dx, y + dy);
          if (all) return true;
        }
      return false;
    }, p2pMarker.background);
    expect(solid, 'a filled measured point on the plot').toBe(true);
    // a peer that completed has a full completion bar; one that did not, a part
    const bars = await page.locator('[data-testid="swarm-result"] tbody tr').evaluateAll((rows) =>
      rows
        .map((r) => ({ done: r.querySelectorAll('td')[2]?.textContent?.trim() ?? '', completion: r.querySelector('[data-testid="swarm-completion"]')?.getAttribute('data-completion') }))
        .filter((x) => x.completion !== undefined),
    );
    expect(bars.length).toBe(10);
    for (const b of bars) expect(b.completion === '1.000').toBe(b.done !== '—');
    expect(ui.errors).toEqual([]);
  }, 90_000);

  it('runs a swarm announcing over UDP and shows the tracker datagrams decoded in the inspector', async () => {
    // flow style throughout: the editor indents after a block line
    const udp = ['name: udp', 'file: { size: 512 KiB, chunkSize: 64 KiB }', 'server: { upload: 2 MiB/s }', 'peers: [{ count: 4, upload: 512 KiB/s }]', 'tracker: udp', 'timeFactor: 20', 'capture: true', 'timeout: 20', ''].join('\n');
    await replaceScenario(page, udp, /tracker:\s+udp/);
    await page.locator('[data-testid="swarm-run"]').click();
    await expect.poll(() => page.locator('[data-testid="swarm-measured"]').innerText(), { timeout: 30_000 }).toMatch(/^\d+\.\d+ s$/);
    expect(await page.locator('[data-testid="swarm-tracker"]').innerText()).toMatch(/^tracker udp:\/\/127\.0\.0\.1:\d+$/);
    await page.locator('[data-testid="inspector-filter-text"]').fill('UDP announce reply');
    const rows = page.locator('[data-testid="inspector-row"]');
    await expect.poll(() => rows.filter({ hasText: /UDP announce reply · [1-9]\d* peers/ }).count()).toBeGreaterThan(0);
    await rows.filter({ hasText: /UDP announce reply · [1-9]\d* peers/ }).first().click();
    const detail = page.locator('[data-testid="inspector-detail"]');
    await detail.waitFor();
    await page.locator('[data-testid="detail-tab-fields"]').click();
    await expect.poll(() => detail.innerText()).toMatch(/transaction id[\s\S]*seeders[\s\S]*peers/);
    await shot('swarm-udp-inspector');
    await page.locator('[data-testid="inspector-filter-text"]').fill('');
    expect(ui.errors).toEqual([]);
  }, 60_000);

  it('says the client-server baseline is still running after the swarm, with Run disabled until its result', async () => {
    // N·F/u_s = 6 × 512 KiB at 256 KiB/s = 12 s for the baseline; the swarm shares the peers' 1 MiB/s uploads and ends
    // after about F/u_s = 2 s, long before
    const text = ['name: long-baseline', 'file: { size: 512 KiB, chunkSize: 64 KiB }', 'server: { upload: 256 KiB/s }', 'peers: [{ count: 6, upload: 1 MiB/s }]', 'timeFactor: 10', 'timeout: 60', 'baseline: true', ''].join('\n');
    await replaceScenario(page, text, /baseline:\s+true/);
    const run = page.locator('[data-testid="swarm-run"]');
    const status = page.locator('[data-testid="swarm-status"]');
    await run.click();
    await expect.poll(() => status.innerText(), { timeout: 40_000, interval: 100 }).toMatch(/^client-server baseline: running \d+% \(\d of 6 clients have the file\)$/);
    expect(await run.isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="swarm-stop"]').isDisabled()).toBe(false);
    expect(await page.locator('[data-testid="swarm-baseline-progress"]').count()).toBe(1);
    expect(await page.locator('[data-testid="swarm-result"]').count()).toBe(0);
    // the graph keeps the swarm as it ended, not every peer gone
    await page.waitForTimeout(600);
    expect(await page.locator('[data-testid="swarm-graph"] .node.seeding').count()).toBe(7);
    await shot('swarm-baseline');
    await page.locator('[data-testid="swarm-result"]').waitFor({ timeout: 60_000 });
    expect(await status.innerText()).toBe('stopped');
    expect(await run.isDisabled()).toBe(false);
    expect(await page.locator('[data-testid="swarm-baseline-progress"]').count()).toBe(0);
    expect(ui.errors).toEqual([]);
  }, 120_000);
});
