/**
 * The Swarm tab where only 127.0.0.1 answers on loopback (macOS without aliases), forced with
 * NETLAB_SWARM_LOOPBACK=shared: the peers share 127.0.0.1 and differ by port, and the view says
 * that real clients will see them as one, and what to do. Screenshot: swarm-shared-loopback.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src-main/lab/lab';
import { openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { RESOURCES, tempDir } from '../../helpers/lab';
import { freePort, type Served } from '../../helpers/serve';
import { replaceScenario } from './swarm-editor';

let ui: LabPage;
let lab: Served;
let page: Page;
const before = process.env.NETLAB_SWARM_LOOPBACK;

beforeAll(async () => {
  const ids = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser' }).services.map((s) => s.id);
  const tracker = await freePort();
  const args = await scenarioArgs('tracker only', Object.fromEntries(ids.map((id) => [id, id.startsWith('tracker') && tracker])));
  process.env.NETLAB_SWARM_LOOPBACK = 'shared'; // netlab serve inherits it
  ui = await openLab({ args });
  ({ lab, page } = ui);
});
afterAll(async () => {
  if (before === undefined) delete process.env.NETLAB_SWARM_LOOPBACK;
  else process.env.NETLAB_SWARM_LOOPBACK = before;
  await ui?.close();
});

describe('the Swarm tab on a system with one loopback address', () => {
  it('puts every peer on 127.0.0.1 with its own port, and says what that means for real clients', async () => {
    await page.goto(lab.url);
    await page.locator('[data-testid="tab-swarm"]').click();
    await page.locator('[data-testid="swarm-editor"] .view-lines').waitFor();
    const text = ['name: shared', 'file: { size: 256 KiB, chunkSize: 64 KiB }', 'server: { upload: 1 MiB/s }', 'peers: [{ count: 3, upload: 512 KiB/s }]', 'timeFactor: 20', 'timeout: 20', ''].join('\n');
    await replaceScenario(page, text, /name:\s+shared/);
    await page.locator('[data-testid="swarm-run"]').click();
    await page.locator('[data-testid="swarm-result"]').waitFor({ timeout: 40_000 });
    const note = page.locator('[data-testid="swarm-shared-note"]');
    expect(await note.innerText()).toMatch(/only 127\.0\.0\.1 .* differ by port: real clients .* see one peer[\s\S]*sudo ifconfig lo0 alias 127\.0\.0\.2 up/);
    const addresses = await page.locator('[data-testid="swarm-address"]').allInnerTexts();
    expect(addresses).toHaveLength(4);
    for (const a of addresses) expect(a).toMatch(/^\S+ 127\.0\.0\.1:\d+$/);
    expect(new Set(addresses.map((a) => a.split(':')[1])).size).toBe(4);
    await note.scrollIntoViewIfNeeded();
    await ui.shot('swarm-shared-loopback');
    expect(ui.errors).toEqual([]);
  }, 90_000);
});
