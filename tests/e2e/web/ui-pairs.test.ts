/**
 * The inspector pairs HTTP requests and responses, in headless Chromium against `netlab
 * serve`: curl fetches three URLs over one persistent connection, a raw client pipelines
 * three requests in one write; the Messages view shows one row per pair, in order, the
 * Exchange tab the pair with its timing, ▸ the response under its request.
 * Screenshot: tests/artifacts/web-pairs.png.
 */
import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { run } from '../../helpers/proc';
import { freePort } from '../../helpers/serve';

let ui: LabPage;
let page: Page;
let httpPort: number;

beforeAll(async () => {
  httpPort = await freePort();
  const args = await scenarioArgs('web pairs e2e', { ...(await echoAndRelayPorts()), http: httpPort, proxy: await freePort() });
  ui = await openLab({ args });
  page = ui.page;
});
afterAll(() => ui?.close());

/** Three requests in one write (HTTP/1.1 pipelining, RFC 9112 §9.3.2); resolves when the server closes. */
function pipelined(paths: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(httpPort, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', reject);
    s.on('close', () => resolve(got));
    s.write(paths.map((p, i) => `GET ${p} HTTP/1.1\r\nHost: www.someschool.edu\r\n${i === paths.length - 1 ? 'Connection: close\r\n' : ''}\r\n`).join(''));
  });
}

describe('request/response pairs in the inspector', () => {
  it('curl over a persistent connection and a pipelined client: one row per pair, the Exchange tab, ▸ the response', async () => {
    await page.goto(ui.lab.url);
    // a tall inspector, the way one reads a capture
    const layout = JSON.stringify({ inspectorSize: 600, dock: 'bottom', collapsed: false });
    await page.evaluate(`localStorage.setItem('netlab.layout.v1', ${JSON.stringify(layout)})`);
    await page.reload();
    await page.locator('[data-testid="inspector"]').waitFor();
    await page.locator('[data-testid="inspector-filter-service"]').selectOption('http');

    const base = `http://127.0.0.1:${httpPort}`;
    const persistent = await run('curl', ['-sv', '-o', '/dev/null', '-o', '/dev/null', '-o', '/dev/null', `${base}/`, `${base}/someDepartment/home.index`, `${base}/no-such-page`]);
    expect(persistent.stderr).toMatch(/Re-using existing connection|Reusing existing/);
    const answer = await pipelined(['/someDepartment/images/pic1.png', '/someDepartment/images/pic2.png', '/someDepartment/images/pic3.png']);
    expect(answer.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);

    const pairs = page.locator('[data-testid="inspector-row"][data-role="pair"]');
    await expect.poll(() => pairs.count()).toBe(6);
    const texts = (await pairs.locator('[data-testid="pair-summary"]').allTextContents()).map((t) => t.replace(/\s+/g, ' '));
    expect(texts[0]).toMatch(/GET \/ → 200 OK · text\/html/);
    expect(texts[1]).toMatch(/GET \/someDepartment\/home\.index → 200 OK/);
    expect(texts[2]).toMatch(/GET \/no-such-page → 404 Not Found/);
    for (let i = 3; i < 6; i++) expect(texts[i]).toMatch(new RegExp(`GET /someDepartment/images/pic${i - 2}\\.png → 200 OK · image/png`));
    // no response has a row of its own in the grouped view
    expect(await page.locator('[data-testid="inspector-row"]').filter({ hasText: /^\s*\d+.*HTTP\/1\.1 200/ }).count()).toBe(0);

    // the third pipelined request: sent while two were unanswered
    await pairs.nth(5).locator('.c-id').click();
    const detail = page.locator('[data-testid="inspector-detail"]');
    const view = detail.locator('[data-testid="exchange-view"]');
    await expect.poll(() => view.innerText()).toContain('pipelined: sent while 2 earlier requests were still unanswered');
    await expect.poll(() => view.locator('[data-testid="exchange-response"]').innerText()).toContain('Content-Type: image/png');
    expect(await view.locator('[data-testid="exchange-request"]').innerText()).toContain('GET /someDepartment/images/pic3.png HTTP/1.1');
    expect(await view.locator('[data-testid="exchange-timing"]').innerText()).toMatch(/request → first byte of the response \(waiting\)\s+[\d.]+ ms/);

    // the second curl request reused the connection
    await pairs.nth(1).locator('.c-id').click();
    await expect.poll(() => view.innerText()).toContain('persistent connection, reused: request 2 on it');
    // → opens the selected pair as a tree does, ← closes it
    const part = page.locator('[data-testid="inspector-row"][data-role="part"]');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => part.count()).toBe(1);
    expect(await part.innerText()).toMatch(/HTTP\/1\.1 200 OK/);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => part.count()).toBe(0);

    // ▸ puts the 404 response under its request; selecting the response shows the same pair
    await pairs.nth(2).locator('[data-testid="pair-toggle"]').click();
    await expect.poll(() => part.count()).toBe(1);
    expect(await part.innerText()).toMatch(/HTTP\/1\.1 404 Not Found/);
    await part.click();
    await expect.poll(() => view.locator('[data-testid="exchange-status"]').innerText()).toBe('404 Not Found');
    await ui.shot('web-pairs-exchange');
    // the list alone, full width: the pairs as one reads them
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    await ui.shot('web-pairs');
    // the dark theme, with the pipelined exchange open
    await pairs.nth(4).locator('.c-id').click();
    await page.locator('[data-testid="theme-toggle"]').click();
    await expect.poll(() => view.innerText()).toContain('pipelined: sent while 1 earlier request was still unanswered');
    await ui.shot('web-pairs-dark');
    await page.locator('[data-testid="theme-toggle"]').click();

    // with pairs off the Messages view lists both messages, as before
    await page.locator('[data-testid="inspector-pairs"]').uncheck();
    await expect.poll(() => page.locator('[data-testid="inspector-row"]').filter({ hasText: 'HTTP/1.1 200 OK' }).count()).toBe(5);
    expect(ui.errors).toEqual([]);
  });
});
