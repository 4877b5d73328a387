/**
 * The filter bar's display filters in Chromium: `http.status == 304` typed into the bar
 * leaves the one exchange curl's conditional GET got Not Modified for; a mistake shows
 * under the bar with a caret at its character; field names complete; a plain word still
 * searches the summaries. Screenshots: tests/artifacts/field-filter-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';
import { labPorts } from '../helpers/ports';
import { waitFor } from '../helpers/lab';

let ui: LabPage;
let page: Page;
let httpPort: number;

const rowsText = (): Promise<string[]> => page.locator('[data-testid="inspector-row"]').allInnerTexts();
const bar = () => page.locator('[data-testid="inspector-filter-text"]');

beforeAll(async () => {
  // every service on a port free for TCP and for UDP, never twice (helpers/ports.ts)
  const ports = await labPorts(await echoAndRelayPorts());
  httpPort = ports.http as number;
  const dnsPort = ports['dns-local'] as number;
  const args = await scenarioArgs('field filter e2e', ports);
  ui = await openLab({ args });
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="inspector"]').waitFor();
  const base = `http://127.0.0.1:${httpPort}`;
  expect((await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${base}/someDepartment/home.index`])).stdout).toBe('200');
  expect((await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-z', 'Sat, 01 Jan 2100 00:00:00 GMT', `${base}/someDepartment/images/pic10.png`])).stdout).toBe('304');
  expect((await run('dig', ['+tries=1', '+time=5', '-p', String(dnsPort), '@127.0.0.1', 'gaia.cs.umass.edu', 'A'])).stdout).toContain('128.119');
  // polled from here: the page's CSP refuses the string functions waitForFunction would eval
  await waitFor(async () => (await page.locator('[data-testid="pair-summary"]').count()) >= 3, 'three exchanges in the inspector', 15_000);
}, 60_000);
afterAll(() => ui?.close());

describe('display filters in the filter bar', () => {
  it('http.status == 304 leaves the Not Modified exchange alone', async () => {
    expect((await rowsText()).length).toBeGreaterThanOrEqual(3);
    await bar().fill('');
    await bar().pressSequentially('http.status == 304');
    await expect.poll(async () => (await rowsText()).length, { timeout: 10_000 }).toBe(1);
    const [row] = await rowsText();
    expect(row).toContain('pic10.png');
    expect(row).toContain('304');
    expect(await page.locator('[data-testid="inspector-filter-problem"]').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'field-filter-304.png') });
  });

  it('a mistake shows under the bar, a caret under its character', async () => {
    await bar().fill('http.status = 304');
    const problem = page.locator('[data-testid="inspector-filter-problem"]');
    await problem.waitFor();
    const text = await problem.innerText();
    expect(text).toContain('at character 13');
    expect(text).toContain(`${' '.repeat(12)}^`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'field-filter-mistake.png') });
  });

  it('field names complete from the decoders\' list', async () => {
    await bar().fill('');
    await bar().pressSequentially('dns.flags.r');
    const suggest = page.locator('[data-testid="inspector-filter-suggest"]');
    await suggest.waitFor();
    expect(await suggest.innerText()).toContain('dns.flags.rd');
    await page.screenshot({ path: path.join(ARTIFACTS, 'field-filter-complete.png') });
    await bar().press('ArrowDown');
    await bar().press('Tab');
    expect(await bar().inputValue()).toBe('dns.flags.ra');
    await bar().pressSequentially(' == 1');
    // the local resolver's answer offers recursion; the http rows go
    await expect.poll(async () => (await rowsText()).every((r) => r.includes('dns')), { timeout: 10_000 }).toBe(true);
    expect((await rowsText()).length).toBeGreaterThanOrEqual(1);
  });

  it('a plain word still searches the summaries', async () => {
    await bar().fill("home.index");
    await expect.poll(async () => (await rowsText()).length, { timeout: 10_000 }).toBe(1);
    expect((await rowsText())[0]).toContain("home.index");
    await bar().fill('');
    await expect.poll(async () => (await rowsText()).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  });
});
