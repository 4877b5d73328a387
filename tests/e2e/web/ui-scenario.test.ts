/**
 * The textbook's caching example loaded from a scenario (web.proxy: 2 s Internet delay, a
 * 15 Mbps access link, cache on; web.server: max-age 3600) in Chromium: the Web tab shows
 * the settings; curl -x fetches a page twice and the inspector pairs show the MISS paying
 * the 2 s and the HIT answered at once. Screenshot: tests/artifacts/web-scenario-caching.png.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoAndRelayPorts, openLab, type LabPage } from '../../helpers/browser';
import { RESOURCES, tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { freePort } from '../../helpers/serve';

let ui: LabPage;
let page: Page;
let proxyPort: number;

beforeAll(async () => {
  proxyPort = await freePort();
  const ports = { ...(await echoAndRelayPorts()), http: await freePort(), proxy: proxyPort };
  // the shipped scenario, with the services moved to free ports
  const shipped = await fs.readFile(path.join(RESOURCES, 'scenarios', 'web-caching.yaml'), 'utf8');
  const services = Object.entries(ports).map(([id, port]) => `  ${id}: { port: ${port} }`).join('\n');
  const file = path.join(await tempDir('netlab-e2e-'), 'web-caching.yaml');
  await fs.writeFile(file, `${shipped}services:\n${services}\n`);
  ui = await openLab({ args: ['--scenario', file] });
  page = ui.page;
});
afterAll(() => ui?.close());

describe('the caching example, from its scenario', () => {
  it('the Web tab shows the scenario settings; the inspector pairs show MISS after 2 s, then HIT', async () => {
    await page.goto(ui.lab.url);
    await page.locator('[data-testid="tab-web"]').click();
    await page.locator('[data-testid="web-pane-proxy"]').click();
    const bar = page.locator('.proxy .bar');
    await expect.poll(() => bar.locator('input[type="number"]').nth(0).inputValue()).toBe('2000');
    expect(await bar.locator('input[type="number"]').nth(1).inputValue()).toBe('15000');
    expect(await bar.locator('input[type="checkbox"]').isChecked()).toBe(true);

    const fetch = () => run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '-x', `http://127.0.0.1:${proxyPort}`, 'http://www.someschool.edu/someDepartment/home.index'], { timeoutMs: 20_000 });
    const [status, seconds] = (await fetch()).stdout.split(' ');
    expect(status).toBe('200');
    expect(Number(seconds)).toBeGreaterThanOrEqual(1.9);
    await fetch();
    await expect.poll(() => page.locator('[data-testid="web-proxy-stats"]').innerText()).toMatch(/1\s+hits/);

    await page.locator('[data-testid="inspector-filter-service"]').selectOption('proxy');
    const pairs = page.locator('[data-testid="inspector-row"][data-role="pair"] [data-testid="pair-summary"]');
    await expect.poll(() => pairs.count()).toBe(2);
    const [miss, hit] = (await pairs.allTextContents()).map((t) => t.replace(/\s+/g, ' '));
    expect(miss).toMatch(/GET http:\/\/www\.someschool\.edu\/someDepartment\/home\.index → 200 OK · .*X-Cache: MISS · 2\.\d\d s/);
    expect(hit).toMatch(/→ 200 OK · .*X-Cache: HIT · [\d.]+ ms/);
    await page.locator('[data-testid="inspector-row"][data-role="pair"]').first().locator('.c-id').click();
    await expect.poll(() => page.locator('[data-testid="exchange-timing"]').innerText()).toMatch(/waiting\)\s+2\.\d\d s/);
    await ui.shot('web-scenario-caching');
    expect(ui.errors).toEqual([]);
  });
});
