/**
 * The Scenarios tab's lab scenarios in headless Chromium against `netlab serve`: a shipped
 * file opened and applied (the rail shows the stopped server), a mistake marked at its line
 * with Apply held back, another file applied over it, a user copy saved, and one saved as a new file.
 * Screenshot: tests/artifacts/lab-scenarios.png.
 */
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
});
afterAll(() => ui?.close());

const hamburger = () => page.locator('[data-testid="service-row-smtp-hamburger"]').getAttribute('data-state');
const validation = () => page.locator('[data-testid="lab-scenario-validation"]').innerText();
const notice = () => page.locator('[data-testid="lab-scenario-notice"] span').first().innerText();

describe('lab scenarios in the Scenarios tab', () => {
  it('opens mail-queue.yaml and applies it: hamburger.edu\'s server stops, its link slows', async () => {
    await page.goto(ui.lab.url);
    await page.locator('[data-testid="tab-scenarios"]').click();
    await page.locator('[data-testid="scenarios-pane-lab"]').click();
    await page.locator('[data-testid="lab-scenario-editor"] .view-lines').waitFor();
    await page.locator('[data-testid="lab-scenario-select"]').selectOption('mail-queue.yaml');
    await expect.poll(() => page.locator('[data-testid="lab-scenario-editor"] .view-lines').innerText()).toContain('smtp-hamburger');
    await expect.poll(validation).toMatch(/^Valid/);
    expect(await hamburger()).toBe('running');
    await page.locator('[data-testid="lab-scenario-apply"]').click();
    // every rail service but hamburger.edu's server, the DHT ring and the search overlays (they wait to be started)
    const total = await page.locator('[data-testid^="service-row-"]').count();
    await expect.poll(notice).toBe(`Applied mail-queue.yaml: ${total - 3} of ${total} services running (not running: SMTP mail.hamburger.edu, DHT ring, Search overlays); emulated links on SMTP mail.hamburger.edu.`);
    await expect.poll(hamburger).toBe('stopped');
    await ui.shot('lab-scenarios');
  });

  it('marks a misspelt service at its line and holds Apply back until it is mended', async () => {
    await page.locator('[data-testid="lab-scenario-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    const typo = '\n  smpt-crepes: { enabled: false }';
    await page.keyboard.type(typo);
    await expect.poll(validation).toMatch(/^line \d+: services\.smpt-crepes: no service called smpt-crepes/);
    expect(await page.locator('[data-testid="lab-scenario-apply"]').isDisabled()).toBe(true);
    for (let i = 0; i < typo.length; i++) await page.keyboard.press('Backspace');
    await expect.poll(validation, { timeout: 5000 }).toMatch(/^Valid/);
  });

  it('applies web-caching.yaml over it: the server runs again, the proxy has its delay; a user copy is saved', async () => {
    // the mended text may differ from the file by the editor's auto-indent: leaving it asks first
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid="lab-scenario-select"]').selectOption('web-caching.yaml');
    // the editor draws the lines in view only (spaces as no-break spaces): look for a word near the top
    await expect.poll(() => page.locator('[data-testid="lab-scenario-editor"] .view-lines').innerText()).toContain('1.21');
    await page.locator('[data-testid="lab-scenario-apply"]').click();
    await expect.poll(hamburger).toBe('running');
    const total = await page.locator('[data-testid^="service-row-"]').count();
    await expect.poll(notice).toBe(`Applied web-caching.yaml: ${total - 2} of ${total} services running (not running: DHT ring, Search overlays).`);
    // an edit, saved as the user's copy in the data directory
    await page.locator('[data-testid="lab-scenario-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# our class uses 4 s');
    await page.locator('[data-testid="lab-scenario-save"]').click();
    await expect.poll(notice).toMatch(/^Saved your copy: .*scenarios\/web-caching\.yaml$/);
    const saved = (await notice()).replace(/^Saved your copy: /, '');
    expect(await fs.readFile(saved, 'utf8')).toContain('# our class uses 4 s');
    expect(await page.locator('[data-testid="lab-scenario-select"] option:checked').innerText()).toBe('web-caching.yaml (yours)');
    // and as a new file of one's own, for a class: a name that is not a file name is held back
    await page.locator('[data-testid="lab-scenario-save-as"]').click();
    await page.locator('[data-testid="lab-scenario-new-name"]').fill('Class 1');
    expect(await page.locator('[data-testid="lab-scenario-save-as-ok"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="lab-scenario-new-name"]').fill('class-1');
    await page.locator('[data-testid="lab-scenario-new-name"]').press('Enter');
    await expect.poll(notice).toMatch(/^Saved your copy: .*scenarios\/class-1\.yaml$/);
    expect(await page.locator('[data-testid="lab-scenario-select"] option:checked').innerText()).toBe('class-1.yaml (yours)');
    expect(await fs.readFile((await notice()).replace(/^Saved your copy: /, ''), 'utf8')).toContain('internetDelayMs');
    expect(ui.errors).toEqual([]);
  });
});
