/**
 * The Web tab in headless Chromium against `netlab serve`: a site file edited in monaco
 * changes Last-Modified; the cookie table and the proxy cache fill as curl browses; the
 * experiments run and plot. Screenshots go to tests/artifacts/web-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { run } from '../../helpers/proc';
import { freePort, type Served } from '../../helpers/serve';
import { tempDir } from '../../helpers/lab';

let ui: LabPage;
let lab: Served;
let page: Page;
let httpPort: number;
let proxyPort: number;

beforeAll(async () => {
  httpPort = await freePort();
  proxyPort = await freePort();
  const args = await scenarioArgs('web e2e', { ...(await echoAndRelayPorts()), http: httpPort, proxy: proxyPort });
  ui = await openLab({ args, consoleErrors: false });
  ({ lab, page } = ui);
});
afterAll(() => ui?.close());

const shot = (name: string) => ui.shot(name);
const curl = (...args: string[]) => run('curl', ['-s', '--max-time', '10', ...args]);

describe('the textbook exercise in the lab terminal', () => {
  it('telnet gaia.cs.umass.edu 80, a GET typed by hand, the response decoded in the inspector', async () => {
    await page.goto(lab.url);
    await page.locator('[data-testid="tab-terminal"]').click();
    await page.locator('[data-testid="terminal-new"]').click();
    const text = () => page.locator('[data-testid="terminal-pane"] .xterm-rows').innerText();
    await expect.poll(text).toContain('netlab>');
    const type = async (line: string) => {
      await page.locator('[data-testid="terminal-pane"]').click();
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
    };
    await type('telnet gaia.cs.umass.edu 80');
    await expect.poll(text).toContain("Escape character is '^]'.");
    await type('GET /kurose_ross/interactive/index.php HTTP/1.1');
    await type('Host: gaia.cs.umass.edu');
    await type('');
    await expect.poll(text).toContain('HTTP/1.1 200 OK');
    // the request and its response: one row of the Messages view, as in dev tools
    const pair = page.locator('[data-testid="inspector-row"][data-role="pair"]').filter({ hasText: /index\.php → 200 OK · text\/html/ });
    await expect.poll(() => pair.count()).toBeGreaterThan(0);
    await pair.last().locator('.c-id').click();
    const detail = page.locator('[data-testid="inspector-detail"]');
    await expect.poll(() => detail.locator('[data-testid="exchange-response"]').innerText()).toContain('HTTP/1.1 200 OK');
    await page.locator('[data-testid="detail-tab-fields"]').click();
    await expect.poll(() => detail.innerText()).toContain('Request line');
    await shot('web-terminal');
    await page.locator('[data-testid="detail-tab-ladder"]').click();
    await expect.poll(() => page.locator('[data-testid="ladder"] [data-testid="ladder-arrow"]').count()).toBeGreaterThanOrEqual(2);
    await shot('web-ladder');
  });
});

describe('the Web tab', () => {
  it('lists the sites; editing a page in monaco changes its Last-Modified', async () => {
    await page.locator('[data-testid="tab-web"]').click();
    await page.locator('[data-testid="web-view"]').waitFor();
    await page.getByRole('button', { name: /\/wireshark-labs\/HTTP-wireshark-file2\.html/ }).click();
    const lm = page.locator('[data-testid="web-last-modified"]');
    await expect.poll(() => lm.innerText()).toContain('Last-Modified:');
    const before = await lm.innerText();
    const first = await curl('-si', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${httpPort}/wireshark-labs/HTTP-wireshark-file2.html`);
    const since = /Last-Modified: (.+)\r/.exec(first.stdout)![1];
    await page.locator('[data-testid="web-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('<p>edited in NetLab</p>');
    await shot('web-sites');
    await page.waitForTimeout(1000); // Last-Modified has a resolution of one second
    await page.locator('[data-testid="web-save"]').click();
    await expect.poll(() => lm.innerText()).not.toBe(before);
    const after = await curl('-si', '-H', 'Host: gaia.cs.umass.edu', '-H', `If-Modified-Since: ${since}`, `http://127.0.0.1:${httpPort}/wireshark-labs/HTTP-wireshark-file2.html`);
    expect(after.stdout).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(after.stdout).toContain('edited in NetLab');
  });

  it('shows the cookie table as a shopper visits two shops: each cookie with its attributes, each site its own', async () => {
    const jar = path.join(await tempDir(), 'jar');
    for (const p of ['/', '/cart/add?item=router', '/cart/add?item=cable', '/cart', '/account']) {
      await curl('-b', jar, '-c', jar, '-H', 'Host: www.networkutopia.com', `http://127.0.0.1:${httpPort}${p}`);
    }
    await curl('-b', jar, '-c', jar, '-H', 'Host: www.networkutopia.fr', `http://127.0.0.1:${httpPort}/cart/add?item=croissant`);
    await page.locator('[data-testid="web-pane-cookies"]').click();
    const table = page.locator('[data-testid="web-cookies"]');
    await expect.poll(() => table.innerText()).toContain('router, cable');
    const com = table.locator('tr', { hasText: 'router, cable' });
    const issued = com.locator('[data-testid="web-cookie-issued"]');
    await expect.poll(() => issued.innerText()).toMatch(/id=\d+\s*Expires=\w{3}, \d{2} \w{3} \d{4} [\d:]+ GMT\s*Domain=networkutopia\.com\s*Path=\/\s*HttpOnly/);
    expect(await issued.innerText()).toMatch(/last=cable\s*Expires=.* GMT\s*host only\s*Path=\/cart/);
    expect(await issued.innerText()).toMatch(/session=[0-9a-f]{16}\s*session\s*host only\s*Path=\/account\s*Secure\s*HttpOnly/);
    // the French shop: a row of its own, its own id for its own domain
    const fr = table.locator('tr', { hasText: 'www.networkutopia.fr' });
    await expect.poll(() => fr.innerText()).toContain('croissant');
    expect(await fr.innerText()).toContain('Domain=networkutopia.fr');
    await shot('web-cookies');
    await page.setViewportSize({ width: 1024, height: 700 });
    await shot('web-cookies-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows the proxy cache filling and its hit rate', async () => {
    for (let i = 0; i < 2; i++) {
      for (const p of ['/someDepartment/home.index', '/someDepartment/images/pic1.png', '/someDepartment/images/pic2.png']) {
        await curl('-x', `http://127.0.0.1:${proxyPort}`, `http://www.someschool.edu${p}`);
      }
    }
    await page.locator('[data-testid="web-pane-proxy"]').click();
    const stats = page.locator('[data-testid="web-proxy-stats"]');
    await expect.poll(() => stats.innerText()).toContain('hit rate 50%');
    await shot('web-proxy');
  });

  it('runs the persistence experiment four ways, m parallel connections among them, and plots it', async () => {
    await page.locator('[data-testid="web-pane-experiments"]').click();
    const card = page.locator('[data-testid="web-exp-persistence"]');
    await card.locator('input').first().fill('30');
    await page.locator('[data-testid="web-persistence-m"]').fill('3');
    await page.locator('[data-testid="web-run-persistence"]').click();
    // while it runs: which way of fetching, object n of 11
    await expect.poll(() => card.locator('[data-testid="web-persistence-progress"]').innerText()).toMatch(/\((1|2|3|4) of 4\): (object \d+\/11|connecting)/);
    // the run's outcome: its table, or the error the Web tab shows (said, so a failure tells why)
    const alert = page.locator('[role="alert"]:visible').filter({ hasText: /\S/ });
    const outcome = async () => ((await alert.count()) ? `error: ${await alert.first().innerText()}` : await card.innerText());
    await expect.poll(outcome, { timeout: 15_000 }).toContain('pipelined');
    // ⌈10/3⌉ = 4 rounds after the base page: 2·(1+4)·30 ms
    const parallel = card.locator('tr[data-mode="parallel"]');
    expect(await parallel.innerText()).toMatch(/parallel, m = 3\s+11\s+11\s+\d+ ms\s+300 ms/);
    expect(await parallel.innerText()).toContain('2⌈n/m⌉·RTT');
    await expect.poll(() => card.locator('canvas').count()).toBeGreaterThan(0);
    await shot('web-persistence');
    expect(ui.errors).toEqual([]);
  });

  it('with large objects on a rate-limited link, the formula adds the transmission time', async () => {
    const card = page.locator('[data-testid="web-exp-persistence"]');
    await page.locator('[data-testid="web-persistence-large"]').check();
    await page.locator('[data-testid="web-persistence-kb"]').fill('20');
    await page.locator('[data-testid="web-persistence-rate"]').fill('4');
    await page.locator('[data-testid="web-run-persistence"]').click();
    const note = card.locator('[data-testid="web-persistence-large-note"]');
    await expect.poll(() => note.count(), { timeout: 20_000 }).toBe(1);
    expect(await note.innerText()).toContain('10 objects of 20 kB over R = 4 Mbps: L/R = 40 ms each');
    await expect.poll(() => card.locator('tr[data-mode="pipelined"]').innerText()).toMatch(/transmission \d+ ms/);
    await card.locator('canvas').scrollIntoViewIfNeeded();
    await shot('web-persistence-large');
    await page.setViewportSize({ width: 1024, height: 700 });
    await card.locator('.controls').scrollIntoViewIfNeeded();
    await shot('web-persistence-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(ui.errors).toEqual([]);
  });

  it('runs the caching example: progress while it runs, three options with La/R, delay over time with a legend of names', async () => {
    const caching = page.locator('[data-testid="web-exp-caching"]');
    await expect.poll(() => caching.innerText()).toContain('La/R: 15·1 Mbit / 15 Mbps = 1.00');
    await expect.poll(() => page.locator('[data-testid="web-caching-scale"]').innerText()).toMatch(/time runs 2× faster .* divided by 16/);
    // 6 textbook seconds of load: a few seconds per option
    await caching.locator('label', { hasText: 'for' }).locator('input').fill('6');
    await page.locator('[data-testid="web-run-caching"]').click();
    const progress = page.locator('[data-testid="web-caching-progress"]');
    await expect.poll(() => progress.innerText(), { timeout: 10_000 }).toMatch(/15 Mbps access link \(1 of 3\): \d+\/\d+ requests answered/);
    await shot('web-caching-progress');
    await expect.poll(() => progress.innerText(), { timeout: 60_000 }).toMatch(/link \+ cache \(3 of 3\)/);
    const rows = caching.locator('.data-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(3);
    await expect.poll(() => progress.count()).toBe(0);
    expect(await caching.locator('tr[data-option="access-15"]').innerText()).toMatch(/grows without bound/);
    expect(await caching.locator('tr[data-option="cache"]').innerText()).toContain('1.21 s');
    await expect.poll(() => caching.locator('canvas').count()).toBeGreaterThan(0);
    const legend = await caching.locator('.u-legend').innerText();
    expect(legend).toContain('15 Mbps access link, La/R');
    expect(legend).toContain('textbook, 15 Mbps link + cache (1.21 s)');
    expect(legend).not.toMatch(/Value|--/);
    await caching.locator('.data-table').scrollIntoViewIfNeeded();
    await shot('web-experiments');
    await caching.locator('canvas').first().scrollIntoViewIfNeeded();
    await shot('web-caching-plot');
    expect(ui.errors).toEqual([]);
  }, 180_000);
});
