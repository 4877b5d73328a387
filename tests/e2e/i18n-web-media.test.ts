/**
 * The Web, Video and VoIP tabs in a Simplified Chinese browser (zh-CN) against `netlab serve`:
 * the panes, the proxy cache's figures after curl fetches through the proxy, the experiments,
 * the DASH player's controls and the softphones read in Chinese; the header's language switch
 * brings the English back without reloading. Screenshots: tests/artifacts/i18n-web-media-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';
import { freePort } from '../helpers/serve';

let ui: LabPage;
let page: Page;
let proxyPort: number;

beforeAll(async () => {
  proxyPort = await freePort();
  const args = await scenarioArgs('i18n web-media', { ...(await echoAndRelayPorts()), http: await freePort(), proxy: proxyPort, sip: await freePort() });
  ui = await openLab({ args, consoleErrors: false, locale: 'zh-CN' });
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="tab-web"]').waitFor();
});
afterAll(() => ui?.close());

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/i18n-web-media-${name}.png` });

describe('the Web, Video and VoIP tabs in Simplified Chinese', () => {
  it('the Web tab: its panes, the proxy cache after two fetches of one object, the experiments', async () => {
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    for (let i = 0; i < 2; i++) {
      const out = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', '-x', `http://127.0.0.1:${proxyPort}`, 'http://www.someschool.edu/someDepartment/home.index']);
      expect(out.stdout).toBe('200');
    }
    await page.locator('[data-testid="tab-web"]').click();
    await expect.poll(() => page.locator('[data-testid="web-pane-sites"]').innerText()).toBe('站点');
    expect(await page.locator('[data-testid="web-har"]').innerText()).toBe('导出 HAR');
    await page.locator('[data-testid="web-pane-proxy"]').click();
    const stats = page.locator('[data-testid="web-proxy-stats"]');
    await expect.poll(() => stats.innerText()).toMatch(/2\s+个请求\s+1\s+次命中[\s\S]*命中率\s+50%/);
    await shot('zh-CN-proxy');
    await page.locator('[data-testid="web-pane-experiments"]').click();
    const card = page.locator('[data-testid="web-exp-persistence"]');
    await expect.poll(() => card.innerText()).toContain('持续连接和非持续连接（§2.2.2）');
    expect(await page.locator('[data-testid="web-exp-caching"]').innerText()).toContain('缓存示例（§2.2.5）');
    expect(await page.locator('[data-testid="web-caching-scale"]').innerText()).toMatch(/时间快 2×.*除以 16/);
    expect(await page.locator('[data-testid="web-run-persistence"]').innerText()).toBe('运行');
  });

  it('the Video and VoIP tabs', async () => {
    await page.locator('[data-testid="tab-video"]').click();
    const video = page.locator('[data-testid="video-view"]');
    await expect.poll(() => video.innerText()).toContain('视频流和内容分发网络（CDN）（§2.6）');
    expect(await page.locator('[data-testid="video-play"]').innerText()).toBe('播放');
    expect(await page.locator('[data-testid="video-rule"] option[value="buffer"]').innerText()).toBe('基于缓冲区');
    await shot('zh-CN-video');
    await page.locator('[data-testid="tab-voip"]').click();
    await page.locator('[data-testid="voip-register-both"]').click();
    await expect.poll(() => page.locator('[data-testid="phone-state-alice"]').innerText()).toBe('已注册，空闲');
    const voip = page.locator('[data-testid="voip-view"]');
    expect(await voip.innerText()).toContain('播放缓冲区（接收方）');
    expect(await page.locator('[data-testid="phone-call"]').first().innerText()).toMatch(/^呼叫 \S+@\S+$/);
    await page.screenshot({ path: `${ARTIFACTS}/i18n-web-media-zh-CN.png` });
  });

  it('switching the header to English shows the English words, without a reload', async () => {
    await page.locator('[data-testid="language"]').selectOption('en');
    await expect.poll(() => page.locator('[data-testid="phone-state-alice"]').innerText()).toBe('registered, idle');
    expect(await page.locator('[data-testid="voip-view"]').innerText()).toContain('Playout buffer (receivers)');
    await page.locator('[data-testid="tab-video"]').click();
    await expect.poll(() => page.locator('[data-testid="video-view"]').innerText()).toContain('Video streaming and CDNs (§2.6)');
    expect(await page.locator('[data-testid="video-play"]').innerText()).toBe('Play');
    await page.locator('[data-testid="tab-web"]').click();
    await page.locator('[data-testid="web-pane-proxy"]').click();
    await expect.poll(() => page.locator('[data-testid="web-proxy-stats"]').innerText()).toMatch(/2\s+requests\s+1\s+hits[\s\S]*hit rate 50%/);
    expect(await page.locator('[data-testid="web-pane-sites"]').innerText()).toBe('Sites');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en-US');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
