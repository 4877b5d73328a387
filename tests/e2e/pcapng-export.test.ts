/**
 * The inspector's Export menu (issue 14): "pcapng (Wireshark)" downloads what the filter
 * shows, and the real tshark decodes it — the GET at gaia's virtual address, and only the
 * service the filter picked.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';
import { tempDir } from '../helpers/lab';
import { run } from '../helpers/proc';
import { tsharkComplaints, tsharkFields } from '../helpers/tshark';

let ui: LabPage;
let page: Page;
beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="service-row-echo-tcp"]').waitFor();
}, 60_000);
afterAll(() => ui?.close());

/** A service's port as the rail shows it. */
async function railPort(id: string): Promise<string> {
  const text = await page.locator(`[data-testid="service-row-${id}"]`).innerText();
  return /\b(\d{4,5})\b/.exec(text)?.[1] ?? '';
}

describe('Export → pcapng (Wireshark)', () => {
  it('downloads the filtered connections as a trace tshark decodes', async () => {
    const curl = await run('curl', ['-s', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${await railPort('http')}/`]);
    expect(curl.code, curl.stderr).toBe(0);
    const dig = await run('dig', ['@127.0.0.1', '-p', await railPort('dns-local'), '+tries=1', '+time=5', 'gaia.cs.umass.edu', 'A']);
    expect(dig.stdout).toContain('128.119.40.205');
    await page.locator('[data-testid="inspector-filter-service"]').selectOption('http');
    await expect.poll(() => page.locator('[data-testid="inspector-row"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.locator('[data-testid="capture-export"]').click();
    await page.locator('[data-testid="capture-export-pcapng"]').waitFor();
    await ui.shot('inspector-export-menu');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="capture-export-pcapng"]').click()]);
    expect(download.suggestedFilename()).toBe('netlab-capture.pcapng');
    const file = path.join(await tempDir('netlab-e2e-pcap-'), 'export.pcapng');
    await download.saveAs(file);

    const gets = await tsharkFields(file, 'http.request.method == "GET"', ['ip.dst', 'tcp.dstport', 'http.host']);
    expect(gets).toEqual([['128.119.40.205', '80', 'gaia.cs.umass.edu']]);
    // the filter picked the web server: no DNS in the file
    expect(await tsharkFields(file, 'dns', ['dns.qry.name'])).toEqual([]);
    expect(await tsharkComplaints(file)).toBe('');
    expect(await page.locator('[data-testid="capture-export-pcapng"]').count()).toBe(0); // the menu closed
    expect(ui.errors).toEqual([]);
  });
});
