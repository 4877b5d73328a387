/**
 * The lab terminal's keys, as desktop terminals have them, in Chromium with clipboard access:
 * Ctrl+Shift+C and Ctrl+C on a selection copy (Ctrl+C without one is still ^C), Ctrl+V and
 * Ctrl+Shift+V paste, the context menu copies, pastes, selects all and clears, and Tab
 * completes a lab host name. Screenshot: tests/artifacts/terminal-menu.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, terminalText, typeInTerminal, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ui.lab.url).origin });
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="terminal-new"]').click();
  await page.locator('[data-testid="terminal-pane"] .xterm-rows', { hasText: 'netlab>' }).waitFor();
});
afterAll(() => ui?.close());

const clipboard = (): Promise<string> => page.evaluate('navigator.clipboard.readText()');
const setClipboard = (text: string): Promise<void> => page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
async function menu(item: string): Promise<void> {
  await page.locator('[data-testid="terminal-pane"]').click({ button: 'right' });
  await page.locator(`[data-testid="terminal-menu-${item}"]`).click();
}
/** the prompt lines of the screen */
const promptLines = async (): Promise<string[]> => (await terminalText(page)).split('\n').map((l) => l.trimEnd()).filter((l) => l.startsWith('netlab>'));

describe('terminal keys', () => {
  it('Ctrl+Shift+C copies the selection; Ctrl+C with a selection copies and sends no ^C', async () => {
    await typeInTerminal(page, 'hosts');
    await expect.poll(() => terminalText(page)).toContain('gaia.cs.umass.edu');
    await menu('select-all');
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(clipboard).toContain('NetLab terminal');
    await setClipboard('');
    await menu('select-all');
    await page.keyboard.press('Control+C');
    await expect.poll(clipboard).toContain('gaia.cs.umass.edu');
    expect(await terminalText(page)).not.toContain('^C');
  });

  it('Ctrl+C without a selection still interrupts (^C)', async () => {
    await page.locator('[data-testid="terminal-pane"]').click();
    await page.keyboard.type('half a line');
    await page.keyboard.press('Control+C');
    await expect.poll(() => terminalText(page)).toContain('half a line^C');
  });

  it('Ctrl+V and Ctrl+Shift+V paste into the line', async () => {
    await setClipboard('services');
    await page.keyboard.press('Control+V');
    await expect.poll(async () => (await promptLines()).at(-1)).toBe('netlab> services');
    await page.keyboard.press('Control+U');
    await setClipboard('history');
    await page.keyboard.press('Control+Shift+V');
    await expect.poll(async () => (await promptLines()).at(-1)).toBe('netlab> history');
    expect(await terminalText(page)).not.toContain('^V');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page)).toMatch(/\d+ {2}hosts/);
  });

  it('the context menu pastes, copies and clears', async () => {
    await setClipboard('hosts');
    await page.locator('[data-testid="terminal-pane"]').click({ button: 'right' });
    await page.locator('[data-testid="terminal-menu"]').waitFor();
    expect(await page.locator('[data-testid="terminal-menu-copy"]').isDisabled()).toBe(true);
    await ui.shot('terminal-menu');
    await page.locator('[data-testid="terminal-menu-paste"]').click();
    await expect.poll(async () => (await promptLines()).at(-1)).toBe('netlab> hosts');
    await page.keyboard.press('Control+U');
    await menu('select-all');
    await setClipboard('');
    await menu('copy');
    await expect.poll(clipboard).toContain('NetLab terminal');
    await menu('clear');
    await expect.poll(() => terminalText(page)).not.toContain('gaia.cs.umass.edu');
    expect(await promptLines()).toEqual(['netlab>']);
  });

  it('Tab completes a lab host name, and lists several', async () => {
    await page.locator('[data-testid="terminal-pane"]').click();
    await page.keyboard.type('telnet gai');
    await page.keyboard.press('Tab');
    await expect.poll(async () => (await promptLines()).at(-1)).toBe('netlab> telnet gaia.cs.umass.edu');
    await page.keyboard.press('Control+U');
    await page.keyboard.type('dig mail.');
    await page.keyboard.press('Tab');
    await expect.poll(() => terminalText(page)).toMatch(/mail\.crepes\.fr\s+mail\.hamburger\.edu\s+mail\.networkutopia\.com/);
    expect((await promptLines()).at(-1)).toBe('netlab> dig mail.');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
