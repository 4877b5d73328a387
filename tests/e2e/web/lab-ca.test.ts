/**
 * The Web tab's "HTTPS · Lab CA" pane in Chromium: the lab CA's fingerprint as the lab computes
 * it, the same certificate the bridge serves at /lab-ca.pem, and a Download button that saves it.
 * Screenshots: tests/artifacts/web-lab-ca-1440.png and web-lab-ca-1024.png.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openLab, type LabPage } from '../../helpers/browser';
import { run } from '../../helpers/proc';

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

  it('the inspector lists an HTTPS connection: the ClientHello with its SNI, encrypted records, and the HTTP inside TLS', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 1440, height: 900 });
    const port = Number(/HTTPS\)\s+tls\s+TCP (\d+)/.exec(ui.lab.output())?.[1]);
    const ca = path.join(ui.lab.dataDir, 'tls', 'lab-ca.pem');
    const curl = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', ca, '--resolve', `gaia.cs.umass.edu:${port}:127.0.0.1`, `https://gaia.cs.umass.edu:${port}/`]);
    expect(curl.stdout, curl.stderr).toBe('200');
    await page.locator('[data-testid="inspector-filter-service"]').selectOption('https');
    const rows = page.locator('[data-testid="inspector-row"]');
    // the list draws only the rows in view (and a few past each edge): the handshake is at the top
    const fromTop = async () => {
      await page.evaluate(`document.querySelector('[data-testid="inspector-grid"]').scrollTop = 0`);
      return (await rows.allInnerTexts()).join('\n');
    };
    await expect.poll(fromTop).toMatch(/ClientHello SNI=gaia\.cs\.umass\.edu/);
    const text = (await rows.allInnerTexts()).join('\n');
    expect(text).toMatch(/TLS encrypted record, \d+ bytes/);
    // the request and response inside TLS pair as any HTTP exchange does
    const pairs = page.locator('[data-testid="inspector-row"][data-role="pair"] [data-testid="pair-summary"]');
    await expect.poll(async () => (await pairs.allTextContents()).join(' ').replace(/\s+/g, ' ')).toMatch(/GET \/ → 200 OK · text\/html .* inside TLS/);
    await ui.shot('inspector-https');
    expect(ui.errors).toEqual([]);
  });
});
