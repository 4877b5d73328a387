/**
 * Two things a newcomer tripped over: a mail hop's "connection N" link selects that row in the
 * inspector and scrolls it into view (the first of a connection of 130 messages, 61 recipients, seen from its end); and in a
 * browser, whose own keys Ctrl+1/Ctrl+2/Ctrl+Shift+I are, Help offers Alt+1, Alt+2 and Alt+I,
 * and they work. Screenshot: tests/artifacts/hop-link-scrolled.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';

let ui: LabPage;
let page: Page;
const portOf = async (id: string): Promise<string> => /\bTCP (\d+)/.exec(await page.locator(`[data-testid="service-row-${id}"]`).innerText())![1];

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="service-row-smtp-hamburger"]').waitFor();
});
afterAll(() => ui?.close());

describe('links and keys', () => {
  it("a mail hop's connection link scrolls its row into view", async () => {
    const script = `
import smtplib
s = smtplib.SMTP('127.0.0.1', ${await portOf('smtp-hamburger')})
s.sendmail('alice@crepes.fr', ['bob@hamburger.edu'] + ['carol@hamburger.edu'] * 60, 'Subject: scrolled\\r\\n\\r\\nFind me.\\r\\n')
s.quit()
`;
    expect((await run('/usr/bin/python3', ['-c', script], { timeoutMs: 15_000 })).stderr).toBe('');
    // the list follows the tail: the connection's first message is far above it
    await page.locator('[data-testid="inspector"] .viewport').evaluate('(el) => { el.scrollTop = el.scrollHeight; }');
    await page.locator('[data-testid="tab-mail"]').click();
    await page.locator('[data-testid="mailbox-bob@hamburger.edu"]').click();
    await page.locator('[data-testid="mail-row"]', { hasText: 'scrolled' }).click();
    await page.locator('[data-testid="mail-tab-path"]').click();
    const link = page.locator('[data-testid^="hop-conn-"]').first();
    await link.click();
    const selected = page.locator('[data-testid="inspector"] .viewport .row.selected');
    await selected.waitFor();
    const row = (await selected.boundingBox())!;
    const viewport = (await page.locator('[data-testid="inspector"] .viewport').boundingBox())!;
    expect(row.y).toBeGreaterThanOrEqual(viewport.y);
    expect(row.y + row.height).toBeLessThanOrEqual(viewport.y + viewport.height);
    await ui.shot('hop-link-scrolled');
  });

  it('Help offers Alt+1, Alt+2 and Alt+I in a browser, and they reach the page', async () => {
    await page.locator('button[title="Keyboard shortcuts"]').click();
    const help = await page.locator('[role="dialog"][aria-label="Keyboard shortcuts"]').innerText();
    expect(help.replace(/\s+/g, '')).toContain('Alt+1');
    expect(help.replace(/\s+/g, '')).toContain('Alt+I');
    expect(help).not.toMatch(/Ctrl\s*\+\s*1/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.locator('[data-testid="tab-scenarios"]').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.locator('[data-testid="tab-terminal"]').getAttribute('aria-selected')).toBe('true');
    const collapsed = async (): Promise<boolean> => (await page.locator('[data-testid="inspector"]').getAttribute('class'))!.includes('collapsed');
    const before = await collapsed();
    await page.keyboard.press('Alt+I');
    await expect.poll(collapsed).toBe(!before);
    await page.keyboard.press('Alt+I');
    await expect.poll(collapsed).toBe(before);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
