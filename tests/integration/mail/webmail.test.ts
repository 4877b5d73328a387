/**
 * Web mail (Kurose & Ross §2.3.4) on the lab web server: http://mail.hamburger.edu/ read with
 * curl and with Chromium through the lab proxy. The inbox comes over HTTP from the Maildir; a
 * message sent over HTTP is taken by Bob's mail server, which uses SMTP only to the next hop
 * (mail.crepes.fr) — the capture shows HTTP from the browser and SMTP between servers.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { ARTIFACTS, launch } from '../../helpers/browser';
import { captured, labForFile, lastCapturedId, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { Wire } from '../../helpers/mail-wire';

const held = labForFile();
let lab: Lab;
const port = (id: string): number => held.port(id);
beforeAll(() => {
  lab = held.lab;
});

/** curl as Bob's browser at mail.hamburger.edu: status and body */
async function web(p: string, ...args: string[]): Promise<{ status: number; body: string; head: string }> {
  const r = await run('curl', ['-s', '-i', '--max-time', '10', '-H', 'Host: mail.hamburger.edu', ...args, `http://127.0.0.1:${port('http')}${p}`]);
  const sep = r.stdout.indexOf('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(r.stdout)?.[1] ?? 0), head: r.stdout.slice(0, sep), body: r.stdout.slice(sep + 4) };
}
const bob = ['-u', 'bob:hungry'];

async function smtpTo(to: string, subject: string, text: string): Promise<void> {
  const w = await Wire.open(port('smtp'));
  await w.reply();
  await w.cmd('EHLO alice-pc');
  await w.cmd('MAIL FROM:<alice@crepes.fr>');
  expect(await w.cmd(`RCPT TO:<${to}>`)).toMatch(/^250 /);
  await w.cmd('DATA');
  expect(await w.cmd(`From: alice@crepes.fr\r\nTo: ${to}\r\nSubject: ${subject}\r\n\r\n${text}\r\n.`)).toMatch(/^250 /);
  await w.cmd('QUIT');
}

describe('web mail: reading the inbox over HTTP', () => {
  it('asks to sign in (401, Basic), refuses a wrong password, and lists the Maildir for bob', async () => {
    const none = await web('/');
    expect(none.status).toBe(401);
    expect(none.head).toContain('WWW-Authenticate: Basic realm="mail.hamburger.edu web mail"');
    expect((await web('/', '-u', 'bob:wrong')).status).toBe(401);
    // alice is a user of crepes.fr, not of this server
    expect((await web('/', '-u', 'alice@crepes.fr:hungry')).status).toBe(401);

    await smtpTo('bob@hamburger.edu', 'lunch <today>', 'Meet at the crepe stand, 12:30.');
    await waitFor(async () => (await lab['mail.mailbox']('bob@hamburger.edu')).some((m) => m.subject === 'lunch <today>'), 'delivery to bob', 10_000);
    const inbox = await web('/', ...bob);
    expect(inbox.status).toBe(200);
    expect(inbox.body).toContain('Inbox of bob@hamburger.edu');
    expect(inbox.body).toContain('lunch &lt;today&gt;');
    const uid = /href="\/message\?uid=([^"]+)"/.exec(inbox.body)![1];
    const msg = await web(`/message?uid=${uid}`, ...bob);
    expect(msg.status).toBe(200);
    expect(msg.body).toContain('Meet at the crepe stand, 12:30.');
    expect(msg.body).toContain('<b>From:</b> alice@crepes.fr');
    // the same message the mail view (and POP3) reads from the Maildir
    const stored = await lab['mail.message']('bob@hamburger.edu', decodeURIComponent(uid));
    expect(stored?.text.trim()).toBe('Meet at the crepe stand, 12:30.');
  });
});

describe('web mail: sending over HTTP, SMTP only between servers', () => {
  it("bob's message to alice: a POST to mail.hamburger.edu, then SMTP from it to mail.crepes.fr; none on submission", async () => {
    const mark = await lastCapturedId(lab);
    const sent = await web('/send', ...bob, '--data-urlencode', 'to=alice@crepes.fr', '--data-urlencode', 'subject=from the browser', '--data-urlencode', 'text=Written in web mail.');
    expect(sent.status).toBe(200);
    expect(sent.body).toMatch(/Sent: mail\.hamburger\.edu took the message \(id \S+\)/);
    expect(sent.body).toContain('SMTP to the next hop: <b>mail.crepes.fr</b>');
    const got = await waitFor(async () => (await lab['mail.mailbox']('alice@crepes.fr')).find((m) => m.subject === 'from the browser'), "alice's copy", 10_000);
    expect(got.from).toContain('bob@hamburger.edu');
    const raw = (await lab['mail.message']('alice@crepes.fr', got.uid))!.raw;
    expect(raw).toMatch(/Received: from mail\.hamburger\.edu \(browser \[[^\]]+\]\)\r\n\tby mail\.hamburger\.edu \(NetLab[^)]*\) with HTTP \(authenticated as bob@hamburger\.edu\)/);
    lab.store.flush();
    const after = (await captured(lab)).filter((m) => m.id > mark && m.kind === 'message' && m.dir === 'c2s');
    expect(after.some((m) => m.service === 'http' && /POST \/send/.test(m.summary))).toBe(true);
    // the next hop: Bob's server's relay to crepes.fr's MX
    expect(after.some((m) => m.service === 'smtp-crepes' && /MAIL FROM/i.test(m.summary))).toBe(true);
    // no SMTP from the browser: the submission server heard nothing
    expect(after.filter((m) => m.service === 'smtp')).toEqual([]);
  });

  it('to carol on the same server: delivered there, no SMTP at all', async () => {
    const mark = await lastCapturedId(lab);
    const sent = await web('/send', ...bob, '-d', 'to=carol@hamburger.edu', '-d', 'subject=next door', '-d', 'text=hi');
    expect(sent.body).toContain('delivered here, no SMTP needed');
    await waitFor(async () => (await lab['mail.mailbox']('carol@hamburger.edu')).some((m) => m.subject === 'next door'), "carol's copy", 10_000);
    lab.store.flush();
    expect((await captured(lab)).filter((m) => m.id > mark && m.service.startsWith('smtp'))).toEqual([]);
  });

  it('bad input: a clear error each, nothing sent, and the inbox still served', async () => {
    const before = (await lab['mail.queue']()).length;
    expect((await web('/send', ...bob, '-d', 'to=not-an-address', '-d', 'text=x')).status).toBe(400);
    expect((await web('/send', ...bob, '-d', 'subject=nobody', '-d', 'text=x')).status).toBe(400);
    const outside = await web('/send', ...bob, '-d', 'to=someone@example.com', '-d', 'text=x');
    expect(outside.status).toBe(422);
    expect(outside.body).toContain('someone@example.com');
    expect((await web('/send', ...bob, '-H', 'Content-Type: text/plain', '--data-binary', 'to=alice@crepes.fr')).status).toBe(415);
    const forged = await web('/send', ...bob, '-H', 'Origin: http://www.someschool.edu', '-d', 'to=alice@crepes.fr', '-d', 'text=x');
    expect(forged.status).toBe(403);
    expect((await web('/send', ...bob)).status).toBe(405);
    expect((await web('/message?uid=../../etc/passwd', ...bob)).status).toBe(400);
    expect((await web('/message?uid=nosuch', ...bob)).status).toBe(404);
    expect((await web('/', ...bob, '-X', 'DELETE')).status).toBe(405);
    expect((await web('/', '-H', 'Authorization: Basic !!!')).status).toBe(401);
    expect((await lab['mail.queue']()).length).toBe(before);
    expect((await web('/', ...bob)).status).toBe(200);
  });
});

describe('web mail in Chromium, through the lab proxy', () => {
  it('signs in, reads, writes and sends; the page says the server relays it', async () => {
    const browser = await launch();
    try {
      const context = await browser.newContext({ proxy: { server: `http://127.0.0.1:${port('proxy')}` }, httpCredentials: { username: 'carol', password: 'pickles' } });
      const page = await context.newPage();
      await page.goto('http://mail.hamburger.edu/');
      await expect.poll(() => page.locator('h1').innerText()).toMatch(/^Inbox of carol@hamburger\.edu: \d+ messages?$/);
      await page.getByRole('link', { name: 'next door' }).click();
      await expect.poll(() => page.locator('pre.body').innerText()).toBe('hi');
      await page.getByRole('link', { name: 'Write' }).click();
      await page.locator('input[name="to"]').fill('alice@crepes.fr');
      await page.locator('input[name="subject"]').fill('from Chromium');
      await page.locator('textarea[name="text"]').fill('Sent from a browser, over HTTP.');
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => page.locator('h1').innerText()).toMatch(/^Sent: mail\.hamburger\.edu took the message/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'webmail-sent.png') });
      await waitFor(async () => (await lab['mail.mailbox']('alice@crepes.fr')).some((m) => m.subject === 'from Chromium'), "alice's copy", 10_000);
    } finally {
      await browser.close();
    }
  });
});
