/**
 * Open capture file… (issue 14): a pcapng tshark took of loopback while curl and dig ran
 * against the lab opens in the inspector, read-only, under a banner naming it; the GET is
 * paired with its 200 and drawn as a ladder. A file that is no trace is refused with a clear
 * error, the open file stays; Back to live capture shows the live capture, untouched.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';
import { tempDir } from '../helpers/lab';
import { run } from '../helpers/proc';
import { tsharkOnLoopback } from '../helpers/trace';
import { tsharkFields } from '../helpers/tshark';

let ui: LabPage | undefined;
let page: Page;
afterAll(() => ui?.close());

const rows = (): Promise<string[]> => page.locator('[data-testid="inspector-row"]').allInnerTexts();

describe('Open capture file…', () => {
  it('shows tshark\'s loopback capture read-only, paired and laddered, then goes back to the live capture', async () => {
    const lab = await openLab();
    ui = lab;
    page = lab.page;
    await page.goto(lab.lab.url);
    // each service's port as the rail shows it, once it runs
    const [http, dns] = await Promise.all(
      ['http', 'dns-local'].map(async (id) => {
        const row = page.locator(`[data-testid="service-row-${id}"]`);
        await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/running/);
        return /(?:TCP|UDP\+TCP) (\d+)/.exec(await row.innerText())![1];
      }),
    );
    const file = path.join(await tempDir('netlab-e2e-trace-'), 'loopback.pcapng');
    const tshark = await tsharkOnLoopback(file, `tcp port ${http} or udp port ${dns}`);
    const curl = await run('curl', ['-s', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${http}/`]);
    expect(curl.code, curl.stderr).toBe(0);
    const dig = await run('dig', ['@127.0.0.1', '-p', dns, '+tries=1', '+time=5', 'gaia.cs.umass.edu', 'A']);
    expect(dig.stdout).toContain('128.119.40.205');
    await tshark.stop();
    await expect.poll(async () => (await rows()).join('\n'), { timeout: 10_000 }).toMatch(/gaia\.cs\.umass\.edu/);
    const liveRows = await rows();

    await page.locator('[data-testid="trace-file-input"]').setInputFiles(file);
    await page.locator('[data-testid="trace-banner"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="trace-name"]').innerText()).toBe('loopback.pcapng');
    expect(await page.locator('[data-testid="trace-banner"]').innerText()).toMatch(/Viewing file loopback\.pcapng \(pcapng, \d+ KB, \d+ packets from .*\) — read-only/);
    // request and response paired as in the live view: the GET with its 200, the query with its answer
    const get = page.locator('[data-testid="inspector-row"]', { hasText: 'GET' }).first();
    await expect.poll(() => get.locator('[data-testid="pair-summary"]').innerText(), { timeout: 10_000 }).toMatch(/GET\s+\/\s+→\s+200 OK/);
    const query = page.locator('[data-testid="inspector-row"]', { hasText: 'gaia.cs.umass.edu' }).first();
    expect(await query.locator('[data-testid="pair-summary"]').innerText()).toMatch(/A\s+gaia\.cs\.umass\.edu\s+→\s+A 128\.119\.40\.205/);
    // the file holds what tshark saw, not the live capture's rows
    expect(await rows()).not.toEqual(liveRows);
    await get.click();
    await page.locator('[data-testid="detail-tab-ladder"]').click();
    await expect.poll(() => page.locator('[data-testid="ladder-arrow"]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await lab.shot('inspector-trace-open');
    await page.setViewportSize({ width: 1024, height: 700 });
    await lab.shot('inspector-trace-open-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    // the file shown is what Export writes: tshark finds the GET in it, at the address tshark saw
    await page.locator('[data-testid="capture-export"]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="capture-export-pcapng"]').click()]);
    const again = path.join(path.dirname(file), 'again.pcapng');
    await download.saveAs(again);
    expect(await tsharkFields(again, 'http.request', ['http.request.method', 'http.host'])).toEqual([['GET', 'gaia.cs.umass.edu']]);

    // not a trace: a clear error, and the file stays on screen
    await page.locator('[data-testid="trace-file-input"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are my notes, not packets') });
    await expect.poll(() => page.locator('[data-testid="trace-error"]').innerText(), { timeout: 10_000 }).toMatch(/notes\.txt: not a pcap or pcapng file/);
    expect(await page.locator('[data-testid="trace-name"]').innerText()).toBe('loopback.pcapng');
    await lab.shot('inspector-trace-error');

    await page.locator('[data-testid="trace-back"]').click();
    await page.locator('[data-testid="trace-banner"]').waitFor({ state: 'detached' });
    await expect.poll(async () => (await rows()).slice(0, liveRows.length), { timeout: 10_000 }).toEqual(liveRows);
    expect(lab.errors).toEqual([]);
  }, 90_000);
});
