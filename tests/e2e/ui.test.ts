/**
 * The first exercise end to end, in headless Chromium against `netlab serve`: a terminal
 * tab, `telnet 127.0.0.1 PORT`, hello → HELLO; the inspector and its ladder; the UDP client
 * program run from the editor. Screenshots of the main views go to tests/artifacts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDefaultPorts, openLab, terminalText as terminalTextOf, typeInTerminal as typeLine, type LabPage } from '../helpers/browser';
import type { Served } from '../helpers/serve';

let ui: LabPage;
let lab: Served;
let page: Page;

beforeAll(async () => {
  ui = await openLab();
  ({ lab, page } = ui);
});
afterAll(() => ui?.close());

const shot = (name: string) => ui.shot(name);
const terminalText = () => terminalTextOf(page);
const typeInTerminal = (text: string) => typeLine(page, text);

describe('NetLab in the browser', () => {
  it('refuses a visit without the token', async () => {
    const res = await page.goto(`http://127.0.0.1:${lab.uiPort}/`);
    expect(res?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('Unauthorized');
    // the refused visit logs its 401s: the page's, then the favicon's that Chromium asks for a
    // moment after the load; wait until no more come, then from here on the page must stay clean
    for (let seen = -1; seen !== ui.errors.length; ) {
      seen = ui.errors.length;
      await page.waitForTimeout(250);
    }
    ui.errors.length = 0;
  });

  it('runs every service on a free port, none on its default one', async () => {
    const table = lab.output();
    for (const port of new Set((await labDefaultPorts()).values())) expect(table).not.toMatch(new RegExp(`(TCP|UDP) ${port}\\b`));
    expect(table).not.toMatch(/in use|failed/);
  });

  it('opens with the token and shows the services', async () => {
    await page.goto(lab.url);
    await page.locator('[data-testid="service-row-echo-tcp"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="service-row-echo-tcp"]').innerText()).toContain(`${lab.echoPort}`);
    await expect.poll(() => page.locator('[data-testid="service-row-echo-udp"]').innerText()).toContain('running');
    // both loopback addresses, under each service (issue 13 item 3)
    await expect.poll(() => page.locator('[data-testid="service-addresses-echo-udp"]').innerText()).toBe('127.0.0.1 · [::1]');
    await page.locator('[data-testid="service-row-echo-udp"]').screenshot({ path: 'tests/artifacts/rail-addresses.png' });
  });

  it('telnet in a new terminal tab: hello comes back HELLO', async () => {
    await page.locator('[data-testid="tab-terminal"]').click();
    await page.locator('[data-testid="terminal-new"]').click();
    await expect.poll(terminalText).toContain('netlab>');
    await typeInTerminal(`telnet 127.0.0.1 ${lab.echoPort}`);
    await expect.poll(terminalText).toContain("Escape character is '^]'.");
    await typeInTerminal('hello');
    await expect.poll(terminalText).toContain('HELLO');
    await expect.poll(terminalText).toContain('Connection closed by foreign host.');
    await shot('terminal');
  });

  it('the inspector shows both messages and the ladder diagram of the connection', async () => {
    const rows = page.locator('[data-testid="inspector-row"]');
    // playwright's hasText with a string ignores case: regular expressions keep it
    await expect.poll(() => rows.filter({ hasText: /hello\\r\\n/ }).count()).toBeGreaterThan(0);
    await expect.poll(() => rows.filter({ hasText: /HELLO\\r\\n/ }).count()).toBeGreaterThan(0);
    await rows.filter({ hasText: /HELLO\\r\\n/ }).first().click();
    const detail = page.locator('[data-testid="inspector-detail"]');
    await detail.waitFor();
    await page.locator('[data-testid="detail-tab-hex"]').click();
    await expect.poll(() => detail.innerText()).toMatch(/48 45 4c 4c 4f 0d 0a/i);
    await page.locator('[data-testid="detail-tab-ladder"]').click();
    const arrows = page.locator('[data-testid="ladder"] [data-testid="ladder-arrow"]');
    await expect.poll(() => arrows.count()).toBeGreaterThanOrEqual(2);
    const ladder = await page.locator('[data-testid="ladder"]').innerHTML();
    expect(ladder).toContain('hello');
    expect(ladder).toContain('HELLO');
    await shot('inspector-ladder');
  });

  it('filters the inspector by text', async () => {
    await page.locator('[data-testid="inspector-filter-text"]').fill('HELLO');
    const rows = page.locator('[data-testid="inspector-row"]');
    await expect.poll(async () => (await rows.allInnerTexts()).every((t) => /hello/i.test(t))).toBe(true);
    await page.locator('[data-testid="inspector-filter-text"]').fill('');
  });

  it('runs the UDP client program from the editor and shows its output', async () => {
    await page.locator('[data-testid="tab-scenarios"]').click();
    await page.locator('[data-testid="program-lang-javascript"]').click();
    await page.locator('[data-testid="program-item-udp-client"]').click();
    await expect.poll(() => page.locator('[data-testid="monaco-host"]').innerText(), { timeout: 15_000 }).toContain('createSocket');
    await page.locator('[data-testid="program-run"]').click();
    const out = page.locator('[data-testid="program-console"]');
    await expect.poll(() => out.innerText(), { timeout: 10_000 }).toContain('Input lowercase sentence:');
    await page.locator('[data-testid="program-stdin"]').fill('hello from the editor');
    await page.locator('[data-testid="program-stdin"]').press('Enter');
    await expect.poll(() => out.innerText(), { timeout: 10_000 }).toContain('HELLO FROM THE EDITOR');
    await expect.poll(() => out.innerText()).toContain('exited with code 0');
    await shot('scenarios');
  });

  it('the Python version runs too (python3 is on PATH here)', async () => {
    await page.locator('[data-testid="program-lang-python"]').click();
    await expect.poll(() => page.locator('[data-testid="monaco-host"]').innerText(), { timeout: 15_000 }).toContain('SOCK_DGRAM');
    await page.locator('[data-testid="program-run"]').click();
    const out = page.locator('[data-testid="program-console"]');
    await expect.poll(() => out.innerText(), { timeout: 10_000 }).toContain('Input lowercase sentence:');
    await page.locator('[data-testid="program-stdin"]').fill('python says hi');
    await page.locator('[data-testid="program-stdin"]').press('Enter');
    await expect.poll(() => out.innerText(), { timeout: 10_000 }).toContain('PYTHON SAYS HI');
  });

  it('has a dark theme', async () => {
    await page.locator('[data-testid="tab-terminal"]').click();
    await page.locator('[data-testid="theme-toggle"]').click();
    await page.waitForTimeout(200);
    await shot('dark');
    await page.locator('[data-testid="theme-toggle"]').click();
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
