/**
 * The Video tab in headless Chromium against `netlab serve`: the lab's DASH player streams from
 * the cluster of the chosen region, the plot fills, the link's rate is lowered while it plays
 * and the bitrate follows; then a real player, dash.js in Chromium, plays the same stream from
 * the lab web server (currentTime advances). Screenshots: tests/artifacts/video-*.png.
 */
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../../../scripts/chromium.mjs';
import { ARTIFACTS, CHROMIUM, echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { freePort } from '../../helpers/serve';

let ui: LabPage;
let page: Page;
let httpPort: number;

beforeAll(async () => {
  httpPort = await freePort();
  const args = await scenarioArgs('video e2e', { ...(await echoAndRelayPorts()), http: httpPort });
  ui = await openLab({ args, consoleErrors: false });
  page = ui.page;
});
afterAll(() => ui?.close());

const rows = (): Promise<number> => page.locator('[data-testid="video-segments"] tbody tr').count();

describe('the Video tab', () => {
  it('plays from the region\'s CDN cluster and plots bitrate, throughput and buffer; a lower link rate lowers the bitrate', async () => {
    await page.goto(ui.lab.url);
    await page.locator('[data-testid="tab-video"]').click();
    await page.locator('[data-testid="video-view"]').waitFor();
    await page.locator('[data-testid="video-region"]').selectOption('europe');
    await page.locator('[data-testid="video-rate"]').fill('2400');
    await page.locator('[data-testid="video-rate-apply"]').click();
    await page.locator('[data-testid="video-play"]').click();
    await expect.poll(() => page.locator('[data-testid="video-status"]').innerText(), { timeout: 10_000 }).toContain('a.kingcdn.com');
    await expect.poll(rows, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    expect(await page.locator('[data-testid="video-segments"] tbody tr').first().innerText()).toContain('700 kbit/s');
    await page.locator('[data-testid="video-chart"] canvas').waitFor();
    await ui.shot('video-playing');
    await page.locator('[data-testid="video-rate"]').fill('600');
    await page.locator('[data-testid="video-rate-apply"]').click();
    // the newest segment comes down to 300 kbit/s, the highest under 600
    await expect.poll(() => page.locator('[data-testid="video-segments"] tbody tr').first().innerText(), { timeout: 30_000 }).toMatch(/^\d+\s+300 kbit\/s/);
    expect(await page.locator('[data-testid="video-status"]').innerText()).toContain('Link rate 600 kbit/s');
    await ui.shot('video-rate-lowered');
    await page.setViewportSize({ width: 1024, height: 700 });
    await ui.shot('video-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-testid="video-stop"]').click();
    await page.locator('[data-testid="video-play"]').waitFor();
  });

  it('dash.js in Chromium plays the same stream from the lab web server', async () => {
    const port = httpPort;
    // the name video.netcinema.com leads to the lab on this machine, as a hosts-file line would make it
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP video.netcinema.com 127.0.0.1', '--autoplay-policy=no-user-gesture-required'] });
    try {
      const p = await browser.newPage({ viewport: { width: 1024, height: 700 } });
      await p.goto(`http://video.netcinema.com:${port}/`);
      await expect.poll(() => p.evaluate<number>("document.getElementById('video').currentTime"), { timeout: 20_000 }).toBeGreaterThan(2);
      expect(await p.locator('#now').innerText()).toMatch(/bitrate: \d+ kbit\/s/);
      await p.screenshot({ path: `${ARTIFACTS}/video-dashjs.png` });
    } finally {
      await browser.close();
    }
  });
});
