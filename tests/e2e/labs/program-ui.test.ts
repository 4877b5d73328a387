/**
 * A program check done in Chromium as a student does it: the UDP pinger lab opened in the
 * Labs tab, "Run my program" on the untouched skeleton stays open, the check's link to the
 * Scenarios editor, the pinger program there, the skeleton replaced in monaco by a working
 * pinger (the reference solution, tests/fixtures/programs/UDPPinger.py, put in as a paste
 * does), saved, back to the Labs tab, "Run my program" again: the lab runs the saved program
 * against its UDP echo with 30 % loss and the check turns ✓.
 * Screenshots: tests/artifacts/labs-program-*.png.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../../helpers/browser';
import { ROOT } from '../../helpers/serve';

let ui: LabPage;
let page: Page;
const editor = () => page.locator('[data-testid="monaco-host"]');
const check = (id: string) => page.locator(`[data-testid="lab-check-pinger-${id}"]`);

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="tab-labs"]').click();
  await page.locator('[data-testid="lab-list"]').waitFor();
});
afterAll(() => ui?.close());

describe('a program check done in the browser', () => {
  it('opens the UDP pinger lab; the skeleton as shipped does not pass', async () => {
    await page.locator('[data-testid="lab-row-shipped-udp-pinger.yaml"]').click();
    await expect.poll(() => page.locator('[data-testid="lab-title"]').innerText()).toBe('The UDP pinger');
    expect(await check('pinger-check').getAttribute('data-passed')).toBe('false');
    await check('pinger-check').locator('[data-testid="lab-check-pinger-pinger-check-run"]').click();
    // the skeleton's TODOs send no ping: the check says why and stays open
    await expect.poll(() => page.locator('[data-testid="lab-check-pinger-pinger-check-detail"]').innerText(), { timeout: 60_000 }).toMatch(/\S/);
    expect(await check('pinger-check').getAttribute('data-passed')).toBe('false');
    await ui.shot('labs-program-skeleton');
  }, 90_000);

  it('the check links to the editor, where the skeleton is replaced by a working pinger and saved', async () => {
    await check('pinger-check').locator('[data-testid="lab-open-programs"]').click();
    await page.locator('[data-testid="scenarios-view"]').waitFor();
    await page.locator('[data-testid="program-lang-python"]').click();
    await page.locator('[data-testid="program-item-udp-pinger"]').click();
    await expect.poll(() => editor().innerText(), { timeout: 15_000 }).toContain('NETLAB_PINGS');
    const solution = await fs.readFile(path.join(ROOT, 'tests', 'fixtures', 'programs', 'UDPPinger.py'), 'utf8');
    await editor().locator('.view-line').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // pasted, as a student pastes a solution in (typed key by key, monaco's auto-indent would nest every line)
    // (a string: the node side is type-checked without the DOM's types)
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text/plain', ${JSON.stringify(solution)});
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    await expect.poll(() => editor().innerText()).toContain('clientSocket.settimeout(1)');
    await page.locator('[data-testid="program-save"]').click();
    await expect.poll(() => page.locator('[data-testid="program-save"]').isDisabled(), { timeout: 10_000 }).toBe(true);
    // what was saved is the solution, indentation and all: the user's copy in the data directory
    const saved = path.join(ui.lab.dataDir, 'programs', 'python', 'UDPPinger.py');
    await expect.poll(async () => (await fs.readFile(saved, 'utf8').catch(() => '')).trim(), { timeout: 10_000 }).toBe(solution.trim());
    await expect.poll(() => page.locator('[data-testid="program-badge"]').innerText()).toMatch(/\S/);
    await ui.shot('labs-program-editor');
  }, 60_000);

  it('"Run my program" runs the saved pinger against the lossy echo and the check turns ✓', async () => {
    await page.locator('[data-testid="tab-labs"]').click();
    const run = page.locator('[data-testid="lab-check-pinger-pinger-check-run"]');
    await run.click();
    await expect.poll(() => check('pinger-check').getAttribute('data-passed'), { timeout: 90_000 }).toBe('true');
    expect(await page.locator('[data-testid="lab-check-pinger-pinger-check-detail"]').innerText()).toMatch(/\S/);
    expect(await page.locator('[data-testid="lab-check-pinger-pinger-check-mark"]').innerText()).toBe('✓');
    expect(await page.locator('[data-testid="lab-check-pinger-pinger-check-mark"]').getAttribute('aria-label')).toBe('passed');
    // the pings the program sent passed the task's traffic check as well, and are linked
    expect(await check('first-ping').getAttribute('data-passed')).toBe('true');
    expect(await check('pinger-check').locator('[data-testid^="lab-check-pinger-pinger-check-evidence-"]').count()).toBeGreaterThan(0);
    expect(await run.innerText()).toBe('Run it again');
    await ui.shot('labs-program-passed');
  }, 120_000);

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
