/**
 * Opening a lab or scenario file in the browser UI (the same dialog the desktop app shows for a
 * file from the file manager, the command line or a second launch), in headless Chromium
 * against `netlab serve`: the dialog says what will change and nothing changes before Apply;
 * Cancel leaves the lab as it was; Apply stops the service the scenario disables; a lab file
 * opens in the Labs tab; a file with a mistake shows its line and offers no Apply. The rail's
 * Start all / Stop all. Screenshots: tests/artifacts/opened-file-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';
import { RESOURCES } from '../helpers/lab';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="service-row-pop3"]').waitFor();
});
afterAll(() => ui?.close());

const SCENARIO = 'name: lossy echo, no POP3\nservices:\n  echo-udp: { link: { lossRate: 0.3, delayMs: 50 } }\n  pop3: { enabled: false }\n';
const pop3 = () => page.locator('[data-testid="service-row-pop3"]').getAttribute('data-state');
const dialog = (p: Page) => p.locator('[data-testid="opened-file"]');

async function pick(name: string, text: string): Promise<void> {
  await page.locator('[data-testid="open-file-input"]').setInputFiles({ name, mimeType: 'application/yaml', buffer: Buffer.from(text) });
  await dialog(page).waitFor();
}

describe('a lab or scenario file opened from outside', () => {
  it('shows what a scenario changes; Cancel changes nothing', async () => {
    await pick('lossy.netlab-scenario.yaml', SCENARIO);
    expect(await page.locator('#opened-file-title').innerText()).toBe('Apply this scenario?');
    expect(await page.locator('[data-testid="opened-file-title"]').innerText()).toBe('lossy echo, no POP3');
    const changes = await page.locator('[data-testid="opened-file-changes"] li').allInnerTexts();
    expect(changes[0]).toMatch(/^stops pop3; every other service runs$/);
    expect(changes).toContain('echo-udp: 50 ms delay, 30 % loss');
    await ui.shot('opened-file-scenario');
    await page.setViewportSize({ width: 1024, height: 700 });
    await ui.shot('opened-file-scenario-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-testid="opened-file-cancel"]').click();
    await dialog(page).waitFor({ state: 'detached' });
    expect(await pop3()).toBe('running');
  });

  it('Apply makes the lab what the scenario says', async () => {
    await pick('lossy.netlab-scenario.yaml', SCENARIO);
    await page.locator('[data-testid="opened-file-apply"]').click();
    await expect.poll(pop3).toBe('stopped');
    expect(await page.locator('[data-testid="opened-file-applied"]').innerText()).toBe('Applied the scenario “lossy echo, no POP3”');
  });

  it('a file with a mistake names its line and cannot be applied', async () => {
    await pick('broken.netlab-scenario.yaml', 'name: x\nservices:\n  echo-udp: { link: { lossRate: 3 } }\n');
    expect(await page.locator('[data-testid="opened-file-error"]').innerText()).toMatch(/line 3: /);
    expect(await page.locator('[data-testid="opened-file-apply"]').count()).toBe(0);
    await ui.shot('opened-file-error');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
  });

  it('a lab file (.netlab) opens in the Labs tab', async () => {
    const text = fs.readFileSync(path.join(RESOURCES, 'labs', 'dns.yaml'), 'utf8');
    await pick('Week 3 DNS.netlab', text);
    expect(await page.locator('#opened-file-title').innerText()).toBe('Open this lab?');
    expect((await page.locator('[data-testid="opened-file-changes"] li').allInnerTexts()).join('\n')).toContain('saves it as your lab week-3-dns.yaml');
    await ui.shot('opened-file-lab');
    await page.locator('[data-testid="opened-file-apply"]').click();
    await dialog(page).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-testid="tab-labs"]').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator('[data-testid="labs-view"]').innerText()).toContain("DNS: the Internet's directory service");
    await ui.shot('opened-file-lab-opened');
  });

  it('the rail starts and stops every service', async () => {
    await page.locator('[data-testid="stop-all"]').click();
    await expect.poll(() => page.locator('[data-testid^="service-row-"][data-state="running"]').count()).toBe(0);
    await page.locator('[data-testid="start-all"]').click();
    await expect.poll(pop3).toBe('running');
    expect(ui.errors).toEqual([]);
  });
});
