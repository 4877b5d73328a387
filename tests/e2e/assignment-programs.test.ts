/**
 * The chapter's assignments in the Scenarios editor, in headless Chromium against `netlab
 * serve`: the list shows them beside the echo programs; the SMTP client skeleton, run in
 * Python, reaches mail.hamburger.edu's mail server (220, then 250 for its HELO).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.goto(ui.lab.url);
});
afterAll(() => ui?.close());

describe('the assignments in the Scenarios editor', () => {
  it('lists the pinger, web server, SMTP client and proxy, and runs the SMTP client skeleton against the MX', async () => {
    await page.locator('[data-testid="tab-scenarios"]').click();
    await page.locator('[data-testid="program-lang-python"]').click();
    for (const id of ['udp-pinger', 'web-server', 'smtp-client', 'web-proxy']) await page.locator(`[data-testid="program-item-${id}"]`).waitFor();
    await page.locator('[data-testid="program-item-udp-pinger"]').click();
    await expect.poll(() => page.locator('[data-testid="monaco-host"]').innerText(), { timeout: 15_000 }).toContain('NETLAB_PINGS');
    await page.locator('[data-testid="program-item-smtp-client"]').click();
    await expect.poll(() => page.locator('[data-testid="monaco-host"]').innerText(), { timeout: 15_000 }).toContain('SMTPClient.py');
    await page.locator('[data-testid="program-run"]').click();
    const out = page.locator('[data-testid="program-console"]');
    await expect.poll(() => out.innerText(), { timeout: 15_000 }).toContain("mail.hamburger.edu's mail server");
    await expect.poll(() => out.innerText(), { timeout: 15_000 }).toMatch(/^220 /m);
    await expect.poll(() => out.innerText(), { timeout: 15_000 }).toMatch(/^250 /m);
    await expect.poll(() => out.innerText(), { timeout: 15_000 }).toContain('exited with code 0');
    await ui.shot('scenarios-assignments');
    expect(ui.errors).toEqual([]);
  }, 90_000);
});
