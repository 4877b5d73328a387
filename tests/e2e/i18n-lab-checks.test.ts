/**
 * The lab core's verdicts in Chinese, in headless Chromium against `netlab serve` with a zh-CN
 * page: a scenario file opened from outside says what it will change in Chinese (the numbers and
 * service ids as the file writes them); a lab file opened the same way has a zone check that
 * passes (umass.edu holds gaia.cs.umass.edu's A record) and one that fails (no MX record for a
 * name that has none), each with its "why" in Chinese, and a question whose wrong answer is
 * told in Chinese; the header's switch brings the lab's English back, exactly as it wrote it.
 * Screenshot: tests/artifacts/i18n-lab-checks-zh-CN.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openLabShown, type LabPage } from '../helpers/browser';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLabShown({ locale: 'zh-CN' });
  page = ui.page;
});
afterAll(() => ui?.close());

const text = (testid: string) => page.locator(`[data-testid="${testid}"]`).innerText();
const dialog = () => page.locator('[data-testid="opened-file"]');

async function pick(name: string, body: string): Promise<void> {
  await page.locator('[data-testid="open-file-input"]').setInputFiles({ name, mimeType: 'application/yaml', buffer: Buffer.from(body) });
  await dialog().waitFor();
}

const SCENARIO = 'name: lossy echo\nservices:\n  echo-udp: { link: { lossRate: 0.3, delayMs: 50 } }\n  pop3: { enabled: false }\ncapture: { limit: 5000 }\n';
const LAB = `title: Zone checks
section: K&R §2.4
tasks:
  - id: t
    title: What the zones hold
    instructions: Look at umass.edu's zone.
    checks:
      - { id: holds, kind: state, label: gaia has an A record, zone: { zone: umass.edu, name: gaia.cs.umass.edu, type: A } }
      - { id: missing, kind: state, label: nosuch has an MX record, zone: { zone: umass.edu, name: nosuch.umass.edu, type: MX } }
      - { id: calc, kind: answer, label: six times seven, question: "6 × 7?", answer: { from: value, value: 42 } }
`;

it('a scenario’s changes are listed in Chinese before anything changes', async () => {
  await pick('lossy.netlab-scenario.yaml', SCENARIO);
  const changes = await page.locator('[data-testid="opened-file-changes"] li').allInnerTexts();
  expect(changes).toEqual(['停止 pop3；其他服务都运行', 'echo-udp：50 ms 时延，30 % 丢包', '文件没有设置的链路恢复为理想链路', '捕获保留 5000 个报文']);
  await page.locator('[data-testid="opened-file-cancel"]').click();
  await dialog().waitFor({ state: 'detached' });
  expect(await page.locator('[data-testid="service-row-pop3"]').getAttribute('data-state')).toBe('running');
});

it('a passing and a failing check say why in Chinese; a wrong answer is told in Chinese; English comes back as the lab wrote it', async () => {
  await pick('zone-checks.netlab-lab.yaml', LAB);
  const changes = await page.locator('[data-testid="opened-file-changes"] li').allInnerTexts();
  expect(changes[0]).toBe('在“实验”标签页中打开实验“Zone checks”（1 个任务）');
  await page.locator('[data-testid="opened-file-apply"]').click();
  await expect.poll(() => text('lab-title')).toBe('Zone checks');

  await expect.poll(() => text('lab-check-t-holds-detail')).toBe('区域 umass.edu 中有 gaia.cs.umass.edu 的 A 记录');
  expect(await page.locator('[data-testid="lab-check-t-holds"]').getAttribute('data-passed')).toBe('true');
  await expect.poll(() => text('lab-check-t-missing-detail')).toBe('区域 umass.edu 中还没有 nosuch.umass.edu 的 MX 记录');
  expect(await page.locator('[data-testid="lab-check-t-missing"]').getAttribute('data-passed')).toBe('false');

  await page.locator('[data-testid="lab-check-t-calc-input"]').fill('41');
  await page.locator('[data-testid="lab-check-t-calc-submit"]').click();
  await expect.poll(() => text('lab-check-t-calc-verdict')).toBe('不对：请根据公式重新算一遍。');
  await ui.shot('i18n-lab-checks-zh-CN');

  await page.locator('[data-testid="language"]').selectOption('en');
  await expect.poll(() => text('lab-check-t-holds-detail')).toBe('umass.edu holds gaia.cs.umass.edu A');
  expect(await text('lab-check-t-missing-detail')).toBe('no MX record for nosuch.umass.edu in umass.edu yet');
  expect(await text('lab-check-t-calc-verdict')).toBe('Not right: work it out again from the formula.');
  expect(ui.errors).toEqual([]);
});
