/**
 * A second language (Simplified Chinese): a zh-CN browser gets NetLab in Chinese — the header,
 * the main tabs, the services rail, the terminal's tabs and help — with the page's lang set, no
 * serious accessibility problem, and the header's switch turning it to English, remembered on
 * the next visit. Screenshots: tests/artifacts/i18n-shell-zh-CN.png, i18n-shell-en.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openLabShown, type LabPage } from '../helpers/browser';
import { axeProblems, describeProblems } from '../helpers/axe';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLabShown({ locale: 'zh-CN' });
  page = ui.page;
});
afterAll(() => ui?.close());

describe('NetLab in Chinese', () => {
  it('a zh-CN browser reads the frame in Chinese, with the page language said', async () => {
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await expect.poll(() => page.locator('header .sub').innerText()).toBe('应用层实验室');
    expect(await page.locator('[data-testid="tab-terminal"]').innerText()).toBe('终端');
    expect(await page.locator('[data-testid="tab-mail"]').innerText()).toBe('邮件');
    expect(await page.locator('[data-testid="service-group-sockets"]').innerText()).toContain('套接字编程（§2.7）');
    expect(await page.locator('[data-testid="terminal-tab-1"]').innerText()).toContain('终端 1');
    expect(await page.locator('[data-testid="start-all"]').getAttribute('aria-label')).toBe('启动所有服务');
    expect(await page.locator('[data-testid="language"]').inputValue()).toBe('zh-CN');
    await page.locator('header button[aria-label="键盘快捷键"]').click();
    const help = page.locator('[role="dialog"][aria-label="键盘快捷键"]');
    expect(await help.innerText()).toContain('新建终端标签页');
    expect(await help.innerText()).toContain('试一试：打开终端，输入 telnet localhost');
    await page.screenshot({ path: `${ARTIFACTS}/i18n-shell-zh-CN.png` });
    await page.keyboard.press('Escape');
  });

  it('no serious or critical accessibility problem in Chinese', async () => {
    const problems = await axeProblems(page);
    expect(describeProblems('zh-CN', problems)).toEqual([]);
  });

  it('the header switch turns the UI English, and the choice is kept on the next visit', async () => {
    await page.locator('[data-testid="language"]').selectOption('en');
    await expect.poll(() => page.locator('header .sub').innerText()).toBe('application-layer lab');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en-US');
    expect(await page.locator('[data-testid="tab-terminal"]').innerText()).toBe('Terminal');
    expect(await page.locator('[data-testid="service-group-sockets"]').innerText()).toContain('Socket programming (§2.7)');
    await page.reload();
    await page.locator('[data-testid="service-row-echo-tcp"]').waitFor();
    expect(await page.locator('[data-testid="tab-terminal"]').innerText()).toBe('Terminal');
    await page.screenshot({ path: `${ARTIFACTS}/i18n-shell-en.png` });
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
