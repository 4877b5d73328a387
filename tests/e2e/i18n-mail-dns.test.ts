/**
 * The DNS and Mail tabs in a Chinese browser (zh-CN) against `netlab serve`: the panes, a real
 * resolution (迭代查询/递归查询, 本地DNS服务器 …), the cache, the hierarchy, a message sent over
 * SMTP and read back, and the queue speak Simplified Chinese; the header's language switch
 * brings the English words back on the same page. Screenshots: tests/artifacts/i18n-mail-dns-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;
const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/i18n-mail-dns-${name}.png` });
const text = (testid: string) => page.locator(`[data-testid="${testid}"]`).innerText();

beforeAll(async () => {
  // every other service (the DNS hierarchy's, the mail servers') gets a port free for TCP and
  // for UDP, never twice: a DNS server whose UDP port another socket held could not start
  const args = await scenarioArgs('i18n mail-dns e2e', await echoAndRelayPorts());
  ui = await openLab({ args, locale: 'zh-CN' });
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="tab-dns"]').waitFor();
});
afterAll(() => ui?.close());

describe('DNS and Mail in Simplified Chinese', () => {
  it('the DNS tab: a resolution both ways, the textbook’s terms', async () => {
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.locator('[data-testid="tab-dns"]').click();
    expect(await page.locator('[data-testid="dns-pane-resolve"]').innerText()).toBe('解析');
    expect(await page.locator('[data-testid="dns-pane-guide"]').innerText()).toBe('指南：注册域名');
    await page.locator('[data-testid="dns-name"]').fill('gaia.cs.umass.edu');
    await page.locator('[data-testid="dns-resolve"]').click();
    // the columns appear when both walks are over (one reply to dns.resolve): count then, and
    // say what the walk met if it is not the textbook's eight messages (Figure 2.19)
    await page.locator('[data-testid="dns-iterative"] p.result').waitFor({ timeout: 20_000 });
    const iterative = await text('dns-iterative');
    expect(await page.locator('[data-testid="dns-iterative"] li.step').count(), iterative).toBe(8);
    expect(iterative).toContain('迭代查询');
    expect(iterative).toContain('本地DNS服务器'); // the diagram's box and the steps' party
    expect(iterative).toContain('请求主机');
    expect(iterative).toMatch(/\d+ 个报文，\d+ ms/);
    expect(iterative).toContain('a.edu-servers.net'); // host names stay as they are
    // the lab core's step sentences, sent with their catalogue keys (src-main/lab/dns/lab-text.ts)
    expect(iterative).toContain('gaia.cs.umass.edu A？（非递归）');
    expect(iterative).toMatch(/引荐到 edu\.：NS a\.edu-servers\.net\.[^\n]*；胶水记录 /);
    expect(iterative).toContain('回答（权威）：A 128.119.40.205');
    expect(iterative).not.toContain('(no recursion)');
    expect(await text('dns-recursive')).toContain('gaia.cs.umass.edu A？（期望递归）');
    expect(await text('dns-recursive')).toContain('递归查询');
    expect(await page.locator('[data-testid="dns-iterative"] svg text.role').allTextContents()).toEqual(
      expect.arrayContaining(['根DNS服务器', '顶级域(TLD)服务器', '权威DNS服务器']),
    );
    await shot('zh-CN-resolution');
    // again: the local DNS server answers from its cache
    await page.locator('[data-testid="dns-resolve"]').click();
    await expect.poll(() => text('dns-iterative'), { timeout: 15_000 }).toMatch(/已跳过 — 在缓存中（TTL 还剩 \d+ 秒）：A 128\.119\.40\.205/);

    await page.locator('[data-testid="dns-pane-cache"]').click();
    expect(await page.locator('[data-testid="dns-flush"]').innerText()).toBe('清空缓存');
    await expect.poll(() => text('dns-cache')).toMatch(/edu\s+NS\s+\d+ s\s+引荐/);
    expect(await text('dns-cache')).toContain('剩余 TTL');
    await shot('zh-CN-cache');

    await page.locator('[data-testid="dns-pane-hierarchy"]').click();
    const h = await text('dns-hierarchy');
    expect(h).toContain('顶级域(TLD)服务器');
    expect(h).toMatch(/dig @127\.0\.0\.1 -p \d+ gaia\.cs\.umass\.edu \+norecurse/);
    await shot('zh-CN-hierarchy');

    await page.locator('[data-testid="dns-pane-guide"]').click();
    await expect.poll(() => text('dns-guide')).toContain('注册登记机构把一条 NS 记录插入 com 顶级域(TLD)服务器');
    expect(await page.locator('[data-testid="dns-guide-start"]').innerText()).toBe('开始：回到注册之前');
    await shot('zh-CN-guide');
  });

  it('the Mail tab: compose, send over SMTP, read it back, the queue', async () => {
    await page.locator('[data-testid="tab-mail"]').click();
    expect(await page.locator('[data-testid="mail-pane-mailbox"]').innerText()).toBe('邮箱');
    await page.locator('[data-testid="mail-pane-compose"]').click();
    expect(await page.locator('[data-testid="compose-send"]').innerText()).toBe('通过 SMTP 发送');
    await page.locator('[data-testid="compose-subject"]').fill('番茄酱 i18n ketchup');
    await expect.poll(() => text('compose-source')).toContain('MIME-Version: 1.0');
    await page.locator('[data-testid="compose-send"]').click();
    await expect.poll(() => text('compose-note')).toMatch(/^提交服务器已接受（队列 id [^)）]+）/);
    expect(await text('compose-transcript')).toContain('SMTP 对话');
    await shot('zh-CN-compose');

    await page.locator('[data-testid="mail-pane-mailbox"]').click();
    await page.locator('[data-testid="mailbox-bob@hamburger.edu"]').click();
    // the subject went out as an RFC 2047 encoded word: the list shows it decoded
    const row = page.locator('[data-testid="mail-row"]', { hasText: '番茄酱 i18n ketchup' });
    await row.waitFor({ timeout: 10_000 });
    expect(await text('mail-messages')).toMatch(/\d+ 封报文 · Maildir/);
    await row.click();
    const detail = await text('mail-detail');
    expect(detail).toContain('发件人');
    expect(detail).toContain('收件人');
    expect(await page.locator('[data-testid="mail-tab-headers"]').innerText()).toBe('首部');
    await page.locator('[data-testid="mail-tab-path"]').click();
    await expect.poll(() => text('mail-path')).toContain('发送方的用户代理');
    expect(await text('mail-path')).toMatch(/from \S+ \(\[127\.0\.0\.1\]\) · ESMTP · id /); // the Received: line's own words
    await page.screenshot({ path: `${ARTIFACTS}/i18n-mail-dns-zh-CN.png` });

    await page.locator('[data-testid="mail-pane-queue"]').click();
    expect(await page.locator('[data-testid="mail-retry"]').innerText()).toBe('立即重试');
    expect(await text('mail-queue')).toContain('MAILER-DAEMON');
    await shot('zh-CN-queue');
  });

  it('the header’s language switch brings the English words back', async () => {
    await page.locator('[data-testid="language"]').selectOption('en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
    expect(await page.locator('[data-testid="mail-pane-mailbox"]').innerText()).toBe('Mailboxes');
    expect(await page.locator('[data-testid="mail-retry"]').innerText()).toBe('Retry now');
    expect(await text('mail-queue')).toContain('Messages accepted (written to the spool and fsynced before the 250) and waiting');
    await page.locator('[data-testid="mail-pane-compose"]').click();
    expect(await page.locator('[data-testid="compose-send"]').innerText()).toBe('Send over SMTP');
    await page.locator('[data-testid="tab-dns"]').click();
    await page.locator('[data-testid="dns-pane-resolve"]').click();
    expect(await page.locator('[data-testid="dns-pane-resolve"]').innerText()).toBe('Resolution');
    const iterative = await text('dns-iterative');
    expect(iterative).toContain('Iterative');
    expect(iterative).toContain('local DNS server');
    expect(iterative).toMatch(/\d+ messages, \d+ ms/);
    expect(iterative).toMatch(/in the cache \(TTL \d+ s left\): A 128\.119\.40\.205/);
    expect(iterative).not.toContain('在缓存中');
    expect(await page.locator('[data-testid="dns-iterative"] svg text.role').allTextContents()).toEqual(
      expect.arrayContaining(['root DNS server', 'TLD DNS server', 'authoritative DNS server']),
    );
    await shot('en-resolution');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
