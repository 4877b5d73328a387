/**
 * NetLab in a small window (1024×700), as a student on a laptop sees it: the inspector with a
 * message open keeps its summaries readable, a DNS error pair reads "No such name", the
 * exchange names the server and its real endpoint, hints quote the lab's real ports, a bad
 * name in the DNS tab is explained before it is sent, and × gives the keyboard back to the
 * list. Screenshots: tests/artifacts/review-narrow-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, terminalText, typeInTerminal, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="service-row-http"]').waitFor();
});
afterAll(() => ui?.close());

const portOf = async (id: string): Promise<string> => /\b(?:TCP|UDP) (\d+)/.exec(await page.locator(`[data-testid="service-row-${id}"]`).innerText())![1];

describe('a 1024×700 window', () => {
  it('the empty inspector quotes the echo port the lab really uses', async () => {
    await page.locator('[data-testid="capture-clear"]').click();
    await expect.poll(() => page.locator('[data-testid="inspector"] .empty').innerText()).toContain(`telnet localhost ${ui.lab.echoPort}`);
  });

  it('a DNS error pair reads "No such name", and the list keeps its summaries beside the detail', async () => {
    await page.locator('[data-testid="tab-terminal"]').click();
    await page.locator('[data-testid="terminal-new"]').click();
    await expect.poll(() => terminalText(page)).toContain('netlab>');
    await typeInTerminal(page, 'dig nosuch.umass.edu');
    await expect.poll(() => terminalText(page)).toContain('NXDOMAIN');
    const row = page.locator('[data-testid="inspector-row"]').filter({ hasText: /nosuch\.umass\.edu/ }).first();
    await expect.poll(() => row.innerText()).toMatch(/No such name/);
    // dig's word finds it too
    await page.locator('[data-testid="inspector-filter-text"]').fill('NXDOMAIN');
    await expect.poll(() => page.locator('[data-testid="inspector-row"]').filter({ hasText: /No such name/ }).count()).toBeGreaterThan(0);
    await page.locator('[data-testid="inspector-filter-text"]').fill('');
    await row.click();
    await page.locator('[data-testid="inspector-detail"]').waitFor();
    const summary = await row.locator('.c-summary').boundingBox();
    expect(summary!.width).toBeGreaterThan(150);
    const follow = await page.locator('[data-testid="detail-follow"]').boundingBox();
    expect(follow!.height).toBeLessThan(26); // one line
    await ui.shot('review-narrow-inspector');
  });

  it('× closes the detail and ↓ goes on in the list', async () => {
    await page.locator('[data-testid="inspector-detail"] button[title^="Close"]').click();
    expect(await page.evaluate("document.activeElement?.classList.contains('viewport')")).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid="inspector-detail"]').waitFor();
  });

  it('an HTTP exchange typed by hand names the host and its real endpoint', async () => {
    const http = await portOf('http');
    await typeInTerminal(page, 'telnet gaia.cs.umass.edu 80');
    await expect.poll(() => terminalText(page)).toContain("Escape character is '^]'.");
    await typeInTerminal(page, 'GET /kurose_ross/interactive/index.php HTTP/1.1');
    await typeInTerminal(page, 'Host: gaia.cs.umass.edu');
    await typeInTerminal(page, '');
    await expect.poll(() => terminalText(page)).toContain('</html>');
    const pair = page.locator('[data-testid="inspector-row"]').filter({ hasText: /GET \/kurose_ross/ }).first();
    await pair.click();
    await page.locator('[data-testid="detail-tab-exchange"]').click();
    await expect.poll(() => page.locator('[data-testid="inspector-detail"]').innerText()).toContain(`gaia.cs.umass.edu (127.0.0.1:${http})`);
    await ui.shot('review-narrow-exchange');
  });

  it('the DNS tab explains a bad name instead of sending it', async () => {
    await page.locator('[data-testid="tab-dns"]').click();
    await page.locator('[data-testid="dns-pane-resolve"]').click();
    await page.locator('[data-testid="dns-name"]').fill('no such thing!');
    await expect.poll(() => page.locator('[data-testid="dns-name-problem"]').innerText()).toContain('is not a domain name');
    expect(await page.locator('[data-testid="dns-resolve"]').isDisabled()).toBe(true);
    await ui.shot('review-narrow-dns-name');
    await page.locator('[data-testid="dns-name"]').fill('gaia.cs.umass.edu');
    expect(await page.locator('[data-testid="dns-name-problem"]').count()).toBe(0);
  });

  it("the cookie hint quotes the web server's real port", async () => {
    const http = await portOf('http');
    await page.locator('[data-testid="tab-web"]').click();
    await page.locator('[data-testid="web-pane-cookies"]').click();
    await expect.poll(() => page.locator('.cookies').innerText()).toContain(`http://127.0.0.1:${http}/cart/add`);
    await ui.shot('review-narrow-cookies');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
