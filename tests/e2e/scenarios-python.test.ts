/**
 * Scenarios opens on the textbook's Python (§2.7), and a Python syntax error is marked at
 * its line in the editor, not only printed in the console: the UDP client gets a broken line,
 * Run (which saves it) runs the real python3, and the editor shows a marker on that line with
 * the interpreter's message. Screenshot: tests/artifacts/scenarios-python-error.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;
const editor = (): ReturnType<Page['locator']> => page.locator('[data-testid="monaco-host"]');

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="tab-scenarios"]').click();
});
afterAll(() => ui?.close());

describe('Scenarios and Python', () => {
  it("opens on the textbook's Python UDP client", async () => {
    await expect.poll(() => editor().innerText(), { timeout: 15_000 }).toMatch(/from\s+socket\s+import/);
    expect(await page.locator('[data-testid="program-lang-python"]').getAttribute('class')).toMatch(/\bon\b/);
  });

  it('a syntax error is marked at its line', async () => {
    // a broken assignment on the program's first line
    await editor().locator('.view-line').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('x = = 1\n');
    await page.locator('[data-testid="program-run"]').click();
    await expect.poll(() => page.locator('[data-testid="program-console"]').innerText(), { timeout: 15_000 }).toMatch(/SyntaxError/);
    await ui.shot('scenarios-python-error');
    const squiggle = editor().locator('.squiggly-error');
    await expect.poll(() => squiggle.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // the cursor waits on the marked line
    expect((await page.locator('[data-testid="monaco-host"] .margin .active-line-number').innerText()).trim()).toBe('1');
  }, 60_000);

  it('a run without the error clears the marker', async () => {
    await editor().locator('.view-line').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Delete');
    await page.locator('[data-testid="program-run"]').click();
    await expect.poll(() => page.locator('[data-testid="program-console"]').innerText(), { timeout: 15_000 }).toContain('Input lowercase sentence');
    await expect.poll(() => editor().locator('.squiggly-error').count()).toBe(0);
    await page.locator('[data-testid="program-stop"]').click();
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
