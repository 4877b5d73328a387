/**
 * The Swarm tab in headless Chromium against `netlab serve`: the textbook swarm loaded in the
 * editor, a validation error at its line, a run watched live, and the result against the
 * bounds with the plot. Screenshots go to tests/artifacts (swarm-live.png, swarm-result.png).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../src-main/lab/lab';
import { ARTIFACTS, launch } from '../helpers/browser';
import { RESOURCES, tempDir } from '../helpers/lab';
import { freePort, serve, type Served } from '../helpers/serve';

let lab: Served;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  // only the tracker runs (on a free port): a swarm needs nothing else
  const ids = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser' }).services.map((s) => s.id);
  const dir = await tempDir('netlab-swarm-ui-');
  const tracker = await freePort();
  const services = ids.map((id) => (id.startsWith('tracker') ? `  ${id}: { port: ${tracker} }` : `  ${id}: { enabled: false }`)).join('\n');
  const scenario = path.join(dir, 'tracker-only.yaml');
  await fs.writeFile(scenario, `name: tracker only\nservices:\n${services}\n`);
  lab = await serve({ args: ['--scenario', scenario] });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
});
afterAll(async () => {
  await browser?.close();
  await lab?.stop();
});

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

describe('the Swarm tab', () => {
  it('loads the textbook swarm and points at a mistake by line', async () => {
    await page.goto(lab.url);
    await page.locator('[data-testid="tab-swarm"]').click();
    await page.locator('[data-testid="swarm-editor"] .view-lines').waitFor();
    await expect.poll(() => page.locator('[data-testid="swarm-validation"]').innerText()).toMatch(/valid/);
    expect(await page.locator('[data-testid="swarm-editor"] .view-lines').innerText()).toMatch(/name:\s+textbook/);
    // a misspelt key
    await page.locator('[data-testid="swarm-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nslotz: 4');
    await expect.poll(() => page.locator('[data-testid="swarm-validation"]').innerText()).toMatch(/^line 2\d: slotz: unknown key/);
    expect(await page.locator('[data-testid="swarm-run"]').isDisabled()).toBe(true);
    for (let i = 0; i < '\nslotz: 4'.length; i++) await page.keyboard.press('Backspace');
    await expect.poll(() => page.locator('[data-testid="swarm-validation"]').innerText(), { timeout: 5000 }).toMatch(/valid/);
  });

  it('runs it live and shows the result against D_cs and D_P2P', async () => {
    await page.locator('[data-testid="swarm-run"]').click();
    await page.locator('[data-testid="swarm-graph"]').waitFor();
    await page.waitForTimeout(4000);
    await shot('swarm-live');
    expect(await page.locator('[data-testid="swarm-graph"] .node').count()).toBe(11);
    await page.locator('[data-testid="swarm-result"]').waitFor({ timeout: 40_000 });
    await page.locator('[data-testid="swarm-plot"] canvas').first().waitFor();
    const measured = await page.locator('[data-testid="swarm-measured"]').innerText();
    expect(measured).toMatch(/^\d+\.\d+ s$/);
    await page.locator('[data-testid="swarm-result"]').scrollIntoViewIfNeeded();
    await shot('swarm-result');
    expect(errors).toEqual([]);
  }, 60_000);
});
