/**
 * Edit and resend in headless Chromium against `netlab serve`: a request captured from curl,
 * dig and swaks, opened with Resend…, edited (the path in monaco, the DNS name, the session's
 * RCPT line) and sent again from a lab client; the new exchange lands in the capture,
 * labelled "resend from the inspector", and is selected. Bad input: a stopped web server, an
 * oversize session — a sentence, and the lab keeps serving.
 * Screenshots: tests/artifacts/resend-http.png, resend-dns.png, resend-smtp.png, resend-error.png, resend-1024.png.
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
  ui = await openLab({ args: await scenarioArgs('resend e2e', ports) });
  page = ui.page;
  await page.goto(ui.lab.url);
  await page.evaluate(`localStorage.setItem('netlab.layout.v1', ${JSON.stringify(JSON.stringify({ inspectorSize: 560, dock: 'bottom', collapsed: false }))})`);
  await page.reload();
  await page.locator('[data-testid="inspector"]').waitFor();
});
afterAll(() => ui?.close());

const panel = () => page.locator('[data-testid="resend-panel"]');
const detailId = (): Promise<string | null> => page.locator('[data-testid="inspector-detail"]').getAttribute('data-id');

/** filter the list, click the first row whose text matches, and open Resend… on it */
async function openResend(filter: string, row: RegExp): Promise<void> {
  await page.locator('[data-testid="inspector-filter-text"]').fill(filter);
  const r = page.locator('[data-testid="inspector-row"]').filter({ hasText: row }).first();
  await r.waitFor();
  await r.locator('.c-id').click();
  await page.locator('[data-testid="detail-resend"]').click();
  await panel().waitFor();
}

async function sent(): Promise<string> {
  await page.locator('[data-testid="resend-send"]').click();
  const result = page.locator('[data-testid="resend-result"], [data-testid="resend-error"]');
  await result.first().waitFor();
  return result.first().innerText();
}

describe('edit and resend', () => {
  it('an HTTP GET with another path: a 404 lands in the capture, from the resend client, and is selected', async () => {
    const out = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port('http')}/index.html`]);
    expect(out.stdout).toBe('200');
    await openResend('index.html', /GET \/index\.html/);
    expect(await page.locator('[data-testid="resend-target"]').innerText()).toContain(`127.0.0.1:${port('http')}`);
    const editor = page.locator('[data-testid="resend-http-editor"] .view-lines');
    // monaco draws spaces as no-break spaces
    await expect.poll(async () => (await editor.innerText()).replace(/\u00a0/g, ' ')).toContain('GET /index.html HTTP/1.1');
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('GET /no-such-page.html HTTP/1.1');
    const reply = await sent();
    // selected, though the list's filter ("index.html") does not show it
    expect(reply).toMatch(/^HTTP\/1\.1 404 Not Found · selected #(\d+) \(the list's filter hides it\)$/);
    const id = /#(\d+)/.exec(reply)![1];
    await expect.poll(detailId).toBe(id);
    await ui.shot('resend-http');
    await page.locator('[data-testid="resend-close"]').click();
    await page.locator('[data-testid="inspector-filter-text"]').fill('no-such-page');
    await expect.poll(() => page.locator('[data-testid="inspector-row"]').filter({ hasText: /GET \/no-such-page\.html.*404/ }).count()).toBe(1);
    await page.locator('[data-testid="detail-tab-connection"]').click();
    await expect.poll(() => page.locator('[data-testid="inspector-detail"]').innerText()).toContain('resend from the inspector');
  });

  it('a DNS query for another name gets that name\'s answer from the same resolver', async () => {
    const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=3', '+short', 'gaia.cs.umass.edu']);
    expect(dig.stdout.trim()).toBe('128.119.40.205');
    await page.locator('[data-testid="inspector-filter-service"]').selectOption('dns-local');
    await openResend('gaia', /gaia\.cs\.umass\.edu/);
    await expect.poll(() => page.locator('[data-testid="resend-dns-name"]').inputValue()).toBe('gaia.cs.umass.edu');
    expect(await page.locator('[data-testid="resend-dns-rd"]').isChecked()).toBe(true);
    await page.locator('[data-testid="resend-dns-name"]').fill('www.networkutopia.com');
    const reply = await sent();
    expect(reply).toMatch(/^NOERROR · 212\.212\.212\.4 · selected #\d+ \(the list's filter hides it\)$/);
    await page.locator('[data-testid="detail-tab-fields"]').click();
    await expect.poll(() => page.locator('[data-testid="inspector-detail"]').innerText()).toContain('www.networkutopia.com');
    await ui.shot('resend-dns');
    await page.locator('[data-testid="resend-close"]').click();
    await page.locator('[data-testid="inspector-filter-service"]').selectOption('');
  });

  it('an SMTP session with another RCPT delivers to that mailbox; an oversize session is refused', async () => {
    const swaks = await run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--helo', 'alice-pc', '--to', 'bob@hamburger.edu', '--header', 'Subject: for bob'], { timeoutMs: 15_000 });
    expect(swaks.code, swaks.stdout + swaks.stderr).toBe(0);
    await openResend('RCPT TO', /RCPT TO:<bob@hamburger\.edu>/);
    const lines = page.locator('[data-testid="resend-lines"]');
    await expect.poll(() => lines.inputValue()).toMatch(/^EHLO alice-pc\nMAIL FROM:<alice@crepes\.fr>\nRCPT TO:<bob@hamburger\.edu>$/);
    const session = (await lines.inputValue()).replace('RCPT TO:<bob@hamburger.edu>', 'RCPT TO:<carol@hamburger.edu>');
    await lines.fill(`${session}\nDATA\nSubject: resent for carol\n\nCarol, this one is for you.\n.\nQUIT`);
    expect(await sent()).toMatch(/^221 .* · selected #\d+ \(the list's filter hides it\)$/);
    await ui.shot('resend-smtp');
    // carol's mailbox has it, read over POP3 by curl
    const box = `pop3://127.0.0.1:${port('pop3')}/`;
    await expect
      .poll(async () => {
        const list = await run('curl', ['-s', '-u', 'carol@hamburger.edu:pickles', box]);
        const last = list.stdout.trim().split('\n').at(-1)?.split(' ')[0];
        return last ? (await run('curl', ['-s', '-u', 'carol@hamburger.edu:pickles', `${box}${last}`])).stdout : '';
      }, { timeout: 10_000 })
      .toContain('Subject: resent for carol');

    await lines.fill(Array.from({ length: 70 }, () => `NOOP ${'x'.repeat(990)}`).join('\n'));
    // 70 lines of "NOOP " and 990 characters, each sent with its CRLF
    expect(await sent()).toBe(`the session is ${(70 * (5 + 990 + 2)).toLocaleString('en')} bytes; a resend sends at most 65,536`);
    await page.locator('[data-testid="resend-close"]').click();
  });

  it('a resend to a stopped web server says so; started again, it answers', async () => {
    await page.locator('[data-testid="service-stop-http"]').click();
    await expect.poll(() => page.locator('[data-testid="service-row-http"]').getAttribute('data-state')).toBe('stopped');
    await page.locator('[data-testid="inspector-filter-text"]').fill('');
    await openResend('GET /index.html', /GET \/index\.html/);
    expect(await sent()).toMatch(/^the Web server \(HTTP\) is stopped: start it in the services rail, then resend$/);
    await ui.shot('resend-error');
    await page.locator('[data-testid="service-start-http"]').click();
    await expect.poll(() => page.locator('[data-testid="service-row-http"]').getAttribute('data-state')).toBe('running');
    expect(await sent()).toMatch(/^HTTP\/1\.1 200 OK · selected #\d+$/);
    // a projector's window: the dialog and its buttons still fit
    await page.setViewportSize({ width: 1024, height: 700 });
    expect(await page.locator('[data-testid="resend-send"]').isVisible()).toBe(true);
    await ui.shot('resend-1024');
    expect(ui.errors).toEqual([]);
  });
});
