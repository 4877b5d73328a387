/**
 * The inspector in Simplified Chinese: a zh-CN browser opens the lab in Chinese; after a real
 * curl GET the inspector's bar, filter bar, list headers, pair row, detail tabs, exchange,
 * step mode, flow graph and statistics read in Chinese (Wireshark's Chinese terms: 显示过滤器,
 * 流图, 统计, 会话, 协议分级), with no English word left in their chrome; the header's language
 * switch brings the English words back at once. Screenshots:
 * tests/artifacts/i18n-inspector-zh-CN.png (list and detail), i18n-inspector-zh-CN-flow.png,
 * i18n-inspector-zh-CN-stats.png, i18n-inspector-zh-CN-resend.png (1024×700).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openLabShown, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLabShown({ locale: 'zh-CN' });
  page = ui.page;
}, 60_000);
afterAll(() => ui?.close());

const text = (testid: string): Promise<string> => page.locator(`[data-testid="${testid}"]`).first().innerText();
const shot = (name: string): Promise<Buffer> => page.screenshot({ path: `${ARTIFACTS}/${name}.png` });

/** words of three or more Latin letters in a view's text, past what stays as written (protocols, hosts, paths, commands) */
function english(s: string, keep: RegExp[]): string[] {
  let rest = s;
  for (const k of keep) rest = rest.replace(k, ' ');
  return [...rest.matchAll(/\b[A-Za-z]{3,}\b/g)].map((m) => m[0]).filter((w) => !/^[A-Z0-9]+$/.test(w));
}

describe('the inspector in Simplified Chinese', () => {
  it('reads in Chinese in a zh-CN browser, after a real curl GET', async () => {
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    const port = /\b(\d{4,5})\b/.exec(await text('service-row-http'))![1];
    const r = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port}/index.html`]);
    expect(r.stdout).toBe('200');

    const inspector = page.locator('[data-testid="inspector"]');
    expect(await inspector.getAttribute('aria-label')).toBe('检查器');
    expect(await text('inspector-view-flow')).toBe('流图');
    expect(await text('capture-statistics')).toBe('统计');
    expect(await text('capture-clear')).toBe('清空');
    expect(await text('step-pause')).toBe('‖ 单步');
    expect(await page.locator('[data-testid="inspector-filter-text"]').getAttribute('aria-label')).toBe('显示过滤器：一个词，或一个字段表达式');
    expect(await inspector.locator('.head.row').innerText()).toMatch(/时间\s+服务\s+连接\s+类型\s+大小\s+摘要/);

    // the GET and its 200 as one pair row; its detail opens on the exchange
    await page.locator('[data-testid="inspector-pairs"]').check();
    const pair = page.locator('[data-testid="inspector-row"][data-role="pair"]').filter({ hasText: 'index.html' });
    await pair.waitFor();
    expect(await pair.locator('.c-kind').innerText()).toBe('配对');
    await pair.click();
    await page.locator('[data-testid="exchange-view"]').waitFor();
    expect(await text('detail-tab-exchange')).toBe('交互');
    expect(await text('detail-tab-ladder')).toBe('梯形图');
    expect(await text('detail-follow')).toMatch(/^追踪连接 \d+$/);
    const exchange = await text('exchange-timing');
    expect(exchange).toContain('计时');
    expect(exchange).toContain('请求 → 响应的第一个字节（等待）');
    await shot('i18n-inspector-zh-CN');
    // the inspector's bar and filter bar, and the detail's head and tabs: no English words but protocols, hosts and commands
    // the service select lists the services by their ids, as a filter names them; the badge is the protocol
    const chrome = String(
      await page.evaluate(`['header.bar', '.filter-bar', '.detail-pane .head', '.detail-pane .tabs']
        .map((sel) => {
          const copy = document.querySelector('[data-testid="inspector"] ' + sel).cloneNode(true);
          copy.querySelectorAll('select, .badge').forEach((s) => s.remove());
          return copy.textContent;
        })
        .join('\\n')`),
    );
    expect(english(chrome, [/SYN\/FIN/g, /[\w.-]+\.html/g])).toEqual([]);

    // step mode's bar
    await page.locator('[data-testid="step-pause"]').click();
    await expect.poll(() => text('step-position')).toMatch(/^第 \d+ 个报文，共 \d+ 个$/);
    expect(await text('step-live')).toBe('● 实时');
    await page.locator('[data-testid="step-live"]').click();

    // the flow graph
    await page.locator('[data-testid="inspector-view-flow"]').click();
    const flow = page.locator('[data-testid="flow-graph"]');
    await flow.waitFor();
    expect(await flow.getAttribute('aria-label')).toMatch(/^流图：\d+ 台主机，\d+ 个报文$/);
    expect(await flow.locator('.time-head').innerText()).toMatch(/时间 ↓\s*\d+ 个报文/);
    await shot('i18n-inspector-zh-CN-flow');
    await page.locator('[data-testid="inspector-view-list"]').click();

    // the statistics
    await page.locator('[data-testid="capture-statistics"]').click();
    const stats = page.locator('[data-testid="statistics"]');
    await page.locator('[data-testid="stats-conversations"] tbody tr').filter({ hasText: 'http' }).first().waitFor();
    expect(await page.locator('[data-testid="stats-conversations"] h4').innerText()).toBe('会话');
    expect(await page.locator('[data-testid="stats-protocols"] h4').innerText()).toBe('协议分级');
    expect(await page.locator('[data-testid="stats-dns"] h4').innerText()).toBe('DNS 响应时间');
    const heads = await stats.locator('thead').allInnerTexts();
    expect(english(heads.join('\n'), [])).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shot('i18n-inspector-zh-CN-stats');
    await page.locator('[data-testid="statistics-close"]').click();

    // the resend dialog of the GET, in a 1024×700 window
    await page.setViewportSize({ width: 1024, height: 700 });
    expect(await text('detail-resend')).toBe('重发…');
    await page.locator('[data-testid="detail-resend"]').click();
    const panel = page.locator('[data-testid="resend-panel"]');
    await page.locator('[data-testid="resend-target"]').waitFor();
    expect(await panel.locator('.title').innerText()).toMatch(/^重发 #\d+：HTTP 请求$/);
    expect(await text('resend-target')).toMatch(/^发往 127\.0\.0\.1:\d+ 上的 .+（TCP.*），来自一个新的实验客户端$/);
    expect(await text('resend-send')).toBe('发送');
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shot('i18n-inspector-zh-CN-resend');
    await page.locator('[data-testid="resend-close"]').click();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-testid="capture-statistics"]').click();
    await page.locator('[data-testid="stats-conversations"] tbody tr').first().waitFor();
  });

  it('speaks English again when the header switches the language', async () => {
    await page.locator('[data-testid="language"]').selectOption('en');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en-US');
    expect(await page.locator('[data-testid="stats-conversations"] h4').textContent()).toBe('Conversations');
    expect(await page.locator('[data-testid="stats-protocols"] h4').textContent()).toBe('Protocol hierarchy');
    await page.locator('[data-testid="statistics-close"]').click();
    expect(await page.locator('[data-testid="inspector"]').getAttribute('aria-label')).toBe('Inspector');
    expect(await text('capture-statistics')).toBe('Statistics');
    expect(await text('step-pause')).toBe('‖ Step');
    expect(await text('detail-tab-exchange')).toBe('Exchange');
    expect(await text('detail-follow')).toMatch(/^Follow connection \d+$/);
    expect(await text('exchange-timing')).toContain('request → first byte of the response (waiting)');
    expect(await page.locator('[data-testid="inspector-row"][data-role="pair"] .c-kind').first().innerText()).toBe('pair');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
