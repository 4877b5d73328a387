/**
 * The Labs, Scenarios, Swarm, DHT and Overlays tabs in Chinese (the labs-p2p catalogues), in
 * headless Chromium against `netlab serve`: a zh-CN page shows their chrome in Chinese, the
 * sockets lab (the textbook's first exercise) in its Chinese texts from the lab file's
 * translations: block — task, instructions, hint, check — and the header's language switch
 * brings the English back at once, the lab's English texts as the file writes them.
 * Screenshot: tests/artifacts/i18n-labs-p2p-zh-CN.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, openLabShown, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLabShown({ locale: 'zh-CN' });
  page = ui.page;
});
afterAll(async () => {
  await page?.close();
  await ui?.close();
});

const text = (testid: string) => page.locator(`[data-testid="${testid}"]`).innerText();
const tab = (id: string) => page.locator(`[data-testid="tab-${id}"]`).click();

it('a zh-CN page shows the p2p and scenario tabs in Chinese', async () => {
  await tab('scenarios');
  await expect.poll(() => page.locator('.program-list').innerText()).toContain('套接字程序');
  expect(await page.locator('[data-testid="program-run"]').innerText()).toBe('▶ 运行');
  expect(await page.locator('[data-testid="program-console"]').innerText()).toContain('程序的输出会显示在这里');
  await tab('swarm');
  expect(await text('swarm-run')).toBe('运行');
  expect(await page.locator('[data-testid="swarm-right"]').innerText()).toContain('教科书中的例子已经载入');
  await tab('dht');
  await expect.poll(() => page.locator('[data-testid="dht-view"]').innerText()).toContain('DHT 环没有运行');
  // the service's status line, sent with its key (src-main/lab/p2p/lab-text.ts)
  await expect.poll(() => page.locator('[data-testid="dht-view"]').innerText()).toContain('已停止');
  await tab('overlays');
  await expect.poll(() => page.locator('[data-testid="overlays-view"]').innerText()).toContain('搜索覆盖网络没有运行');
  await expect.poll(() => page.locator('[data-testid="overlays-view"]').innerText()).toContain('已停止');
});

it('the sockets lab is shown in its Chinese texts, the English back with the language switch', async () => {
  await tab('labs');
  await page.locator('[data-testid="lab-list"]').waitFor();
  expect(await text('lab-none')).toContain('在左侧选择一个实验');
  const row = page.locator('[data-testid="lab-row-shipped-sockets.yaml"]');
  expect(await row.innerText()).toContain('使用 UDP 和 TCP 进行套接字编程');
  // every shipped lab carries its Chinese texts (a file without them keeps its English: tests/unit/labs/lab-translations.test.ts)
  expect(await page.locator('[data-testid="lab-row-shipped-http.yaml"]').innerText()).toContain('HTTP：你捕获的请求和响应');
  expect(await page.locator('[data-testid="lab-row-shipped-dns.yaml"]').innerText()).toContain('DNS：因特网的目录服务');
  await row.click();
  await expect.poll(() => text('lab-title')).toBe('使用 UDP 和 TCP 进行套接字编程');
  const task = page.locator('[data-testid="lab-task-tcp-terminal"]');
  expect(await task.locator('h3').innerText()).toBe('从实验终端通过 TCP 发送一个句子');
  expect(await task.innerText()).toContain('打开实验终端，连接到 TCP 回显服务器');
  expect(await text('lab-check-tcp-terminal-echoed')).toContain('从实验终端发送的句子以大写形式返回');
  expect(await text('lab-hint-tcp-terminal')).toBe('显示提示（还剩 2 条）');
  await page.locator('[data-testid="lab-hint-tcp-terminal"]').click();
  await expect.poll(() => text('lab-hint-tcp-terminal-0')).toContain('和 `nc` 一样可用'.replace(/`/g, ''));
  expect(await text('lab-restart')).toBe('重新开始实验');
  expect(await page.locator('[data-testid="lab-report"] h3').innerText()).toBe('要上交的报告');
  await page.screenshot({ path: path.join(ARTIFACTS, 'i18n-labs-p2p-zh-CN.png') });

  await page.locator('[data-testid="language"]').selectOption('en');
  await expect.poll(() => text('lab-title')).toBe('Socket programming with UDP and TCP');
  expect(await task.locator('h3').innerText()).toBe('A sentence over TCP from the lab terminal');
  expect(await task.innerText()).toContain('Open the lab terminal and connect to the TCP echo server');
  expect(await text('lab-hint-tcp-terminal-0')).toContain('works as well as nc; any TCP client does.');
  expect(await text('lab-check-tcp-terminal-echoed')).toContain('a sentence sent from the lab terminal came back in capitals');
  expect(await text('lab-hint-tcp-terminal')).toBe('Another hint (1 left)');
  expect(await text('lab-restart')).toBe('Restart lab');
  expect(await row.innerText()).toContain('Socket programming with UDP and TCP');
  expect(await page.locator('[data-testid="lab-row-shipped-http.yaml"]').innerText()).toContain('HTTP: requests and responses you captured');
  await tab('swarm');
  expect(await text('swarm-run')).toBe('Run');
  expect(ui.errors).toEqual([]);
});
