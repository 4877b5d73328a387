/**
 * FTP in the browser: the rail lists it under its own heading, `ftp ftp.someschool.edu` is
 * typed in the lab terminal (the terminal opens the data connection after PASV), and the
 * inspector shows the control replies paired with their commands and the data connection
 * named after LIST. Screenshots at 1440×900 and 1024×700 go to tests/artifacts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, terminalText, typeInTerminal, type LabPage } from '../../helpers/browser';

let ui: LabPage;
let page: Page;
beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
});
afterAll(() => ui?.close());

describe('FTP in the browser', () => {
  it('the rail shows FTP; the terminal logs in, lists over a data connection; the inspector pairs and labels', async () => {
    await page.goto(ui.lab.url);
    await expect.poll(() => page.locator('body').innerText()).toContain('File transfer (FTP)');
    await typeInTerminal(page, 'ftp ftp.someschool.edu');
    await expect.poll(() => terminalText(page)).toContain('220 NetLab FTP server ready');
    for (const [line, answer] of [
      ['USER anonymous', '331 '],
      ['PASS student@someschool.edu', '230 '],
      ['PASV', '[data connection '],
      ['LIST', '226 Transfer complete'],
    ]) {
      await typeInTerminal(page, line);
      await expect.poll(() => terminalText(page)).toContain(answer);
    }
    expect(await terminalText(page)).toContain('README.txt');
    const inspector = page.locator('[data-testid="inspector"]');
    await expect.poll(() => inspector.innerText()).toContain('← LIST');
    await ui.shot('ftp-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await ui.shot('ftp-1024');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
