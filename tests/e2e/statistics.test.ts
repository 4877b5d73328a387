/**
 * The inspector's Statistics panel (issue 14) at 1024×700: after real curl, dig and swaks
 * traffic, the button in the filter bar opens tables of conversations, protocols, HTTP,
 * DNS and SMTP figures, and they follow the service filter.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';

let ui: LabPage;
let page: Page;
beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="service-row-echo-tcp"]').waitFor();
}, 60_000);
afterAll(() => ui?.close());

async function railPort(id: string): Promise<string> {
  const text = await page.locator(`[data-testid="service-row-${id}"]`).innerText();
  return /\b(\d{4,5})\b/.exec(text)?.[1] ?? '';
}

/** A table's rows as text, cells joined by | */
async function rows(testid: string, table = 0): Promise<string[]> {
  return page
    .locator(`[data-testid="${testid}"] table`)
    .nth(table)
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim()).join('|')));
}

describe('Statistics panel', () => {
  it('shows the figures of real traffic and follows the filter', async () => {
    const http = await railPort('http');
    for (const p of ['/', '/nosuch.html']) {
      const r = await run('curl', ['-s', '-o', '/dev/null', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${http}${p}`]);
      expect(r.code, r.stderr).toBe(0);
    }
    const dig = await run('dig', ['@127.0.0.1', '-p', await railPort('dns-local'), '+tries=1', '+time=5', 'gaia.cs.umass.edu', 'A']);
    expect(dig.stdout).toContain('128.119.40.205');
    const swaks = await run('swaks', ['--server', '127.0.0.1', '--port', await railPort('smtp'), '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu'], { timeoutMs: 15_000 });
    expect(swaks.code, swaks.stdout + swaks.stderr).toBe(0);

    await page.locator('[data-testid="capture-statistics"]').click();
    await page.locator('[data-testid="statistics"]').waitFor();
    await expect.poll(() => rows('stats-http', 1), { timeout: 10_000 }).toContain('404 Not Found|1');
    expect(await rows('stats-http', 0)).toEqual(['GET|2']);
    // swaks's submission and the lab's relay to hamburger.edu's MX: each 220, 250 ×4, 354, 221
    await expect.poll(() => rows('stats-smtp'), { timeout: 10_000 }).toEqual(['220|2', '221|2', '250|8', '354|2']);
    expect((await rows('stats-dns')).some((r) => r.includes('dns-local') && r.startsWith('local DNS server'))).toBe(true);
    expect((await rows('stats-dns')).some((r) => r.startsWith('a.root-servers.net'))).toBe(true);
    expect((await rows('stats-protocols')).some((r) => r.startsWith('http/tcp|http|4|'))).toBe(true);
    const conversations = await rows('stats-conversations');
    expect(conversations.some((r) => r.startsWith('http|127.0.0.1|') && r.includes('|gaia.cs.umass.edu (128.119.40.205)|2|4|'))).toBe(true);
    // the panel fits the window: no page scroll, the tables inside the inspector
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await ui.shot('inspector-statistics');

    // the service filter narrows every table
    await page.locator('[data-testid="inspector-filter-service"]').selectOption('http');
    await expect.poll(() => rows('stats-smtp'), { timeout: 10_000 }).toEqual(['no replies']);
    expect((await rows('stats-conversations')).every((r) => r.startsWith('http|'))).toBe(true);
    expect(await rows('stats-http', 0)).toEqual(['GET|2']);
    await ui.shot('inspector-statistics-http');

    await page.locator('[data-testid="statistics-close"]').click();
    await page.locator('[data-testid="inspector-row"]').first().waitFor();
    expect(ui.errors).toEqual([]);
  });
});
