/**
 * Step mode in headless Chromium against `netlab serve`, as Packet Tracer's simulation mode:
 * dig walks the lab hierarchy through the local server, curl GETs a page; the inspector holds
 * the view (a later request waits, "+N held"), steps forward and back with the buttons and
 * Alt+. / Alt+, — the list's selection, the DNS figure's lit arrow and the ladder's selected
 * arrow following — and plays the capture back to its end.
 * Screenshots: tests/artifacts/step-dns.png, step-ladder.png, step-1024.png, step-dns-1024.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../helpers/browser';
import { run } from '../helpers/proc';
import { labPorts } from '../helpers/ports';

let ui: LabPage;
let page: Page;
let ports: Record<string, number | false> = {};
const port = (id: string): number => ports[id] as number;

beforeAll(async () => {
  // every service on a port free for TCP and for UDP, never twice (a DNS server binds both)
  ports = await labPorts(await echoAndRelayPorts());
  ui = await openLab({ args: await scenarioArgs('step mode e2e', ports) });
  page = ui.page;
});
afterAll(() => ui?.close());

const selectedRow = (): Promise<string | null> => page.locator('[data-testid="inspector-row"].selected').first().getAttribute('data-id');
const selectedService = (): Promise<string> => page.locator('[data-testid="inspector-row"].selected .c-service').first().innerText();
const position = (): Promise<string> => page.locator('[data-testid="step-position"]').innerText();
const curl = async (path: string): Promise<string> => (await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port('http')}${path}`])).stdout;

describe('step mode', () => {
  it('steps through a DNS walk and an HTTP GET, the list, the DNS figure and the ladder following', async () => {
    await page.goto(ui.lab.url);
    await page.evaluate(`localStorage.setItem('netlab.layout.v1', ${JSON.stringify(JSON.stringify({ inspectorSize: 560, dock: 'bottom', collapsed: false }))})`);
    await page.reload();
    await page.locator('[data-testid="inspector"]').waitFor();

    const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=3', '+short', 'gaia.cs.umass.edu']);
    expect(dig.stdout.trim()).toBe('128.119.40.205');
    expect(await curl('/index.html')).toBe('200');
    await page.locator('[data-testid="inspector-filter-text"]').fill('(dns || http)');
    // requests and their responses as pair rows: four DNS exchanges, one HTTP
    await expect.poll(() => page.locator('[data-testid="inspector-row"]').filter({ hasText: 'index.html' }).count()).toBe(1);

    await page.locator('[data-testid="step-pause"]').click();
    await expect.poll(position).toMatch(/^message 1 of \d+$/);
    const n = Number(/of (\d+)/.exec(await position())![1]);
    // the walk (host → local → root → edu TLD → umass → local → host) and the GET with its response
    expect(n).toBeGreaterThanOrEqual(10);

    // the walk in order: the figure lights arrow k at message k
    const figure = page.locator('[data-testid="step-dns-figure"]');
    const walk = ['dns-local', 'dns-root', 'dns-root', 'dns-edu', 'dns-edu', 'dns-umass', 'dns-umass', 'dns-local'];
    for (let k = 1; k <= walk.length; k++) {
      if (k > 1) await (k % 2 ? page.keyboard.press('Alt+.') : page.locator('[data-testid="step-forward"]').click());
      await expect.poll(position).toBe(`message ${k} of ${n}`);
      expect(await selectedService()).toBe(walk[k - 1]);
      await expect.poll(() => figure.getAttribute('data-step')).toBe(String(k));
      const id = await selectedRow();
      expect(await page.locator('[data-testid="inspector-detail"]').getAttribute('data-id')).toBe(id);
      expect(await figure.locator('.arrow.on').count()).toBe(1);
    }
    await ui.shot('step-dns');
    // back one with the keyboard, forward again
    await page.keyboard.press('Alt+,');
    await expect.poll(position).toBe(`message 7 of ${n}`);
    await expect.poll(() => figure.getAttribute('data-step')).toBe('7');
    await page.keyboard.press('Alt+.');

    // the GET, on the ladder; its response next, the ladder's selected arrow following
    await page.locator('[data-testid="step-forward"]').click();
    await expect.poll(position).toBe(`message 9 of ${n}`);
    expect(await figure.count()).toBe(0);
    await page.locator('[data-testid="detail-tab-ladder"]').click();
    const getId = await selectedRow();
    await expect.poll(() => page.locator('.arrow.selected').getAttribute('data-id')).toBe(getId);
    await page.locator('[data-testid="step-forward"]').click();
    await expect.poll(position).toBe(`message 10 of ${n}`);
    const responseId = await page.locator('[data-testid="inspector-detail"]').getAttribute('data-id');
    expect(Number(responseId)).toBeGreaterThan(Number(getId));
    await expect.poll(() => page.locator('.arrow.selected').getAttribute('data-id')).toBe(responseId);
    // the response is shown in the list under its request (the pair opened)
    expect(await page.locator(`[data-testid="inspector-row"][data-id="${responseId}"]`).count()).toBe(1);
    await ui.shot('step-ladder');
    await page.locator('[data-testid="step-back"]').click();
    await expect.poll(() => page.locator('.arrow.selected').getAttribute('data-id')).toBe(getId);

    // the lab goes on capturing; the view holds until Live
    const shown = await page.locator('[data-testid="inspector-count"]').innerText();
    expect(await curl('/no-such-page.html')).toBe('404');
    await expect.poll(() => page.locator('[data-testid="step-held"]').innerText()).toMatch(/^\+\d+ held$/);
    expect(await page.locator('[data-testid="inspector-count"]').innerText()).toBe(shown);
    expect(await position()).toBe(`message 9 of ${n}`);
    await page.locator('[data-testid="step-live"]').click();
    await expect.poll(() => page.locator('[data-testid="inspector-row"]').filter({ hasText: 'no-such-page' }).count()).toBe(1);
    expect(await page.locator('[data-testid="step-pause"]').count()).toBe(1);
  });

  it('plays the capture back to its end at a chosen speed', async () => {
    await page.keyboard.press('Alt+P');
    await expect.poll(position).toMatch(/^message \d+ of \d+$/);
    const n = Number(/of (\d+)/.exec(await position())![1]);
    await page.locator('[data-testid="step-speed"]').selectOption('5x');
    await page.keyboard.press('Alt+K');
    await expect.poll(() => page.locator('[data-testid="step-play"]').innerText()).toContain('Stop');
    const seen = new Set<string>();
    await expect
      .poll(async () => {
        seen.add(await position());
        return page.locator('[data-testid="step-play"]').innerText();
      }, { timeout: 20_000 })
      .toContain('Play');
    expect(await position()).toBe(`message ${n} of ${n}`);
    // it went through the messages, not straight to the end
    expect(seen.size).toBeGreaterThan(2);

    await page.setViewportSize({ width: 1024, height: 700 });
    await page.locator('[data-testid="step-back"]').click();
    await expect.poll(position).toBe(`message ${n - 1} of ${n}`);
    await ui.shot('step-1024');
    // a click in the list moves the step there: the walk's root referral, its figure beside the list
    await page.locator('[data-testid="inspector-row"]').filter({ hasText: 'dns-root' }).first().locator('.c-id').click();
    await expect.poll(position).toBe(`message 2 of ${n}`);
    await expect.poll(() => page.locator('[data-testid="step-dns-figure"]').getAttribute('data-step')).toBe('2');
    // the figure under the narrow list leaves the selected row in view
    const inView = (): Promise<boolean> =>
      page.evaluate(`(() => {
        const row = document.querySelector('[data-testid="inspector-row"].selected')?.getBoundingClientRect();
        const box = document.querySelector('[data-testid="inspector"] .viewport')?.getBoundingClientRect();
        return !!row && !!box && row.top >= box.top && row.bottom <= box.bottom;
      })()`);
    await expect.poll(inView).toBe(true);
    await ui.shot('step-dns-1024');
    await page.keyboard.press('Alt+P');
    await expect.poll(() => page.locator('[data-testid="step-pause"]').count()).toBe(1);
    // ? lists the step keys with the others
    await page.getByTitle('Keyboard shortcuts').click();
    const help = await page.locator('table').filter({ hasText: 'Step mode' }).innerText();
    expect(help).toMatch(/Alt\s*\+\s*\.\s+Step mode: next message/);
    expect(help).toMatch(/Alt\s*\+\s*K\s+Step mode: play \/ stop/);
    expect(ui.errors).toEqual([]);
  });
});
