/**
 * The textbook's mail story end to end in headless Chromium against `netlab serve`: Alice
 * composes to Bob in the Mail tab (the MIME source shown first), the message is submitted
 * over SMTP, relayed to hamburger.edu's MX, appears in Bob's mailbox with its path; Bob
 * reads it with POP3 typed in the lab terminal. Screenshots go to tests/artifacts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoAndRelayPorts, openLab, scenarioArgs, terminalText as terminalTextOf, typeInTerminal as typeLine, type LabPage } from '../../helpers/browser';
import { freePort, type Served } from '../../helpers/serve';

let ui: LabPage;
let lab: Served;
let page: Page;
const ids = ['smtp', 'smtp-crepes', 'smtp-hamburger', 'smtp-networkutopia', 'pop3'];

beforeAll(async () => {
  const ports = await Promise.all(ids.map(async (id) => [id, await freePort()] as const));
  const args = await scenarioArgs('mail e2e', { ...(await echoAndRelayPorts()), ...Object.fromEntries(ports) });
  ui = await openLab({ args });
  ({ lab, page } = ui);
});
afterAll(() => ui?.close());

const shot = (name: string) => ui.shot(name);
/** the Message-ID and Date the compose preview showed, to find again in the delivered message */
let previewed: { messageId: string; date: string } | undefined;
const terminalText = () => terminalTextOf(page);
const typeInTerminal = (text: string) => typeLine(page, text);

describe('Mail in the browser', () => {
  it('compose alice → bob: the MIME source first, then SMTP submission', async () => {
    await page.goto(lab.url);
    await page.locator('[data-testid="tab-mail"]').click();
    await page.locator('[data-testid="mail-pane-compose"]').click();
    await page.locator('[data-testid="compose-subject"]').fill('Ketchup and pickles');
    await page.locator('[data-testid="compose-text"]').fill('Do you like ketchup?\nHow about pickles? — Alice');
    await page.locator('[data-testid="compose-attach"]').setInputFiles({
      name: 'pickle.png',
      mimeType: 'image/png',
      buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
    });
    const source = page.locator('[data-testid="compose-source"]');
    await expect.poll(() => source.innerText()).toContain('Content-Disposition: attachment; filename="pickle.png"');
    const text = await source.innerText();
    expect(text).toContain('MIME-Version: 1.0');
    expect(text).toContain('Content-Type: multipart/mixed; boundary=');
    expect(text).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(text).toContain('How about pickles? =E2=80=94 Alice');
    previewed = { messageId: /^Message-ID: (.+)$/m.exec(text)?.[1] ?? '?', date: /^Date: (.+)$/m.exec(text)?.[1] ?? '?' };
    expect(previewed.messageId).toMatch(/^<[^>]+@crepes\.fr>$/);
    await shot('mail-compose-before');
    await page.locator('[data-testid="compose-send"]').click();
    await expect.poll(() => page.locator('[data-testid="compose-note"]').innerText()).toContain('Accepted by the submission server');
    expect(await page.locator('[data-testid="compose-transcript"]').innerText()).toContain('S: 250 Message accepted for delivery');
    await shot('mail-compose-sent');
  });

  it("arrives in bob's mailbox: headers, MIME tree, the image, the path linked to the inspector", async () => {
    await page.locator('[data-testid="mail-pane-mailbox"]').click();
    await page.locator('[data-testid="mailbox-bob@hamburger.edu"]').click();
    const row = page.locator('[data-testid="mail-row"]', { hasText: 'Ketchup and pickles' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await expect.poll(() => page.locator('[data-testid="mail-detail"]').innerText()).toContain('Do you like ketchup?');
    await expect.poll(() => page.locator('[data-testid="mail-detail"] img').count()).toBe(1);
    await shot('mail-message');
    await page.locator('[data-testid="mail-tab-mime"]').click();
    await expect.poll(() => page.locator('[data-testid="mail-mime"]').innerText()).toContain('multipart/mixed');
    expect(await page.locator('[data-testid="mail-mime"]').innerText()).toContain('image/png');
    await page.locator('[data-testid="mail-tab-source"]').click();
    const raw = await page.locator('[data-testid="mail-raw"]').innerText();
    expect(raw).toMatch(/^Return-Path: <alice@crepes.fr>/);
    // the message delivered carries the Message-ID and Date the compose preview showed
    expect(raw).toContain(`Message-ID: ${previewed?.messageId}`);
    expect(raw).toContain(`Date: ${previewed?.date}`);
    await page.locator('[data-testid="mail-tab-path"]').click();
    const pathText = await page.locator('[data-testid="mail-path"]').innerText();
    expect(pathText).toContain('mail.crepes.fr');
    expect(pathText).toContain('mail.hamburger.edu');
    await shot('mail-path');
    // the relay hop's conversation, in the inspector's ladder
    await page.locator('[data-testid^="hop-conn-"]').last().click();
    await expect.poll(() => page.locator('body').innerText()).toContain('250 Message accepted for delivery');
    await shot('mail-path-inspector');
    // the relay hop as a ladder diagram, as the textbook draws the SMTP exchange
    await page.locator('[data-testid="detail-tab-ladder"]').click();
    await expect.poll(() => page.locator('[data-testid="ladder"] [data-testid="ladder-arrow"]').count()).toBeGreaterThanOrEqual(10);
    await shot('mail-ladder');
  });

  it('next hop stopped in the rail: the message waits in the queue, retried; started again: delivered', async () => {
    await page.locator('[data-testid="mail-pane-queue"]').click();
    await expect.poll(() => page.locator('[data-testid="mail-queue"]').innerText()).toContain('The queue is empty');
    await page.locator('[data-testid="service-stop-smtp-hamburger"]').click();
    await expect.poll(() => page.locator('[data-testid="service-row-smtp-hamburger"]').getAttribute('data-state')).toBe('stopped');
    await page.locator('[data-testid="mail-pane-compose"]').click();
    await page.locator('[data-testid="compose-to"]').fill('carol@hamburger.edu');
    await page.locator('[data-testid="compose-subject"]').fill('While the MX is down');
    await page.locator('[data-testid="compose-send"]').click();
    await expect.poll(() => page.locator('[data-testid="compose-note"]').innerText()).toContain('Accepted');
    await page.locator('[data-testid="mail-pane-queue"]').click();
    const row = page.locator('[data-testid="mail-queue-row"]');
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toMatch(/hamburger\.edu[\s\S]*carol@hamburger\.edu[\s\S]*\t[2-9]\t/);
    expect(await page.locator('[data-testid="mail-queue-error"]').innerText()).toMatch(/^last attempt: connection refused: .*port 25/);
    await shot('mail-queue');
    await page.locator('[data-testid="service-start-smtp-hamburger"]').click();
    await page.locator('[data-testid="mail-retry"]').click();
    await expect.poll(() => page.locator('[data-testid="mail-queue"]').innerText(), { timeout: 10_000 }).toContain('The queue is empty');
    await page.locator('[data-testid="mail-pane-mailbox"]').click();
    await page.locator('[data-testid="mailbox-carol@hamburger.edu"]').click();
    await page.locator('[data-testid="mail-row"]', { hasText: 'While the MX is down' }).waitFor();
  });

  it('to an unknown user: accepted, refused at the next hop, back in alice\'s mailbox as a bounce', async () => {
    await page.locator('[data-testid="mail-pane-compose"]').click();
    await page.locator('[data-testid="compose-to"]').fill('nobody@hamburger.edu');
    await page.locator('[data-testid="compose-subject"]').fill('Anybody there?');
    await page.locator('[data-testid="compose-send"]').click();
    await expect.poll(() => page.locator('[data-testid="compose-note"]').innerText()).toContain('Accepted');
    await page.locator('[data-testid="mail-pane-mailbox"]').click();
    await page.locator('[data-testid="mailbox-alice@crepes.fr"]').click();
    const row = page.locator('[data-testid="mail-row"]', { hasText: 'Undelivered Mail Returned to Sender' });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('bounce');
    await row.click();
    const report = page.locator('[data-testid="mail-bounce-report"]');
    await expect.poll(() => report.innerText()).toContain('nobody@hamburger.edu');
    const text = await report.innerText();
    expect(text).toContain('5.1.1');
    expect(text).toContain('mail.hamburger.edu');
    expect(text).toMatch(/550 nobody@hamburger\.edu \.\.\. User unknown/);
    // an address wraps after its @ at most: each half on one line (it broke as 'nobody@hamburger.e' / 'du')
    const split = await report.locator('.nw').evaluateAll((parts) => parts.filter((p) => p.getClientRects().length !== 1).map((p) => p.textContent));
    expect(split).toEqual([]);
    expect(await report.locator('.addr').count()).toBeGreaterThanOrEqual(1);
    await shot('mail-bounce');
    await page.locator('[data-testid="mail-pane-queue"]').click();
    const back = page.locator('[data-testid="mail-returned-row"]', { hasText: 'nobody@hamburger.edu' });
    await expect.poll(() => back.innerText()).toContain('5.1.1');
    expect(await back.innerText()).toContain('bounce in alice@crepes.fr');
    await shot('mail-queue-returned');
  });

  it('bob retrieves it with POP3 typed in the lab terminal', async () => {
    await page.locator('[data-testid="tab-terminal"]').click();
    await page.locator('[data-testid="terminal-new"]').click();
    await expect.poll(terminalText).toContain('netlab>');
    await typeInTerminal('telnet mail.hamburger.edu 110');
    await expect.poll(terminalText).toContain('+OK POP3 server ready');
    for (const line of ['user bob', 'pass hungry', 'list']) await typeInTerminal(line);
    await expect.poll(terminalText).toContain('+OK user successfully logged on');
    await typeInTerminal('retr 1');
    await expect.poll(terminalText).toContain('Subject: Ketchup and pickles');
    await typeInTerminal('quit');
    await expect.poll(terminalText).toContain('+OK POP3 server signing off');
    await shot('mail-terminal-pop3');
    expect(ui.errors).toEqual([]);
  });

  it('a message typed by hand with no From: header: the list shows its envelope sender, marked as such', async () => {
    await typeInTerminal('telnet mail.hamburger.edu 25');
    await expect.poll(terminalText).toContain('220 hamburger.edu');
    for (const line of ['HELO crepes.fr', 'MAIL FROM: <alice@crepes.fr>', 'RCPT TO: <carol@hamburger.edu>', 'DATA']) await typeInTerminal(line);
    await expect.poll(terminalText).toContain('354 Enter mail');
    for (const line of ['Do you like ketchup?', 'How about pickles?', '.', 'QUIT']) await typeInTerminal(line);
    await expect.poll(terminalText).toContain('221 hamburger.edu closing connection');
    await page.locator('[data-testid="tab-mail"]').click();
    await page.locator('[data-testid="mail-pane-mailbox"]').click();
    await page.locator('[data-testid="mailbox-carol@hamburger.edu"]').click();
    const from = page.locator('[data-testid="mail-envelope-from"]');
    await from.waitFor({ timeout: 10_000 });
    expect(await from.innerText()).toBe('alice@crepes.fr (envelope)');
    await page.locator('[data-testid="mail-row"]', { has: from }).click();
    await expect.poll(() => page.locator('[data-testid="mail-detail"]').innerText()).toContain('From alice@crepes.fr (envelope)');
    await shot('mail-envelope-from');
    expect(ui.errors).toEqual([]);
  });
});
