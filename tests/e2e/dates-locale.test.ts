/**
 * A German browser (de-DE) shows NetLab's dates as the English UI writes them, one format in
 * the Mail list and the message view: python3's smtplib delivers a mail to Bob, and the row
 * and the opened message both read "Dec 5, 2026, 07:16:59" style. Screenshot:
 * tests/artifacts/dates-de-DE.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';

let ui: LabPage;
let page: Page;
const ENGLISH = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}:\d{2}$/;

beforeAll(async () => {
  ui = await openLab({ locale: 'de-DE' });
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="service-row-smtp-hamburger"]').waitFor();
});
afterAll(() => ui?.close());

describe('dates in a de-DE browser', () => {
  it('the Mail list and the message show the same English date', async () => {
    expect(await page.evaluate('new Date(0).toLocaleDateString()')).toMatch(/1\.1\.1970/); // the browser is German
    const port = /\bTCP (\d+)/.exec(await page.locator('[data-testid="service-row-smtp-hamburger"]').innerText())![1];
    const script = `
import smtplib, email.utils
s = smtplib.SMTP('127.0.0.1', ${port})
s.sendmail('alice@crepes.fr', ['bob@hamburger.edu'], 'Date: ' + email.utils.formatdate(localtime=True) + '\\r\\nSubject: dates\\r\\n\\r\\nWhat time is it?\\r\\n')
s.quit()
`;
    const out = await run('/usr/bin/python3', ['-c', script], { timeoutMs: 15_000 });
    expect(out.stderr).toBe('');
    await page.locator('[data-testid="tab-mail"]').click();
    await page.locator('[data-testid="mailbox-bob@hamburger.edu"]').click();
    const row = page.locator('[data-testid="mail-row"]', { hasText: 'dates' });
    await row.waitFor();
    const listed = (await row.locator('[data-testid="mail-row-date"]').innerText()).trim();
    await row.click();
    const shown = (await page.locator('[data-testid="mail-detail-date"]').innerText()).trim();
    await page.screenshot({ path: `${(await import('../helpers/browser')).ARTIFACTS}/dates-de-DE.png` });
    expect(listed).toMatch(ENGLISH);
    expect(shown).toBe(listed);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
