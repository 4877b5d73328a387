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
import { labPorts } from '../helpers/ports';

let ui: LabPage;
let page: Page;
let proxyPort: number;

beforeAll(async () => {
  // every service on a port free for TCP and for UDP, never twice (helpers/ports.ts; SIP listens on both)
  const ports = await labPorts(await echoAndRelayPorts());
  proxyPort = ports.proxy as number;
  const args = await scenarioArgs('i18n web-media', ports);
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

  it('a persistence run in Chinese: the lab\'s phases and the textbook\'s formula lines read in Chinese', async () => {
    const card = page.locator('[data-testid="web-exp-persistence"]');
    await page.locator('[data-testid="web-run-persistence"]').click();
    // the phase comes from the lab core as a catalogue key with its parameters
    await expect.poll(() => card.locator('[data-testid="web-persistence-progress"]').innerText(), { timeout: 60_000 }).toMatch(/(非持续连接|并行，m = 5|持续连接|流水线)（[1-4]\/4）/);
    await expect.poll(() => page.locator('[data-testid="web-run-persistence"]').innerText(), { timeout: 60_000 }).toBe('运行');
    const formula = (mode: string) => card.locator(`tr[data-mode="${mode}"] td.formula .muted`).innerText();
    expect(await formula('non-persistent')).toBe('每个对象 2 个往返时间：2·(10+1)·RTT');
    expect(await formula('parallel')).toBe('2·RTT（基本 HTML 文件）+ 2⌈n/m⌉·RTT：2·(1+⌈10/5⌉)·RTT');
    expect(await formula('persistent')).toBe('RTT（建立连接）+ (10+1)·RTT，每个对象一个 RTT');
    expect(await formula('pipelined')).toBe('RTT（建立连接）+ RTT（基本 HTML 文件）+ 所有对象共约 1 个 RTT');
    expect(await card.innerText()).not.toMatch(/per object|set-up/);
    await shot('zh-CN-persistence');
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
    // the softphones' log, sent by the lab core with catalogue keys
    await expect.poll(() => voip.innerText()).toMatch(/已注册：200 OK，代理知道 \S+@\S+ 位于 127\.0\.0\.1:\d+/);
    expect(await voip.innerText()).not.toContain('the proxy knows');
    expect(await page.locator('[data-testid="phone-call"]').first().innerText()).toMatch(/^呼叫 \S+@\S+$/);
    await page.screenshot({ path: `${ARTIFACTS}/i18n-web-media-zh-CN.png` });
  });

  it('switching the header to English shows the English words, without a reload', async () => {
    await page.locator('[data-testid="language"]').selectOption('en');
    await expect.poll(() => page.locator('[data-testid="phone-state-alice"]').innerText()).toBe('registered, idle');
    expect(await page.locator('[data-testid="voip-view"]').innerText()).toContain('Playout buffer (receivers)');
    expect(await page.locator('[data-testid="voip-view"]').innerText()).toMatch(/registered: 200 OK, the proxy knows \S+@\S+ at 127\.0\.0\.1:\d+/);
    await page.locator('[data-testid="tab-video"]').click();
    await expect.poll(() => page.locator('[data-testid="video-view"]').innerText()).toContain('Video streaming and CDNs (§2.6)');
    expect(await page.locator('[data-testid="video-play"]').innerText()).toBe('Play');
    await page.locator('[data-testid="tab-web"]').click();
    await page.locator('[data-testid="web-pane-proxy"]').click();
    await expect.poll(() => page.locator('[data-testid="web-proxy-stats"]').innerText()).toMatch(/2\s+requests\s+1\s+hits[\s\S]*hit rate 50%/);
    expect(await page.locator('[data-testid="web-pane-sites"]').innerText()).toBe('Sites');
    await page.locator('[data-testid="web-pane-experiments"]').click();
    expect(await page.locator('[data-testid="web-exp-persistence"] tr[data-mode="non-persistent"] td.formula .muted').innerText()).toBe('2·RTT per object: 2·(10+1)·RTT');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en-US');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
