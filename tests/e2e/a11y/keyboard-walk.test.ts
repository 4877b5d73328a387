/**
 * The first exercise with the keyboard alone, as a student who uses no mouse does it: the skip
 * link past the header and the services rail, the tab list with the arrow keys to Labs, Tab to
 * the sockets lab and Enter, back to the Terminal tab, Tab into the lab terminal, `nc` to the
 * TCP echo and a sentence (the echo and the passed check are said), out of the terminal
 * (Escape, Tab) and on to the inspector's grid, ↓ to a row and its detail, → between the
 * detail's tabs. Every step asserts where the focus is. Then the focus rings, screenshotted at
 * 1440×900 and 1024×700 in both themes: tests/artifacts/focus-*.png; and a file applied with
 * Enter, said in the live region.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabShown, terminalText, type LabPage } from '../../helpers/browser';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLabShown();
  page = ui.page;
}, 60_000);
afterAll(() => ui?.close());

/** what has the focus, as a test id, an accessible label or a role and text */
async function focused(): Promise<string> {
  const f = page.locator(':focus');
  if ((await f.count()) === 0) return '(body)';
  const el = f.first();
  for (const attr of ['data-testid', 'aria-label']) {
    const v = await el.getAttribute(attr);
    if (v) return v;
  }
  return `${await el.getAttribute('role')}:${(await el.innerText()).trim().slice(0, 30)}`;
}
const isFocused = (l: Locator): Promise<boolean> => l.evaluate((e) => e.matches(':focus'));

/** press `key` until `target` has the focus (at most `max` presses); the stops passed, in order */
async function pressUntil(key: string, target: Locator, max: number): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    stops.push(await focused());
    if (await isFocused(target)) return stops;
  }
  throw new Error(`${key} × ${max} never reached ${target}: ${stops.join(' → ')}`);
}

const echoPort = async (): Promise<number> => Number(/TCP (\d+)/.exec(await page.locator('[data-testid="service-row-echo-tcp"]').innerText())?.[1]);

describe('the sockets lab with the keyboard alone', () => {
  it('the first Tab is the skip link, and Enter lands on the views tab list', async () => {
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('skip-to-views');
    // drawn over the header while it has the focus
    const box = await page.locator('[data-testid="skip-to-views"]').boundingBox();
    expect(box && box.y >= 0).toBe(true);
    await ui.shot('focus-skip-link-1440-light');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('tab-terminal');
    expect(await page.locator('[data-testid="tab-terminal"]').getAttribute('aria-selected')).toBe('true');
  });

  it('the arrow keys move along the tabs and show each view; End is Labs', async () => {
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('tab-scenarios');
    expect(await page.locator('[data-testid="tab-scenarios"]').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#main-panel-scenarios').isVisible()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('tab-terminal');
    await page.keyboard.press('End');
    expect(await focused()).toBe('tab-labs');
    await page.locator('[data-testid="lab-row-shipped-sockets.yaml"]').waitFor();
    await ui.shot('focus-main-tab-1440-light');
  });

  it('Tab reaches the sockets lab and Enter opens it', async () => {
    const row = page.locator('[data-testid="lab-row-shipped-sockets.yaml"]');
    const stops = await pressUntil('Tab', row, 20);
    // the Labs view's own tabs come first: one stop for the tab list
    expect(stops[0]).toBe('labs-pane-session');
    await page.keyboard.press('Enter');
    await expect.poll(() => row.getAttribute('aria-current')).toBe('true');
  });

  it('back to the tab list with Shift+Tab, Home is the Terminal; Tab goes into the lab terminal', async () => {
    await pressUntil('Shift+Tab', page.locator('[data-testid="tab-labs"]'), 30);
    await page.keyboard.press('Home');
    expect(await focused()).toBe('tab-terminal');
    const stops = await pressUntil('Tab', page.locator('[data-testid="terminal-pane"] textarea'), 6);
    // the terminals' own tab list, the + button, then the terminal
    expect(stops.slice(0, -1)).toEqual(['terminal-tab-1', 'terminal-new']);
    await expect.poll(() => terminalText(page)).toContain('netlab>');
  });

  it('nc to the TCP echo and a sentence: the echo comes back and the passed check is said', async () => {
    await page.keyboard.type(`nc localhost ${await echoPort()}`);
    await page.keyboard.press('Enter');
    await page.keyboard.type('keyboards are enough');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page)).toContain('KEYBOARDS ARE ENOUGH');
    // the screen reader's copy of the terminal holds the echo too (xterm's screen-reader mode)
    await expect.poll(() => page.locator('[data-testid="terminal-pane"] .xterm-accessibility').innerText()).toContain('KEYBOARDS ARE ENOUGH');
    await expect.poll(() => page.locator('[data-testid="lab-announce"]').innerText(), { timeout: 10_000 }).toMatch(/^Passed: a sentence sent from the lab terminal came back in capitals/);
    expect(await page.locator('[data-testid="tab-labs-progress"]').innerText()).toBe('1/7');
  });

  it('Escape then Tab leaves the terminal; Tab goes on through the inspector to its grid', async () => {
    await page.keyboard.press('Escape');
    const grid = page.locator('[data-testid="inspector-grid"]');
    const stops = await pressUntil('Tab', grid, 40);
    // in the order they are drawn: the splitter, the inspector's bar, the filter bar, the grid
    const order = ['splitter', 'inspector-view-list', 'inspector-filter-text', 'inspector-filter-service', 'inspector-filter-conn', 'capture-clear', 'inspector-grid'];
    expect(stops.filter((s) => order.includes(s))).toEqual(order);
    await ui.shot('focus-grid-1440-light');
  });

  it('↓ selects a row, its detail opens; the detail tabs move with → and the grid names the row', async () => {
    await page.keyboard.press('End');
    const selected = page.locator('[data-testid="inspector-row"][aria-selected="true"]');
    await expect.poll(() => selected.count()).toBe(1);
    const id = await selected.getAttribute('id');
    expect(await page.locator('[data-testid="inspector-grid"]').getAttribute('aria-activedescendant')).toBe(id);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const detail = page.locator('[data-testid="inspector-detail"]');
    await detail.waitFor();
    const tabs = page.getByRole('tablist', { name: 'Message detail' });
    const first = tabs.locator('[role="tab"][aria-selected="true"]');
    await pressUntil('Tab', first, 12);
    const before = await first.getAttribute('data-testid');
    await page.keyboard.press('ArrowRight');
    const after = await focused();
    expect(after).not.toBe(before);
    expect(await page.locator(`[data-testid="${after}"]`).getAttribute('aria-selected')).toBe('true');
    await ui.shot('focus-detail-tab-1440-light');
  });
});

describe('focus rings in both themes and both window sizes', () => {
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`${w}×${h}, ${theme}`, async () => {
        await page.setViewportSize({ width: w, height: h });
        const html = page.locator('html');
        if ((await html.getAttribute('data-theme')) !== theme) await page.locator('[data-testid="theme-toggle"]').click();
        await expect.poll(() => html.getAttribute('data-theme')).toBe(theme);
        await page.locator('[data-testid="tab-terminal"]').focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowLeft');
        expect(await focused()).toBe('tab-terminal');
        await ui.shot(`focus-main-tab-${w}-${theme}`);
        await page.locator('[data-testid="inspector-grid"]').focus();
        await page.keyboard.press('ArrowDown');
        await ui.shot(`focus-grid-${w}-${theme}`);
        await page.getByRole('separator', { name: 'Resize the inspector' }).focus();
        const before = Number(await page.getByRole('separator', { name: 'Resize the inspector' }).getAttribute('aria-valuenow'));
        await page.keyboard.press('ArrowUp');
        await expect.poll(async () => Number(await page.getByRole('separator', { name: 'Resize the inspector' }).getAttribute('aria-valuenow'))).toBe(before + 12);
        await ui.shot(`focus-splitter-${w}-${theme}`);
      });
    }
  }
  it('a file offered for opening: the dialog takes the focus, Enter applies it, and "Applied …" is said', async () => {
    await page.locator('[data-testid="open-file-input"]').setInputFiles({
      name: 'quiet.netlab-scenario.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from('name: quiet echo\nservices:\n  echo-tcp: { mode: textbook }\n'),
    });
    await expect.poll(focused).toBe('opened-file-apply');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="live-polite"]').innerText()).toBe('Applied the scenario “quiet echo”');
  });

  it('left no error in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
