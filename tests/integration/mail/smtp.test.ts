/**
 * SMTP against real sockets: the textbook's sample interaction typed with nc, the relay
 * from submission to the recipient domain's MX, and the error replies.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, lastCapturedId, startLab, waitFor } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';
import { run } from '../../helpers/proc';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;

async function inbox(user: string): Promise<string[]> {
  const [local, domain] = user.split('@');
  const dir = path.join(dataDir, 'mail', domain, local, 'new');
  return (await fs.readdir(dir).catch(() => [])).sort();
}

async function readInbox(user: string): Promise<string[]> {
  const [local, domain] = user.split('@');
  const names = await inbox(user);
  // a Maildir file has LF line ends; the message as SMTP and POP3 carry it has a CRLF for each
  const files = await Promise.all(names.map((n) => fs.readFile(path.join(dataDir, 'mail', domain, local, 'new', n), 'utf8')));
  return files.map((f) => f.replace(/\n/g, '\r\n'));
}

beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

describe('SMTP, as the textbook types it', () => {
  it('nc: the sample interaction of §2.3.1 at hamburger.edu, delivered to Bob\'s Maildir', async () => {
    const input = [
      'HELO crepes.fr',
      'MAIL FROM: <alice@crepes.fr>',
      'RCPT TO: <bob@hamburger.edu>',
      'DATA',
      'Do you like ketchup?',
      'How about pickles?',
      '.',
      'QUIT',
      '',
    ].join('\r\n');
    const out = await run('nc', ['-N', '127.0.0.1', String(port('smtp-hamburger'))], { input });
    const lines = out.stdout.split('\r\n');
    expect(lines[0]).toBe('220 hamburger.edu');
    expect(lines[1]).toBe('250 Hello crepes.fr, pleased to meet you');
    expect(lines[2]).toBe('250 alice@crepes.fr ... Sender ok');
    expect(lines[3]).toBe('250 bob@hamburger.edu ... Recipient ok');
    expect(lines[4]).toBe('354 Enter mail, end with "." on a line by itself');
    expect(lines[5]).toMatch(/^250 Message accepted for delivery/);
    expect(lines[6]).toBe('221 hamburger.edu closing connection');
    const [msg] = await waitFor(async () => {
      const m = await readInbox('bob@hamburger.edu');
      return m.length ? m : null;
    }, 'delivery');
    expect(msg).toMatch(/^Return-Path: <alice@crepes.fr>\r\nReceived: from crepes.fr/);
    expect(msg).toContain('by mail.hamburger.edu (NetLab, connection ');
    expect(msg).toContain('Do you like ketchup?\r\nHow about pickles?\r\n');
  });

  it('submission relays to the recipient domain\'s MX through the lab internet, two Received: hops', async () => {
    const before = (await inbox('carol@hamburger.edu')).length;
    const w = await Wire.open(port('smtp'));
    expect(await w.reply()).toMatch(/^220 /);
    expect(await w.cmd('EHLO alice-pc')).toMatch(/250-SIZE \d+\r\n250-8BITMIME\r\n250-PIPELINING\r\n/);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
    expect(await w.cmd('RCPT TO:<carol@hamburger.edu>')).toMatch(/^250 /);
    expect(await w.cmd('RCPT TO:<pierre@crepes.fr>')).toMatch(/^250 /);
    expect(await w.cmd('DATA')).toMatch(/^354 /);
    expect(await w.cmd('Subject: relay\r\n\r\n..a stuffed dot\r\n.')).toMatch(/^250 Message accepted/);
    expect(await w.cmd('QUIT')).toMatch(/^221 /);
    const msgs = await waitFor(async () => {
      const m = await readInbox('carol@hamburger.edu');
      return m.length > before ? m : null;
    }, 'relayed delivery');
    const msg = msgs[msgs.length - 1];
    expect(msg.match(/^Received:/gm)).toHaveLength(2);
    expect(msg).toMatch(/by mail\.hamburger\.edu .*\r\n/);
    expect(msg).toMatch(/by mail\.crepes\.fr \(NetLab, connection \d+\) with ESMTP/);
    expect(msg).toContain('\r\n.a stuffed dot\r\n');
    await waitFor(async () => (await readInbox('pierre@crepes.fr')).some((m) => m.includes('Subject: relay')), 'second domain');
    await waitFor(() => lab['mail.queue']().then((q) => q.length === 0), 'empty queue');
    // the relay hop is its own connection to mail.hamburger.edu, captured and labelled
    const conns = await lab['capture.connections']();
    const hop = conns.find((c) => c.service === 'smtp-hamburger' && c.client.name?.includes('relay'));
    expect(hop?.server.name).toBe('mail.hamburger.edu');
  });

  it('refuses what it must: outside domains, unknown users, bad sequence, unknown commands, too big', async () => {
    const w = await Wire.open(port('smtp-hamburger'));
    await w.reply();
    expect(await w.cmd('RCPT TO:<bob@hamburger.edu>')).toMatch(/^503 /);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^503 /);
    expect(await w.cmd('HELO crepes.fr')).toMatch(/^250 /);
    expect(await w.cmd('DATA')).toMatch(/^503 /);
    expect(await w.cmd('RCPT TO:<bob@hamburger.edu>')).toMatch(/^503 /);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr> SIZE=999999999')).toMatch(/^552 /);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
    expect(await w.cmd('RCPT TO:<someone@gmail.com>')).toMatch(/^550 .*Relaying denied/);
    expect(await w.cmd('RCPT TO:<nobody@hamburger.edu>')).toMatch(/^550 .*User unknown/);
    expect(await w.cmd('DATA')).toMatch(/^503 /);
    expect(await w.cmd('XYZZY')).toMatch(/^500 /);
    expect(await w.cmd('VRFY bob')).toBe('250 Bob <bob@hamburger.edu>\r\n');
    expect(await w.cmd('NOOP')).toBe('250 OK\r\n');
    expect(await w.cmd('RSET')).toMatch(/^250 /);
    expect(await w.cmd('QUIT')).toMatch(/^221 /);
    w.close();
    // submission is for lab users only
    const s = await Wire.open(port('smtp'));
    await s.reply();
    await s.cmd('EHLO x');
    expect(await s.cmd('MAIL FROM:<mallory@evil.example>')).toMatch(/^550 /);
    s.close();
  });
});

describe("postfix's smtp-source, one connection per message", () => {
  it('200 messages from 20 sessions: each stored once, each connection closed by the server after 221 with no socket error', async () => {
    const after = await lastCapturedId(lab);
    const before = (await inbox('bob@hamburger.edu')).length;
    const out = await run('/usr/sbin/smtp-source', ['-s', '20', '-l', '1024', '-m', '200', '-f', 'alice@crepes.fr', '-t', 'bob@hamburger.edu', `127.0.0.1:${port('smtp-hamburger')}`], { timeoutMs: 30_000 });
    expect(out.code, out.stderr).toBe(0);
    await waitFor(async () => (await inbox('bob@hamburger.edu')).length >= before + 200, 'Maildir deliveries', 20_000);
    const msgs = (await captured(lab)).filter((m) => m.id > after && m.service === 'smtp-hamburger');
    const conns = new Set(msgs.map((m) => m.conn));
    expect(conns.size).toBe(200);
    const notes = msgs.filter((m) => m.kind === 'event').map((m) => m.summary);
    // smtp-source resets the connection as soon as it reads 221: the server has closed already
    expect(notes.filter((n) => n === 'QUIT: the server closes the connection')).toHaveLength(200);
    expect(notes.filter((n) => n.startsWith('socket error'))).toEqual([]);
    expect(notes.filter((n) => n === 'connection closed')).toHaveLength(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await inbox('bob@hamburger.edu')).length).toBe(before + 200);
  });
});
