/**
 * The Web tab's "HTTPS · Lab CA" pane in Chromium: the lab CA's fingerprint as the lab computes
 * it, the same certificate the bridge serves at /lab-ca.pem, and a Download button that saves it.
 * Screenshots: tests/artifacts/web-lab-ca-1440.png and web-lab-ca-1024.png.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../../helpers/browser';

let ui: LabPage;

beforeAll(async () => {
  ui = await openLab();
});
afterAll(() => ui?.close());

describe('the lab CA in the Web tab', () => {
  it('shows the fingerprint of the certificate the bridge serves, and downloads it', async () => {
    const { page } = ui;
    await page.goto(ui.lab.url);
    await page.locator('[data-testid="tab-web"]').click();
    await page.locator('[data-testid="web-pane-tls"]').click();
    const shown = (await page.locator('[data-testid="web-lab-ca-fingerprint"]').innerText()).trim();

    const served = await page.request.get(new URL('/lab-ca.pem', ui.lab.url).toString());
    expect(served.status()).toBe(200);
    const pem = await served.text();
    expect(new crypto.X509Certificate(pem).fingerprint256).toBe(shown);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="web-lab-ca-download"]').click()]);
    expect(download.suggestedFilename()).toBe('netlab-lab-ca.pem');
    expect(await fs.readFile((await download.path())!, 'utf8')).toBe(pem);

    await ui.shot('web-lab-ca-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await ui.shot('web-lab-ca-1024');
    expect(ui.errors).toEqual([]);
  });
});
