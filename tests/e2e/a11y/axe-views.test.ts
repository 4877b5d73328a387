/**
 * Every view of the browser UI checked with axe-core (WCAG 2.2 A/AA and best practices), in the
 * light and the dark theme: zero serious or critical violations. The main tabs and each view's
 * sub-tabs are walked as the tab bars list them (a tab added later is checked too), then a mail
 * message's tabs (one sent from Compose), the inspector (list with rows, a message's detail tabs, the flow graph, statistics) and the
 * popovers and dialogs (shortcuts, export menu, a service's settings, an opened file).
 * Left out: monaco's and xterm's internal widgets (tests/helpers/axe.ts says why). The light
 * theme gets every rule; the dark one the colour rules (the same elements under other colours).
 */
import dgram from 'node:dgram';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabShown, type LabPage } from '../../helpers/browser';
import { axeProblems, COLOUR_RULES, describeProblems } from '../../helpers/axe';

let ui: LabPage;

beforeAll(async () => {
  ui = await openLabShown();
  // a few datagrams to the UDP echo, so the inspector has rows, a pair and a detail to show
  const sock = dgram.createSocket('udp4');
  for (const line of ['hello', 'accessible', 'lab']) await new Promise<void>((ok) => sock.send(line, ui.lab.echoPort, '127.0.0.1', () => ok()));
  sock.close();
  const rows = ui.page.locator('[data-testid="inspector-row"]');
  for (let waited = 0; (await rows.count()) < 6 && waited < 10_000; waited += 100) await ui.page.waitForTimeout(100);
}, 60_000);
afterAll(() => ui?.close());

/** the problems found so far: one line each (rule and element), naming the first view it was seen in */
let found = new Map<string, string>();
/** the rules of this pass: all of them, or those a theme can change */
let rules: string[] | undefined;
async function check(where: string, within?: string): Promise<void> {
  // let a view settle (async components, fonts, the transitions of a tab switch)
  await ui.page.waitForTimeout(150);
  for (const line of describeProblems(where, await axeProblems(ui.page, within, rules))) {
    const key = line.slice(line.indexOf(': ') + 2);
    if (!found.has(key)) found.set(key, line);
  }
}

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  const html = ui.page.locator('html');
  const now = await html.getAttribute('data-theme');
  if (now !== theme) await ui.page.locator('[data-testid="theme-toggle"]').click();
  await expect.poll(() => html.getAttribute('data-theme')).toBe(theme);
}

/** the tabs of a tab list, by their accessible names */
async function tabsOf(list: Locator): Promise<Locator[]> {
  // all() does not wait: a detail pane drawn a frame after the click would count as no tabs
  await list.locator(':scope > [role="tab"]').first().waitFor();
  return list.locator(':scope > [role="tab"]').all();
}

async function walkViews(theme: string): Promise<string[]> {
  const page = ui.page;
  const seen: string[] = [];
  const mainTabs = await tabsOf(page.getByRole('tablist', { name: 'Views' }));
  expect(mainTabs.length).toBeGreaterThanOrEqual(8);
  for (const tab of mainTabs) {
    const name = (await tab.getAttribute('data-testid')) ?? '?';
    await tab.click();
    const panelId = `#${await tab.getAttribute('aria-controls')}`;
    const panel = page.locator(panelId);
    await expect.poll(() => panel.isVisible()).toBe(true);
    seen.push(name);
    // the whole page once, then only the view that changed
    await check(`${theme} ${name}`, seen.length === 1 ? undefined : panelId);
    // the view's own sub-tabs, when it has a bar of them
    const subLists = await panel.getByRole('tablist').all();
    for (const list of subLists) {
      if (!(await list.isVisible())) continue;
      const subs = await tabsOf(list);
      for (const sub of subs.slice(1)) {
        await sub.click();
        const subName = `${name}/${await sub.getAttribute('data-testid')}`;
        seen.push(subName);
        await check(`${theme} ${subName}`, panelId);
      }
      if (subs.length) await subs[0].click();
    }
  }
  await page.locator('[data-testid="tab-terminal"]').click();
  return seen;
}

/** a mail sent from the Compose pane and opened in bob's mailbox: the message's own tabs */
async function walkMailMessage(theme: string): Promise<void> {
  const page = ui.page;
  await page.locator('[data-testid="tab-mail"]').click();
  await page.locator('[data-testid="mail-pane-compose"]').click();
  await page.locator('[data-testid="compose-subject"]').fill(`Contrast in the ${theme} theme`);
  await page.locator('[data-testid="compose-text"]').fill('Can you read this?');
  await page.locator('[data-testid="compose-send"]').click();
  await expect.poll(() => page.locator('[data-testid="compose-note"]').innerText()).toContain('Accepted by the submission server');
  await page.locator('[data-testid="mail-pane-mailbox"]').click();
  await page.locator('[data-testid="mailbox-bob@hamburger.edu"]').click();
  const row = page.locator('[data-testid="mail-row"]', { hasText: `Contrast in the ${theme} theme` });
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  for (const t of await tabsOf(page.getByRole('tablist', { name: 'Message views' }))) {
    await t.click();
    await check(`${theme} mail message/${await t.getAttribute('data-testid')}`, '#main-panel-mail');
  }
  await page.locator('[data-testid="tab-terminal"]').click();
}

async function walkInspector(theme: string): Promise<void> {
  const page = ui.page;
  await page.locator('[data-testid="inspector-view-list"]').click();
  const first = page.locator('[data-testid="inspector-row"]').first();
  if ((await first.getAttribute('aria-selected')) !== 'true') await first.click();
  const detailTabs = await tabsOf(page.getByRole('tablist', { name: 'Message detail' }));
  expect(detailTabs.length).toBeGreaterThanOrEqual(5);
  for (const t of detailTabs) {
    await t.click();
    await check(`${theme} inspector detail/${await t.getAttribute('data-testid')}`, '#inspector');
  }
  await page.locator('[data-testid="inspector-view-flow"]').click();
  await check(`${theme} inspector flow`, '#inspector');
  await page.locator('[data-testid="inspector-view-list"]').click();
  await page.locator('[data-testid="capture-statistics"]').click();
  await check(`${theme} inspector statistics`, '#inspector');
  await page.locator('[data-testid="capture-statistics"]').click();
}

async function walkPopovers(theme: string): Promise<void> {
  const page = ui.page;
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await check(`${theme} shortcuts popover`);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="capture-export"]').click();
  await check(`${theme} export menu`);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="service-row-echo-udp"]').getByRole('button', { name: /^Settings of/ }).click();
  await check(`${theme} service settings`);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="open-file-input"]').setInputFiles({
    name: 'tiny.netlab-scenario.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from('name: tiny\nservices:\n  echo-tcp: { mode: textbook }\n'),
  });
  await page.locator('[data-testid="opened-file"]').waitFor();
  await check(`${theme} opened-file dialog`);
  await page.locator('[data-testid="opened-file-cancel"]').click();
}

describe('axe-core finds no serious or critical problem', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`in any view, the ${theme} theme`, async () => {
      found = new Map();
      rules = theme === 'light' ? undefined : COLOUR_RULES;
      await setTheme(theme);
      const seen = await walkViews(theme);
      await walkMailMessage(theme);
      await walkInspector(theme);
      await walkPopovers(theme);
      console.log(`${theme}: ${seen.length} views checked: ${seen.join(', ')}`);
      expect([...found.values()]).toEqual([]);
      expect(ui.errors).toEqual([]);
    }, 240_000);
  }
});
