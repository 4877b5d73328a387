/** POP3 (RFC 1939) against real sockets: the textbook session with nc, UPDATE only at QUIT, APOP, errors. */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, waitFor } from '../../helpers/lab';
import { deliver } from '../../helpers/maildir';
import { Wire } from '../../helpers/mail-wire';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;

/** a POP3 exchange: send a line, read up to the end of a single-line or multi-line response */
async function pop(w: Wire, line: string, multi = false): Promise<string> {
  w.line(line);
  return w.until(multi ? /^(-ERR[^\n]*\n|\+OK[\s\S]*\r\n\.\r\n)$/ : /\r\n$/);
}

beforeAll(async () => {
  ({ lab, port } = await startLab());
  await deliver(lab, port, 'bob@hamburger.edu', 'first', 'blah blah');
  await deliver(lab, port, 'bob@hamburger.edu', 'second', '..leading dot\r\nmore'); // dot-stuffed on the SMTP wire
  // 250 means the spool has it; the Maildir delivery follows a moment later
  await waitFor(async () => (await lab['mail.mailbox']('bob@hamburger.edu')).length === 2, 'two messages in the Maildir');
});
afterAll(async () => {
  await lab.shutdown();
});

describe('POP3', () => {
  it('nc: the textbook session (user bob, pass hungry, list, retr, quit) — download and keep', async () => {
    const input = ['user bob', 'pass hungry', 'list', 'retr 1', 'quit', ''].join('\r\n');
    const out = await run('nc', ['-N', '127.0.0.1', String(port('pop3'))], { input });
    expect(out.stdout).toMatch(/^\+OK POP3 server ready <[^>]+>\r\n\+OK\r\n\+OK user successfully logged on\r\n/);
    expect(out.stdout).toMatch(/\+OK 2 messages \(\d+ octets\)\r\n1 \d+\r\n2 \d+\r\n\.\r\n/);
    expect(out.stdout).toMatch(/\+OK \d+ octets\r\nReturn-Path: <alice@crepes.fr>\r\n[\s\S]*Subject: first\r\n\r\nblah blah\r\n\.\r\n/);
    expect(out.stdout).toMatch(/\+OK POP3 server signing off \(2 messages left\)\r\n$/);
  });

  it('deletes only at QUIT: a dropped connection after DELE keeps the message; RSET unmarks', async () => {
    let w = await Wire.open(port('pop3'));
    await w.until(/\r\n$/);
    await pop(w, 'USER bob@hamburger.edu');
    expect(await pop(w, 'PASS hungry')).toMatch(/^\+OK/);
    expect(await pop(w, 'DELE 1')).toBe('+OK message 1 deleted\r\n');
    expect(await pop(w, 'RETR 1')).toMatch(/^-ERR message 1 already deleted/);
    expect(await pop(w, 'STAT')).toMatch(/^\+OK 1 \d+\r\n$/);
    w.close(); // dropped, no QUIT
    await new Promise((r) => setTimeout(r, 100));
    w = await Wire.open(port('pop3'));
    await w.until(/\r\n$/);
    await pop(w, 'USER bob');
    await pop(w, 'PASS hungry');
    expect(await pop(w, 'STAT')).toMatch(/^\+OK 2 /);
    await pop(w, 'DELE 2');
    expect(await pop(w, 'RSET')).toMatch(/^\+OK maildrop has 2 messages/);
    expect(await pop(w, 'STAT')).toMatch(/^\+OK 2 /);
    // TOP, UIDL, dot-stuffing of a line starting with "."
    expect(await pop(w, 'TOP 2 0', true)).toMatch(/Subject: second\r\n\r\n\.\r\n$/);
    expect(await pop(w, 'RETR 2', true)).toContain('\r\n..leading dot\r\nmore\r\n.\r\n');
    const uidl = await pop(w, 'UIDL', true);
    expect(uidl).toMatch(/^\+OK[^\n]*\r\n1 \S+\r\n2 \S+\r\n\.\r\n$/);
    // download and delete
    await pop(w, 'DELE 1');
    expect(await pop(w, 'QUIT')).toMatch(/^\+OK POP3 server signing off \(1 message left\)/);
    await w.waitClosed();
    const box = await lab['mail.mailbox']('bob@hamburger.edu');
    expect(box.map((m) => m.subject)).toEqual(['second']);
  });

  it('APOP, CAPA, wrong password after a delay, unknown commands, long lines, lock', async () => {
    const w = await Wire.open(port('pop3'));
    const greeting = await w.until(/\r\n$/);
    const stamp = /<[^>]+>/.exec(greeting)?.[0] ?? '';
    expect(await pop(w, 'CAPA', true)).toMatch(/^\+OK[\s\S]*\r\nUIDL\r\n[\s\S]*\.\r\n$/);
    expect(await pop(w, 'STAT')).toMatch(/^-ERR /);
    expect(await pop(w, 'FOO')).toMatch(/^-ERR unknown command/);
    expect(await pop(w, `USER ${'x'.repeat(100_000)}`)).toMatch(/^-ERR line too long/);
    await pop(w, 'USER bob');
    const t0 = Date.now();
    expect(await pop(w, 'PASS ketchup')).toMatch(/^-ERR /);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const digest = crypto.createHash('md5').update(`${stamp}hungry`).digest('hex');
    expect(await pop(w, `APOP bob ${digest}`)).toMatch(/^\+OK/);
    // a second session finds the maildrop locked
    const other = await Wire.open(port('pop3'));
    await other.until(/\r\n$/);
    await pop(other, 'USER bob');
    expect(await pop(other, 'PASS hungry')).toMatch(/^-ERR \[IN-USE\]/);
    other.close();
    expect(await pop(w, 'NOOP')).toBe('+OK\r\n');
    expect(await pop(w, 'QUIT')).toMatch(/^\+OK/);
  });

  it('the capture decodes POP3 commands and a RETR as one multi-line response', async () => {
    const list = await lab['capture.list']({ afterId: 0, limit: 100_000 });
    const retr = list.find((m) => m.protocol === 'pop3' && m.kind === 'message' && m.dir === 's2c' && /Subject: first/.test(m.summary));
    expect(retr?.summary).toMatch(/^\+OK \d+ octets \+ \d+ bytes — Subject: first/);
    const user = list.find((m) => m.protocol === 'pop3' && m.kind === 'message' && m.summary.startsWith('user bob'));
    const detail = await lab['capture.detail'](user?.id ?? -1);
    expect(JSON.stringify(detail?.fields)).toContain('name the maildrop');
  });
});
