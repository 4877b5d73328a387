/**
 * The Web tab shows each site's upload account and quota use, and the header how much the
 * data directory holds: a curl PUT with the site's account moves both. Screenshot:
 * tests/artifacts/web-uploads.png.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { run } from '../../helpers/proc';
import { freePort } from '../../helpers/serve';
import { tempDir } from '../../helpers/lab';

let ui: LabPage;
let page: Page;
let httpPort: number;

beforeAll(async () => {
  httpPort = await freePort();
  ui = await openLab({ args: await scenarioArgs('web uploads e2e', { http: httpPort }) });
  page = ui.page;
});
afterAll(() => ui?.close());

describe('uploads in the Web tab', () => {
  it("a PUT with the site's account shows in its quota and in the data directory's size", async () => {
    await page.goto(ui.lab.url);
    await page.locator('[data-testid="tab-web"]').click();
    const quota = page.locator('[data-testid="web-quota-www.someschool.edu"]');
    await expect.poll(() => quota.innerText()).toMatch(/0 B of 16\.0 MiB\s+PUT as webmaster/);
    const size = page.locator('[data-testid="data-dir-use"]');
    await size.waitFor();

    const file = path.join(await tempDir('netlab-e2e-'), 'lecture.bin');
    await fs.writeFile(file, Buffer.alloc(3 * 1024 * 1024));
    const denied = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-T', file, '-H', 'Host: www.someschool.edu', `http://127.0.0.1:${httpPort}/uploads/lecture.bin`]);
    expect(denied.stdout).toBe('401');
    const put = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', 'webmaster:someschool', '-T', file, '-H', 'Host: www.someschool.edu', `http://127.0.0.1:${httpPort}/uploads/lecture.bin`]);
    expect(put.stdout).toBe('201');

    await expect.poll(() => quota.innerText()).toMatch(/3\.0 MiB of 16\.0 MiB/);
    await expect.poll(() => size.innerText()).toMatch(/^3\.\d MB$/);
    const title = (await size.getAttribute('title')) ?? '';
    expect(title).toMatch(/sites\s+3\.0 MB in 1 file/);
    expect(title).toMatch(/mail/);
    await page.getByRole('button', { name: /\/uploads\/lecture\.bin/ }).click();
    await expect.poll(() => page.locator('[data-testid="web-binary"]').innerText()).toContain('curl -u webmaster -T file');
    await ui.shot('web-uploads');
    const gaia = page.locator('[data-testid="web-quota-gaia.cs.umass.edu"]');
    await gaia.scrollIntoViewIfNeeded();
    expect(await gaia.getAttribute('title')).toMatch(/upload account wireshark-students/);
    await ui.shot('web-uploads-gaia');
    expect(ui.errors).toEqual([]);
  });
});
