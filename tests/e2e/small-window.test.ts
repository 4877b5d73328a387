/**
 * NetLab on a 1024×700 classroom projector, the inspector docked at the bottom and on the
 * right: every main tab is reachable, no view runs under the inspector, the Swarm and Mail
 * views rearrange instead of squeezing a column to nothing, the services rail folds to a strip
 * (remembered), and the splitters are wide enough to grab and move from the keyboard.
 * Screenshots: tests/artifacts/small-<dock>-<tab>.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;
const TABS = ['terminal', 'scenarios', 'web', 'dns', 'swarm', 'dht', 'mail'] as const;

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="service-row-http"]').waitFor();
});
afterAll(() => ui?.close());

const box = async (sel: string) => (await page.locator(sel).first().boundingBox())!;

async function dockAt(side: 'bottom' | 'right'): Promise<void> {
  const now = await page.locator('[data-testid="inspector"]').getAttribute('class');
  if (!now!.includes(side)) await page.locator('[data-testid="dock-toggle"]').click();
  await expect.poll(async () => (await page.locator('[data-testid="inspector"]').getAttribute('class'))!.includes(side)).toBe(true);
}

describe('a 1024×700 window', () => {
  for (const side of ['bottom', 'right'] as const) {
    it(`docked ${side}: every tab is reachable and no view runs under the inspector`, async () => {
      await dockAt(side);
      const inspector = await box('[data-testid="inspector"]');
      for (const tab of TABS) {
        const button = await box(`[data-testid="tab-${tab}"]`);
        expect(button.x + button.width, `${tab} tab inside the window`).toBeLessThanOrEqual(side === 'right' ? inspector.x + 1 : 1024);
        await page.locator(`[data-testid="tab-${tab}"]`).click();
        await page.waitForTimeout(600);
        if (tab === 'dns') await page.locator('[data-testid="dns-pane-guide"]').click();
        // nothing the view draws lands on the inspector: its filter box is on top where it is
        const onTop = await page.evaluate(`(() => {
          const f = document.querySelector('[data-testid="inspector-filter-text"]');
          const r = f.getBoundingClientRect();
          const points = [[r.left + 4, r.top + r.height / 2], [r.left + r.width / 2, r.top + r.height / 2], [r.right - 4, r.top + r.height / 2]];
          return points.every(([x, y]) => document.elementFromPoint(x, y) === f);
        })()`);
        expect(onTop, `${tab} view stays off the inspector's filter box`).toBe(true);
        await ui.shot(`small-${side}-${tab}`);
      }
    });
  }

  it('docked right, the swarm editor and the swarm each keep a usable size, and the open message stays in view', async () => {
    await dockAt('right');
    await page.locator('[data-testid="tab-swarm"]').click();
    const editor = await box('[data-testid="swarm-editor"]');
    const right = await box('[data-testid="swarm-right"]');
    expect(editor.width).toBeGreaterThan(280);
    expect(editor.height).toBeGreaterThan(120);
    expect(right.width).toBeGreaterThan(280);
    await page.locator('[data-testid="tab-mail"]').click();
    const detail = await box('[data-testid="mail-view"] .three > :last-child');
    expect(detail.width).toBeGreaterThan(280);
    expect(detail.height).toBeGreaterThan(150);
  });

  it('the services rail folds to a strip, gives its room to the views, and stays folded after a reload', async () => {
    await dockAt('bottom');
    const before = await box('.main-tabs');
    await page.locator('[data-testid="rail-toggle"]').click();
    expect(await page.locator('[data-testid="service-row-http"]').count()).toBe(0);
    const after = await box('.main-tabs');
    expect(after.width - before.width).toBeGreaterThan(180);
    await ui.shot('small-rail-folded');
    await page.reload();
    await page.locator('[data-testid="tab-terminal"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="service-rail"] .mini').count()).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="service-row-http"]').count()).toBe(0);
    await page.locator('[data-testid="rail-toggle"]').click();
    await page.locator('[data-testid="service-row-http"]').waitFor();
  });

  it('the splitters are 6 px to grab and the arrow keys move them', async () => {
    await dockAt('bottom');
    const split = page.locator('[role="separator"][aria-label="Resize the inspector"]');
    expect((await split.boundingBox())!.height).toBeGreaterThanOrEqual(6);
    const h0 = (await box('[data-testid="inspector"]')).height;
    await split.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await box('[data-testid="inspector"]')).height).toBeGreaterThan(h0 + 20);
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(async () => (await box('[data-testid="inspector"]')).height).toBeLessThan(h0);
    const rail = page.locator('[role="separator"][aria-label="Resize the services rail"]');
    expect((await rail.boundingBox())!.width).toBeGreaterThanOrEqual(6);
    const w0 = (await box('[data-testid="service-rail"]')).width;
    await rail.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await box('[data-testid="service-rail"]')).width).toBeLessThan(w0);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
