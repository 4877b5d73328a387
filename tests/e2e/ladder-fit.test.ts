/**
 * The ladder of the textbook's SMTP session (Kurose & Ross §2.3.1: 220, HELO/250, MAIL FROM/250,
 * RCPT TO/250, DATA/354, the message and "."/250, QUIT/221; 13 messages), sent by python3's
 * smtplib, drawn whole in the default inspector at 1440×900 without scrolling; at 1024×700, in
 * either dock, its time stamps stay inside the pane. Labels keep clear of each other.
 * Screenshots: tests/artifacts/ladder-1440.png, ladder-1024-bottom.png, ladder-1024-right.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openLab, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';

let ui: LabPage;

beforeAll(async () => {
  ui = await openLab();
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('[data-testid="service-row-smtp-hamburger"]').waitFor();
  const port = /\bTCP (\d+)/.exec(await ui.page.locator('[data-testid="service-row-smtp-hamburger"]').innerText())![1];
  const script = `
import smtplib
s = smtplib.SMTP('127.0.0.1', ${port})
s.helo('crepes.fr')
s.mail('alice@crepes.fr')
s.rcpt('bob@hamburger.edu')
s.data('Subject: ladder\\r\\n\\r\\nDo you like ketchup?\\r\\nHow about pickles?\\r\\n')
s.quit()
`;
  expect((await run('/usr/bin/python3', ['-c', script], { timeoutMs: 15_000 })).stderr).toBe('');
}, 60_000);
afterAll(() => ui?.close());

/** Open the ladder of the connection whose QUIT the inspector shows (smtplib sends its commands in lower case). */
async function openLadder(page: Page): Promise<void> {
  await page.locator('[data-testid="inspector-filter-text"]').fill('quit');
  const quit = page.locator('[data-testid="inspector-row"]').filter({ hasText: /quit\\r\\n/i }).last();
  await expect.poll(() => quit.count(), { timeout: 15_000 }).toBe(1);
  await quit.click();
  await page.locator('[data-testid="inspector-detail"]').waitFor();
  await page.locator('[data-testid="inspector-filter-text"]').fill('');
  await page.locator('[data-testid="detail-tab-ladder"]').click();
  await page.locator('[data-testid="ladder-kind-message"]').click();
  await expect.poll(() => page.locator('[data-testid="ladder-arrow"]').count()).toBe(13);
}

interface Box { left: number; top: number; right: number; bottom: number }
interface Geometry {
  pane: Box;
  scrollTop: number;
  header: Box;
  arrows: { id: number; box: Box; label: Box }[];
  ticks: Box[];
}

/** Boxes of the ladder's pane (its scrolling ancestor), sticky header, arrows, labels and time stamps. */
function geometry(page: Page): Promise<Geometry> {
  return page.evaluate(`(() => {
    const b = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
    const svg = document.querySelector('[data-testid="ladder"]');
    let pane = svg.parentElement;
    while (pane && !/(auto|scroll)/.test(getComputedStyle(pane).overflowY)) pane = pane.parentElement;
    const arrows = [...svg.querySelectorAll('[data-testid="ladder-arrow"]')].map((g) => ({
      id: Number(g.dataset.id), box: b(g), label: b(g.querySelector('text.label')),
    }));
    return { pane: b(pane), scrollTop: pane.scrollTop, header: b(document.querySelector('.ladder-wrap .head')), arrows, ticks: [...svg.querySelectorAll('text.tick')].map(b) };
  })()`);
}

function expectLabelsApart(g: Geometry): void {
  const labels = g.arrows.map((a) => a.label);
  labels.forEach((l, i) => {
    if (i > 0) expect(l.top, `label ${i + 1} below label ${i}`).toBeGreaterThanOrEqual(labels[i - 1].bottom - 1);
  });
}

describe('the SMTP ladder', () => {
  it('fits the default inspector at 1440×900: QUIT/221 in view without scrolling', async () => {
    const { page } = ui;
    await openLadder(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ladder-1440.png') });
    await page.locator('[data-testid="inspector-detail"]').screenshot({ path: path.join(ARTIFACTS, 'ladder-1440-pane.png') });
    const g = await geometry(page);
    expect(g.scrollTop).toBe(0);
    const first = g.arrows[0].box;
    const last = g.arrows[g.arrows.length - 1].box;
    expect(first.top, '220 below the sticky header').toBeGreaterThanOrEqual(g.header.bottom - 1);
    expect(last.bottom, '221 inside the pane').toBeLessThanOrEqual(g.pane.bottom);
    for (const t of g.ticks) expect(t.right, 'time stamp inside the pane').toBeLessThanOrEqual(g.pane.right);
    expectLabelsApart(g);
  });

  for (const dock of ['bottom', 'right'] as const) {
    it(`at 1024×700 docked ${dock}, the time stamps on both sides are inside the pane`, async () => {
      // a fresh page: the inspector takes its default size for this window
      const page = await ui.browser.newPage({ viewport: { width: 1024, height: 700 } });
      try {
        await page.goto(ui.lab.url);
        await page.locator('[data-testid="service-row-smtp-hamburger"]').waitFor();
        if (dock === 'right') await page.locator('[data-testid="dock-toggle"]').click();
        await expect.poll(async () => (await page.locator('[data-testid="inspector"]').getAttribute('class'))!.includes(dock)).toBe(true);
        await openLadder(page);
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(ARTIFACTS, `ladder-1024-${dock}.png`) });
        await page.locator('[data-testid="inspector-detail"]').screenshot({ path: path.join(ARTIFACTS, `ladder-1024-${dock}-pane.png`) });
        const g = await geometry(page);
        expect(g.ticks.length, 'a stamp for each message and event').toBeGreaterThanOrEqual(13);
        for (const t of g.ticks) {
          expect(t.left, 'time stamp inside the pane (left)').toBeGreaterThanOrEqual(g.pane.left);
          expect(t.right, 'time stamp inside the pane (right)').toBeLessThanOrEqual(g.pane.right);
        }
        expectLabelsApart(g);
      } finally {
        await page.close();
      }
    });
  }

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
