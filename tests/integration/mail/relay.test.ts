/**
 * The relay when the next hop is down (queued, retried with backoff, delivered once when it
 * is back, kept across a lab restart), and abusive input on the SMTP port.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src-main/lab/lab';
import { RESOURCES, startLab, waitFor } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;

async function submit(to: string, subject: string, via = port('smtp')): Promise<void> {
  const w = await Wire.open(via);
  await w.reply();
  await w.cmd('EHLO alice-pc');
  await w.cmd('MAIL FROM:<alice@crepes.fr>');
  expect(await w.cmd(`RCPT TO:<${to}>`)).toMatch(/^250 /);
  await w.cmd('DATA');
  expect(await w.cmd(`Subject: ${subject}\r\n\r\nhello\r\n.`)).toMatch(/^250 /);
  await w.cmd('QUIT');
}

async function count(address: string, subject: string, l = lab): Promise<number> {
  return (await l['mail.mailbox'](address)).filter((m) => m.subject === subject).length;
}

beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

describe('relay', () => {
  it('next hop stopped: stays queued with backoff; restarted: delivered once', async () => {
    await lab['services.stop']('smtp-hamburger');
    await submit('bob@hamburger.edu', 'while down');
    const queued = await waitFor(async () => {
      const q = await lab['mail.queue']();
      return q.find((e) => e.attempts >= 2 && e.state === 'queued') ?? null;
    }, 'two failed attempts', 6000);
    expect(queued.domain).toBe('hamburger.edu');
    expect(queued.lastError).toMatch(/mail\.hamburger\.edu port 25/);
    expect(queued.nextAttempt ?? 0).toBeGreaterThan(Date.now());
    expect(await count('bob@hamburger.edu', 'while down')).toBe(0);
    await lab['services.start']('smtp-hamburger');
    await waitFor(async () => (await count('bob@hamburger.edu', 'while down')) === 1, 'delivery after restart', 10_000);
    await waitFor(async () => (await lab['mail.queue']()).length === 0, 'empty queue');
    await new Promise((r) => setTimeout(r, 300));
    expect(await count('bob@hamburger.edu', 'while down')).toBe(1);
  });

  it('a queued message survives a lab restart and is delivered once', async () => {
    await lab['services.stop']('smtp-hamburger');
    await submit('carol@hamburger.edu', 'across restart');
    await waitFor(async () => (await lab['mail.queue']()).length === 1, 'queued');
    await lab.shutdown();
    const again = new Lab({ dataDir, resourcesDir: RESOURCES, shell: 'browser', ports: new Proxy({}, { get: () => 0 }) });
    await again.start();
    // whatever happens here, the next tests get a fresh lab
    const fresh = startLab();
    try {
      await waitFor(async () => (await count('carol@hamburger.edu', 'across restart', again)) === 1, 'delivered after restart', 10_000);
      await waitFor(async () => (await again['mail.queue']()).length === 0, 'empty queue');
      expect(await count('carol@hamburger.edu', 'across restart', again)).toBe(1);
      // bob's message from the first test was delivered before: not delivered twice
      expect(await count('bob@hamburger.edu', 'while down', again)).toBe(1);
    } finally {
      await again.shutdown();
      ({ lab, dataDir, port } = await fresh);
    }
  });
});

describe('bad input on the SMTP port', () => {
  it('garbage bytes, a 10 MB line, too many unknown commands: error replies, the server keeps serving', async () => {
    const w = await Wire.open(port('smtp-hamburger'));
    await w.reply();
    w.send(Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a]));
    expect(await w.reply()).toMatch(/^500 /);
    w.send(Buffer.alloc(10 * 1024 * 1024, 0x41));
    w.send('\r\n');
    expect(await w.reply(10_000)).toMatch(/^500 Line too long/);
    expect(await w.cmd('NOOP')).toBe('250 OK\r\n');
    for (let i = 0; i < 9; i++) await w.cmd(`BOGUS${i}`);
    expect(await w.cmd('BOGUS')).toMatch(/^421 /);
    await w.waitClosed();
    const again = await Wire.open(port('smtp-hamburger'));
    expect(await again.reply()).toBe('220 hamburger.edu\r\n');
    again.close();
  });

  it('an HTTP request on the mail port is refused and closed', async () => {
    const w = await Wire.open(port('smtp'));
    await w.reply();
    w.send('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await w.reply()).toMatch(/^421 .*HTTP/);
    await w.waitClosed();
  });

  it('DATA with no end, then close: nothing half-stored', async () => {
    const before = (await lab['mail.mailbox']('bob@hamburger.edu')).length;
    const w = await Wire.open(port('smtp-hamburger'));
    await w.reply();
    await w.cmd('HELO crepes.fr');
    await w.cmd('MAIL FROM:<alice@crepes.fr>');
    await w.cmd('RCPT TO:<bob@hamburger.edu>');
    await w.cmd('DATA');
    w.send('Subject: half\r\n\r\nno end in sight\r\n');
    await new Promise((r) => setTimeout(r, 100));
    w.close();
    await new Promise((r) => setTimeout(r, 200));
    expect((await lab['mail.mailbox']('bob@hamburger.edu')).length).toBe(before);
    const box = path.join(dataDir, 'mail', 'hamburger.edu', 'bob', 'tmp');
    expect(await fs.readdir(box)).toEqual([]);
  });

  it('1000 pipelined recipients all answered; a message over the limit gets 552 and the session goes on', async () => {
    const w = await Wire.open(port('smtp-hamburger'));
    await w.reply();
    await w.cmd('EHLO crepes.fr');
    await w.cmd('MAIL FROM:<alice@crepes.fr>');
    // pipelined: 1000 RCPTs in one write
    w.send(Array.from({ length: 1000 }, (_, i) => `RCPT TO:<user${i}@hamburger.edu>\r\n`).join(''));
    const replies = await w.until(/(550[^\n]*\n){1000}$/, 10_000);
    expect(replies.match(/^550 /gm)).toHaveLength(1000);
    expect(await w.cmd('RCPT TO:<bob@hamburger.edu>')).toMatch(/^250 /);
    expect(await w.cmd('DATA')).toMatch(/^354 /);
    w.send(Buffer.alloc(11 * 1024 * 1024, 'x'.charCodeAt(0)));
    expect(await w.cmd('\r\n.', 10_000)).toMatch(/^552 /);
    expect(await w.cmd('NOOP')).toBe('250 OK\r\n');
    w.close();
  });
});
