/**
 * The DNS tab in headless Chromium against `netlab serve`: a resolution drawn step by step
 * (iterative and recursive), a step opening its message in the inspector, the cache table,
 * and a zone edited in monaco — a mistake reported at its line, then a valid edit that
 * changes what the real dig gets. Screenshots go to tests/artifacts/dns-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIERARCHY, LOCAL_SERVER } from '../../../src-main/lab/dns/hierarchy';
import { echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { run } from '../../helpers/proc';
import { freePort, type Served } from '../../helpers/serve';

let ui: LabPage;
let lab: Served;
let page: Page;
const ports: Record<string, number> = {};

beforeAll(async () => {
  for (const id of [LOCAL_SERVER.id, ...HIERARCHY.map((s) => s.id)]) ports[id] = await freePort();
  const args = await scenarioArgs('dns e2e', { ...(await echoAndRelayPorts()), ...ports });
  ui = await openLab({ args, consoleErrors: false });
  ({ lab, page } = ui);
});
afterAll(() => ui?.close());

const shot = (name: string) => ui.shot(name);
const dig = (...args: string[]) => run('dig', ['@127.0.0.1', '-p', String(ports[LOCAL_SERVER.id]), '+tries=1', '+time=3', '+short', ...args]);

describe('the DNS tab', () => {
  it('resolves a name iteratively and recursively, the textbook steps numbered 1 to 8', async () => {
    await page.goto(lab.url);
    await page.locator('[data-testid="tab-dns"]').click();
    await page.locator('[data-testid="dns-view"]').waitFor();
    // the lab's mail servers looked up their domains at start: begin from an empty cache
    await page.locator('[data-testid="dns-pane-cache"]').click();
    const flush = page.locator('[data-testid="dns-flush"]');
    if (await flush.isEnabled()) await flush.click();
    await expect.poll(() => page.locator('[data-testid="dns-cache"]').innerText()).toContain('Empty');
    await page.locator('[data-testid="dns-pane-resolve"]').click();
    await page.locator('[data-testid="dns-name"]').fill('gaia.cs.umass.edu');
    await page.locator('[data-testid="dns-resolve"]').click();
    const iterative = page.locator('[data-testid="dns-iterative"]');
    await expect.poll(() => iterative.locator('li.step').count()).toBe(8);
    expect(await iterative.innerText()).toContain('a.edu-servers.net');
    const recursive = page.locator('[data-testid="dns-recursive"]');
    await expect.poll(() => recursive.locator('li.step').count()).toBe(8);
    expect(await recursive.locator('li.step').nth(2).innerText()).toMatch(/a\.root-servers\.net.*→ a\.edu-servers\.net/s);
    await shot('dns-resolution');
  });

  it('a step opens its message in the inspector, decoded', async () => {
    await page.locator('[data-testid="dns-iterative"] li.step').nth(2).click();
    const detail = page.locator('[data-testid="inspector-detail"]');
    await detail.waitFor();
    await page.locator('[data-testid="detail-tab-fields"]').click();
    await expect.poll(() => detail.innerText()).toContain('Authority section');
    expect(await detail.innerText()).toContain('a.edu-servers.net');
    await shot('dns-step-inspector');
  });

  it('resolving again is answered from the cache: the steps in between are skipped', async () => {
    await page.locator('[data-testid="dns-resolve"]').click();
    const iterative = page.locator('[data-testid="dns-iterative"]');
    await expect.poll(() => iterative.locator('li.step').count()).toBe(3);
    expect(await iterative.locator('li.step.skipped').innerText()).toContain('in the cache');
    await page.locator('[data-testid="dns-pane-cache"]').click();
    const table = page.locator('[data-testid="dns-cache"]');
    await expect.poll(() => table.innerText()).toContain('gaia.cs.umass.edu');
    expect(await table.innerText()).toMatch(/edu\s+NS\s+\d+ s\s+referral/);
    await shot('dns-cache');
  });

  it('a neighbour name skips the cached referrals (numbered, greyed); a glue-less domain shows its sub-resolution nested', async () => {
    await page.locator('[data-testid="dns-pane-resolve"]').click();
    await page.locator('[data-testid="dns-name"]').fill('hamburger.edu');
    await page.locator('[data-testid="dns-resolve"]').click();
    const iterative = page.locator('[data-testid="dns-iterative"]');
    await expect.poll(() => iterative.innerText()).toContain('dns.hamburger.edu');
    expect(await iterative.locator('li.step').count()).toBe(8);
    expect(await iterative.locator('li.step.skipped').allInnerTexts()).toEqual([
      expect.stringMatching(/^2\s+local DNS server → a\.root-servers\.net.*not sent/s),
      expect.stringMatching(/^3\s+a\.root-servers\.net.*referral to edu\./s),
    ]);
    expect(await iterative.locator('g.arrow.skipped').count()).toBe(2);
    await shot('dns-skipped');
    await page.locator('[data-testid="dns-name"]').fill('networkutopia.fr');
    await page.locator('[data-testid="dns-resolve"]').click();
    await expect.poll(() => iterative.locator('li.step').count()).toBe(16);
    expect(await iterative.locator('li.step.sub').count()).toBe(6);
    expect(await iterative.innerText()).toContain('resolving dns1.networkutopia.com first');
    await shot('dns-glueless');
    await iterative.locator('li.step.sub').last().scrollIntoViewIfNeeded();
    await shot('dns-glueless-steps');
  });

  it('a replicated web server: the alias, its canonical name and three addresses, in another order for each column', async () => {
    await page.locator('[data-testid="dns-pane-cache"]').click();
    await page.locator('[data-testid="dns-flush"]').click();
    await expect.poll(() => page.locator('[data-testid="dns-cache"]').innerText()).toContain('Empty');
    await page.locator('[data-testid="dns-pane-resolve"]').click();
    await page.locator('[data-testid="dns-name"]').fill('www.hamburger.edu');
    await page.locator('[data-testid="dns-resolve"]').click();
    // the two columns asked the authoritative server one after the other: it rotated in between
    const addresses = async (column: string): Promise<string[]> => {
      const el = page.locator(`[data-testid="dns-${column}"]`);
      await expect.poll(() => el.innerText()).toContain('relay1.west-coast.hamburger.edu');
      const text = await el.innerText();
      expect(text).toMatch(/www\.hamburger\.edu\.\s+\d+\s+IN\s+CNAME\s+relay1\.west-coast\.hamburger\.edu\./);
      return [...text.matchAll(/relay1\.west-coast\.hamburger\.edu\.\s+\d+\s+IN\s+A\s+(192\.0\.2\.3\d)/g)].map((m) => m[1]);
    };
    const iterative = await addresses('iterative');
    const recursive = await addresses('recursive');
    expect([...iterative].sort()).toEqual(['192.0.2.35', '192.0.2.36', '192.0.2.37']);
    expect([...recursive].sort()).toEqual(['192.0.2.35', '192.0.2.36', '192.0.2.37']);
    expect(recursive[0]).not.toBe(iterative[0]);
    await shot('dns-replicated');
  });

  it('editing a zone in monaco: an error is shown at its line; a valid edit changes what dig returns', async () => {
    expect((await dig('www2.networkutopia.com')).stdout.trim()).toBe('');
    await page.locator('[data-testid="dns-pane-zones"]').click();
    await page.locator('[data-testid="dns-zone-networkutopia.com."]').click();
    const editor = page.locator('[data-testid="dns-zone-editor"]');
    // monaco is a large chunk, loaded on first use
    await expect.poll(() => editor.innerText(), { timeout: 15_000 }).toContain('networkutopia.com');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('www2   IN A   212.212.212.300');
    await page.locator('[data-testid="dns-zone-save"]').click();
    const errs = page.locator('[data-testid="dns-zone-errors"]');
    await expect.poll(() => errs.innerText()).toMatch(/^line \d+: A: '212\.212\.212\.300' is not an IPv4 address/);
    const line = Number(/^line (\d+)/.exec(await errs.innerText())![1]);
    await expect.poll(() => page.locator('[data-testid="dns-zone-editor"] .squiggly-error').count()).toBeGreaterThan(0);
    await shot('dns-zone-error');
    expect(line).toBeGreaterThan(20);
    expect((await dig('www2.networkutopia.com')).stdout.trim()).toBe('');
    // fix the line the error points at
    await page.keyboard.press('End');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('9');
    await page.locator('[data-testid="dns-zone-save"]').click();
    await expect.poll(() => page.locator('[data-testid="dns-zone-errors"]').count()).toBe(0);
    await expect.poll(async () => (await dig('www2.networkutopia.com')).stdout.trim()).toBe('212.212.212.9');
    await shot('dns-zone-saved');
  });

  it('a name missing its trailing dot saves, warned of at its line: "relative name: did you mean …com. ?"', async () => {
    const editor = page.locator('[data-testid="dns-zone-editor"]');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('@      IN NS  dns3.networkutopia.com');
    await page.locator('[data-testid="dns-zone-save"]').click();
    const warnings = page.locator('[data-testid="dns-zone-warnings"]');
    await expect.poll(() => warnings.innerText()).toMatch(/^line \d+: relative name: did you mean dns3\.networkutopia\.com\. \? Without the trailing dot, dns3\.networkutopia\.com is read relative to the origin and becomes dns3\.networkutopia\.com\.networkutopia\.com\.$/);
    expect(await page.locator('[data-testid="dns-zone-errors"]').count()).toBe(0);
    const line = Number(/^line (\d+)/.exec(await warnings.innerText())![1]);
    // the marker sits at that line: monaco's warning squiggle, its message on hover
    await expect.poll(() => editor.locator('.squiggly-warning').count()).toBeGreaterThan(0);
    expect(await editor.innerText()).toContain('dns3.networkutopia.com');
    expect(line).toBeGreaterThan(20);
    await shot('dns-zone-warning');
    // saved as written: the server serves the name the warning names
    expect((await dig('networkutopia.com', 'NS')).stdout).toContain('dns3.networkutopia.com.networkutopia.com.');
  });

  it('shows the hierarchy with virtual and real endpoints', async () => {
    await page.locator('[data-testid="dns-pane-hierarchy"]').click();
    const h = page.locator('[data-testid="dns-hierarchy"]');
    await expect.poll(() => h.innerText()).toContain(`198.41.0.4:53 → 127.0.0.1:${ports['dns-root']}`);
    await shot('dns-hierarchy');
  });

  it('dig in the lab terminal prints like the real one', async () => {
    await page.locator('[data-testid="tab-terminal"]').click();
    await page.locator('[data-testid="terminal-new"]').click();
    const text = () => page.locator('[data-testid="terminal-pane"] .xterm-rows').innerText();
    await expect.poll(text).toContain('netlab>');
    await page.locator('[data-testid="terminal-pane"]').click();
    await page.keyboard.type('dig +trace www.networkutopia.com');
    await page.keyboard.press('Enter');
    await expect.poll(text).toContain('(dns1.networkutopia.com)');
    await page.keyboard.type('nslookup -type=mx crepes.fr');
    await page.keyboard.press('Enter');
    await expect.poll(text).toContain('mail exchanger = 10 mail.crepes.fr.');
    await shot('dns-terminal');
    await page.locator('[data-testid="tab-dns"]').click();
  });

  it('the guide ticks nothing before Start, and Start asks before replacing a zone the user edited', async () => {
    await page.locator('[data-testid="dns-pane-guide"]').click();
    await page.locator('[data-testid="dns-guide-pending"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="dns-guide"] li').count()).toBe(5);
    expect(await page.locator('[data-testid="dns-guide"] li.done').count()).toBe(0);
    await shot('dns-guide-before-start');
    // networkutopia.com.zone was edited above: Start asks, and No keeps it
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.locator('[data-testid="dns-guide-start"]').click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/^Start replaces your edited networkutopia\.com\.zone with the day before the registration/);
    await page.waitForTimeout(500);
    expect((await dig('www2.networkutopia.com')).stdout.trim()).toBe('212.212.212.9');
    expect(await page.locator('[data-testid="dns-guide-pending"]').count()).toBe(1);
    // Yes: the day before the registration
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid="dns-guide-start"]').click();
    await expect.poll(() => page.locator('[data-testid="dns-guide-pending"]').count()).toBe(0);
    expect(await page.locator('[data-testid="dns-guide"] li.done').count()).toBe(0);
    await expect.poll(async () => (await dig('www2.networkutopia.com')).stdout.trim()).toBe('');
    await shot('dns-guide');
    expect(ui.errors).toEqual([]);
  });
});
