/**
 * The VoIP tab in headless Chromium against `netlab serve`: both softphones register, Alice
 * calls Bob, Bob answers, the receivers' plots fill second by second over a lossy link, and
 * the inspector pairs the INVITE with its 100, 180 and 200. Screenshots:
 * tests/artifacts/voip-call.png (1440×900), voip-call-narrow.png (1024×700), voip-inspector.png,
 * voip-flow.png (the call in the Flow view).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Lab } from '../../../src-main/lab/lab';
import { openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { RESOURCES, tempDir } from '../../helpers/lab';
import { freePort } from '../../helpers/serve';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  // only the SIP proxy runs, on a free port
  const ids = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser' }).services.map((s) => s.id);
  const sip = await freePort();
  ui = await openLab({ args: await scenarioArgs('sip only', Object.fromEntries(ids.map((id) => [id, id === 'sip' && sip]))) });
  page = ui.page;
});
afterAll(() => ui?.close());

it('registers both phones, calls, answers, plots the receivers and hangs up', async () => {
  await page.goto(ui.lab.url);
  await page.locator('[data-testid="tab-voip"]').click();
  await page.locator('[data-testid="voip-register-both"]').click();
  await expect.poll(() => page.locator('[data-testid="phone-state-alice"]').innerText()).toBe('registered, idle');
  await expect.poll(() => page.locator('[data-testid="phone-state-bob"]').innerText()).toBe('registered, idle');
  await page.locator('[data-testid="voip-loss"]').fill('10');
  await page.locator('[data-testid="voip-loss"]').dispatchEvent('change');
  await page.locator('[data-testid="voip-jitter"]').fill('40');
  await page.locator('[data-testid="voip-jitter"]').dispatchEvent('change');
  await page.locator('[data-testid="phone-alice"] [data-testid="phone-call"]').click();
  await expect.poll(() => page.locator('[data-testid="phone-state-bob"]').innerText(), { timeout: 10_000 }).toBe('incoming call!');
  await page.locator('[data-testid="phone-bob"] [data-testid="phone-answer"]').click();
  await expect.poll(() => page.locator('[data-testid="phone-state-alice"]').innerText(), { timeout: 10_000 }).toBe('in a call');
  // three seconds of audio: three points in each plot, losses counted
  await expect.poll(() => page.locator('[data-testid="voip-plot-Bob hears"] rect.lost').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  expect(await page.locator('[data-testid="phone-bob"]').innerText()).toMatch(/received\s+\d+ of \d+ \(\d+ lost, \d+ late\)/);
  await page.locator('[data-testid="voip-adaptive"]').check();
  await ui.shot('voip-call');
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(300);
  await ui.shot('voip-call-narrow');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.locator('[data-testid="phone-alice"] [data-testid="phone-hangup"]').click();
  await expect.poll(() => page.locator('[data-testid="phone-state-bob"]').innerText(), { timeout: 10_000 }).toBe('registered, idle');
  // the inspector pairs the INVITE with its answers
  await page.locator('[data-testid="inspector-filter-text"]').fill('INVITE');
  // (through both domains' proxies: each leg's INVITE is a pair; the rows reach the page in batches, so wait for the answer)
  await expect.poll(() => page.locator('[data-testid="pair-summary"]', { hasText: 'INVITE sip:bob@hamburger.edu' }).count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator('[data-testid="pair-summary"]', { hasText: 'INVITE sip:bob@hamburger.edu' }).first().innerText(), { timeout: 10_000 }).toMatch(/200 OK/);
  await ui.shot('voip-inspector');
  // the Flow view draws the textbook's figure: the two phones and the proxy as hosts
  await page.locator('[data-testid="inspector-filter-text"]').fill('CSeq');
  await page.locator('button', { hasText: /^Flow$/ }).click();
  await expect.poll(async () => (await page.locator('[data-testid="flow-host"] .name').allTextContents()).join(' | ')).toMatch(/alice's phone[\s\S]*SIP proxy|SIP proxy[\s\S]*alice's phone/);
  expect((await page.locator('[data-testid="flow-host"] .name').allTextContents()).join(' | ')).toContain("bob's phone");
  await ui.shot('voip-flow');
  expect(ui.errors).toEqual([]);
});
