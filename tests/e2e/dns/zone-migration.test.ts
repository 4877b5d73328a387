/**
 * A zone copy saved by an older lab, with dns.umass.edu at 128.119.40.5, opened in the zone
 * editor after the start mended it: the editor says which line changed (in the UI's language),
 * and shows .111.
 * Screenshot: tests/artifacts/dns-zone-migrated.png.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../../helpers/browser';
import { RESOURCES, tempDir } from '../../helpers/lab';

let ui: LabPage;

beforeAll(async () => {
  const dataDir = await tempDir('netlab-e2e-');
  await fs.mkdir(path.join(dataDir, 'zones'));
  const edu = (await fs.readFile(path.join(RESOURCES, 'zones', 'edu.zone'), 'utf8')).replace(/^dns\.umass\.edu\..*$/m, 'dns.umass.edu.       IN A   128.119.40.5');
  await fs.writeFile(path.join(dataDir, 'zones', 'edu.zone'), `${edu}\nmyschool.edu.        IN NS  dns.myschool.edu.\ndns.myschool.edu.    IN A   192.0.2.77\n`);
  ui = await openLab({ dataDir, consoleErrors: false });
});
afterAll(() => ui?.close());

describe('a zone copy mended on start', () => {
  it('the zone editor says what the lab changed, and the line shows 128.119.40.111', async () => {
    const { page, lab } = ui;
    await page.goto(lab.url);
    await page.locator('[data-testid="tab-dns"]').click();
    await page.locator('[data-testid="dns-pane-zones"]').click();
    await page.locator('[data-testid="dns-zone-edu."]').click();
    const note = page.locator('[data-testid="dns-zone-migrated"]');
    await expect.poll(() => note.innerText()).toContain('line 8: the glue for dns.umass.edu: 128.119.40.5 → 128.119.40.111');
    const editor = page.locator('[data-testid="dns-zone-editor"]');
    await expect.poll(() => editor.innerText(), { timeout: 15_000 }).toContain('128.119.40.111');
    expect(await editor.innerText()).toContain('dns.myschool.edu.');
    await ui.shot('dns-zone-migrated');
    // the note's sentence carries its key (lab-text-migrate.ts): the header's switch shows it in Chinese
    await page.locator('[data-testid="language"]').selectOption('zh-CN');
    await expect.poll(() => note.innerText()).toContain('第 8 行：dns.umass.edu 的胶水记录：128.119.40.5 → 128.119.40.111（教科书中的地址');
    await page.locator('[data-testid="language"]').selectOption('en');
    expect(ui.errors).toEqual([]);
  });
});
