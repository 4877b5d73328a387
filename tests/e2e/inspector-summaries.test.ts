/**
 * Inspector summaries never overlap: with a row open (the detail pane beside the list) at
 * 1440×900, and docked right at 1024×700, each pair row's request, arrow, status and details
 * sit side by side, a part cut short ends in an ellipsis with the whole in its tooltip, and
 * the request's method stays readable. Traffic from real clients: curl (a 501 for PATCH, a
 * 304 for a conditional GET, a long path) and dig. Screenshots: tests/artifacts/summaries-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';
import { labPorts } from '../helpers/ports';

let ui: LabPage;
let page: Page;
let httpPort: number;
let dnsPort: number;

beforeAll(async () => {
  // every service on a port free for TCP and for UDP, never twice (helpers/ports.ts)
  const ports = await labPorts(await echoAndRelayPorts());
  httpPort = ports.http as number;
  dnsPort = ports['dns-local'] as number;
  const args = await scenarioArgs('summaries e2e', ports);
  ui = await openLab({ args });
  page = ui.page;
  // an action that cannot happen fails with Playwright's account of why (what covers the row,
  // what keeps moving) before the test's own 30 s run out without one
  page.setDefaultTimeout(20_000);
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="inspector"]').waitFor();
  const base = `http://127.0.0.1:${httpPort}`;
  expect((await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PATCH', `${base}/someDepartment/home.index`])).stdout).toBe('501');
  expect((await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-z', 'Sat, 01 Jan 2100 00:00:00 GMT', `${base}/someDepartment/images/pic10.png`])).stdout).toBe('304');
  await run('curl', ['-s', '-o', '/dev/null', `${base}/wireshark-labs/HTTP-wireshark-file4.html?student=a-rather-long-query-string-that-goes-on`]);
  expect((await run('dig', ['+tries=1', '+time=10', '-p', String(dnsPort), '@127.0.0.1', 'gaia.cs.umass.edu', 'A'])).stdout).toContain('128.119');
  // a locator's wait, not a string predicate run in the page: the UI's CSP refuses eval there
  await page.locator('[data-testid="pair-summary"]').nth(3).waitFor({ timeout: 15_000 });
});
afterAll(() => ui?.close());

/** For every pair row: the parts' boxes in order, none past the cell; the method and whether each part is cut. */
const geometry = (): Promise<{ text: string; overlaps: string[]; method: string; methodCut: boolean; cutWithoutEllipsis: string[]; title: string }[]> =>
  // a string: the test files are type-checked without the DOM's types
  page.evaluate(`
    [...document.querySelectorAll('[data-testid="pair-summary"]')].map((cell) => {
      const parts = [...cell.querySelectorAll('.req, .arrow, .status, .meta')];
      const cellBox = cell.getBoundingClientRect();
      const overlaps = [];
      parts.forEach((p, i) => {
        const r = p.getBoundingClientRect();
        if (r.right > cellBox.right + 0.5) overlaps.push(\`\${p.className} past the cell\`);
        const next = parts[i + 1]?.getBoundingClientRect();
        if (next && r.width > 0 && next.width > 0 && r.right > next.left + 0.5) overlaps.push(\`\${p.className} over \${parts[i + 1].className}\`);
        // what a part draws stays inside it (a child running out of its parent overlaps the next part)
        for (const c of p.querySelectorAll('*')) {
          const cr = c.getBoundingClientRect();
          if (cr.width > 0 && cr.right > r.right + 0.5 && getComputedStyle(p).overflow !== 'hidden') overlaps.push(\`\${c.className} out of \${p.className}\`);
        }
      });
      const method = cell.querySelector('.method');
      const cutWithoutEllipsis = [...cell.querySelectorAll('.method, .head, .tail, .status, .meta')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).textOverflow !== 'ellipsis')
        .map((e) => e.className);
      return {
        text: cell.textContent ?? '',
        overlaps,
        method: method?.textContent ?? '',
        methodCut: method ? method.scrollWidth > method.clientWidth + 1 : true,
        cutWithoutEllipsis,
        title: cell.title,
      };
    })
  `);

async function expectReadable(least: number): Promise<void> {
  const rows = await geometry();
  expect(rows.length).toBeGreaterThanOrEqual(least);
  for (const r of rows) {
    expect(r.overlaps, r.text).toEqual([]);
    expect(r.cutWithoutEllipsis, r.text).toEqual([]);
    expect(r.method.trim().length, r.text).toBeGreaterThan(0);
    expect(r.methodCut, r.text).toBe(false);
  }
  const del = rows.find((r) => r.text.includes('PATCH'))!;
  expect(del.title).toContain('PATCH /someDepartment/home.index');
  expect(del.title).toContain('501 Not Implemented');
}

describe('inspector summaries', () => {
  it('at 1440×900 with a row open, the parts of each pair sit side by side', async () => {
    await page.locator('[data-testid="inspector-row"][data-role="pair"]').first().click();
    await page.locator('[data-testid="inspector-detail"]').waitFor();
    await ui.shot('summaries-1440-open');
    await expectReadable(4);
  });

  it('docked right at 1024×700 with a row open, still no overlap and the methods readable', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.locator('[data-testid="dock-toggle"]').click();
    await page.locator('[data-testid="inspector-row"][data-role="pair"]').first().click();
    await page.locator('[data-testid="inspector-detail"]').waitFor();
    await ui.shot('summaries-1024-right');
    // the list above the detail shows a few rows: those it shows
    await expectReadable(1);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
