/**
 * Password guessing against SMTP AUTH and POP3, over real sockets. Each test connects from
 * its own loopback address (127.0.0.x), so the per-address counts of one test are not
 * another's. The limits are made small here; the shipped defaults are 1 s, 3 per
 * connection, 10 per address in 10 minutes, locked out for 5 minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { mailSystemOf } from '../../../src-main/lab/mail/mail-services';
import type { LoginLimits } from '../../../src-main/lab/mail/login-throttle';
import { captured, startLab } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';

let lab: Lab;
let port: (id: string) => number;
const LIMITS: LoginLimits = { delayMs: 200, perConnection: 3, perAddress: 5, windowMs: 60_000, lockoutMs: 1500 };

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const plain = (user: string, password: string): string => `AUTH PLAIN ${b64(`\0${user}\0${password}`)}`;

beforeAll(async () => {
  ({ lab, port } = await startLab());
  const mail = mailSystemOf(lab.services);
  if (!mail) throw new Error('no mail system');
  mail.logins.limits = LIMITS;
});
afterAll(async () => {
  await lab.shutdown();
});

async function smtp(from: string): Promise<Wire> {
  const w = await Wire.open(port('smtp'), from);
  await w.reply();
  await w.cmd('EHLO guesser');
  return w;
}

async function pop3(from: string): Promise<Wire> {
  const w = await Wire.open(port('pop3'), from);
  await w.until(/^\+OK.*\r\n$/);
  return w;
}

async function pop(w: Wire, line: string): Promise<string> {
  w.line(line);
  return w.until(/\r\n$/);
}

async function notesOf(conn: number): Promise<string[]> {
  lab.store.flush();
  return (await captured(lab)).filter((r) => r.conn === conn && r.kind === 'event').map((r) => r.summary);
}

async function lastConn(service: string): Promise<number> {
  return (await lab['capture.connections']()).filter((c) => c.service === service).at(-1)?.id ?? -1;
}

describe('SMTP AUTH, one connection', () => {
  it('a pipelined burst of guesses: two 535s, each after the delay, then 421 4.7.0 and the connection closes', async () => {
    const w = await smtp('127.0.0.2');
    const started = Date.now();
    w.send(Array.from({ length: 50 }, (_, i) => `${plain('bob', `guess${i}`)}\r\n`).join(''));
    await w.waitClosed(10_000);
    const replies = (await w.until(/[\s\S]*/, 0)).split('\r\n').filter(Boolean);
    expect(replies).toEqual([
      '535 5.7.8 Authentication credentials invalid',
      '535 5.7.8 Authentication credentials invalid',
      '421 4.7.0 mail.crepes.fr Too many failed authentication attempts, closing transmission channel',
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * LIMITS.delayMs);
    const notes = await notesOf(await lastConn('smtp'));
    expect(notes).toContain(`failed login 1 of 3 on this connection, 1 of 5 from 127.0.0.2 in 1 minute (SMTP, POP3 and IMAP): answered after ${LIMITS.delayMs} ms`);
    expect(notes).toContain('3 failed logins on this connection: the server closes it');
  });

  it('the right password after wrong ones still logs in, below the limit', async () => {
    const w = await smtp('127.0.0.6');
    expect(await w.cmd(plain('bob', 'ketchup'))).toMatch(/^535 5\.7\.8 /);
    expect(await w.cmd('AUTH LOGIN')).toBe('334 VXNlcm5hbWU6\r\n');
    expect(await w.cmd(b64('bob'))).toBe('334 UGFzc3dvcmQ6\r\n');
    expect(await w.cmd(b64('mustard'))).toMatch(/^535 5\.7\.8 /);
    expect(await w.cmd(plain('bob', 'hungry'))).toBe('235 2.7.0 Authentication successful\r\n');
    expect(await w.cmd('QUIT')).toMatch(/^221 /);
  });
});

describe('one count per client address, across SMTP and POP3', () => {
  it('guesses through both services add up; the address is locked out, another address still logs in, and the lockout ends', async () => {
    const guesser = '127.0.0.3';
    const owner = '127.0.0.4';
    const s1 = await smtp(guesser);
    expect(await s1.cmd(plain('bob', 'a'))).toMatch(/^535 /);
    expect(await s1.cmd(plain('bob', 'b'))).toMatch(/^535 /);
    s1.close();
    const p1 = await pop3(guesser);
    await pop(p1, 'USER bob');
    expect(await pop(p1, 'PASS c')).toBe('-ERR [AUTH] invalid user name or password\r\n');
    await pop(p1, 'USER bob');
    expect(await pop(p1, 'PASS d')).toBe('-ERR [AUTH] invalid user name or password\r\n');
    p1.close();
    // the fifth wrong password from this address, on a fresh connection: locked out
    const s2 = await smtp(guesser);
    expect(await s2.cmd(plain('bob', 'e'))).toBe(
      '421 4.7.0 mail.crepes.fr Too many failed authentication attempts from 127.0.0.3, try again in 2 seconds, closing transmission channel\r\n',
    );
    await s2.waitClosed();
    expect(await notesOf(await lastConn('smtp'))).toContain('5 failed logins from 127.0.0.3 (SMTP, POP3 and IMAP): locked out for 2 seconds, the server closes the connection');

    // locked out: even Bob's right password is not checked from that address, on either service
    const s3 = await smtp(guesser);
    expect(await s3.cmd(plain('bob', 'hungry'))).toMatch(/^421 4\.7\.0 .*from 127\.0\.0\.3, try again in/);
    await s3.waitClosed();
    const p2 = await pop3(guesser);
    await pop(p2, 'USER bob');
    expect(await pop(p2, 'PASS hungry')).toMatch(/^-ERR \[SYS\/TEMP\] too many failed logins from 127\.0\.0\.3, try again in/);
    await p2.waitClosed();
    expect(await notesOf(await lastConn('pop3'))).toContain('127.0.0.3 is locked out after too many failed logins: no password checked, the server closes the connection');

    // meanwhile Bob, from his own address, logs in to both
    const s4 = await smtp(owner);
    expect(await s4.cmd(plain('bob', 'hungry'))).toBe('235 2.7.0 Authentication successful\r\n');
    s4.close();
    const p3 = await pop3(owner);
    await pop(p3, 'USER bob');
    expect(await pop(p3, 'PASS hungry')).toMatch(/^\+OK user successfully logged on/);
    await pop(p3, 'QUIT');

    // the lockout over, the address is heard again
    await new Promise((r) => setTimeout(r, LIMITS.lockoutMs + 100));
    const s5 = await smtp(guesser);
    expect(await s5.cmd(plain('bob', 'hungry'))).toBe('235 2.7.0 Authentication successful\r\n');
    s5.close();
  });

  it('guesses on many connections at once are capped by the address count, not multiplied by the connections', async () => {
    const conns = await Promise.all(Array.from({ length: 8 }, () => smtp('127.0.0.5')));
    for (const [i, w] of conns.entries()) w.line(plain('bob', `parallel${i}`));
    const replies = await Promise.all(conns.map((w) => w.reply(10_000)));
    // four wrong passwords checked and refused; the fifth locked the address, and the rest were not checked
    expect(replies.filter((r) => r.startsWith('535 5.7.8 '))).toHaveLength(LIMITS.perAddress - 1);
    expect(replies.filter((r) => /^421 4\.7\.0 .*from 127\.0\.0\.5/.test(r))).toHaveLength(8 - (LIMITS.perAddress - 1));
    for (const w of conns) w.close();
  });
});

describe('POP3 on its own', () => {
  it('the third wrong password closes the connection after -ERR, as before', async () => {
    const w = await pop3('127.0.0.7');
    for (const guess of ['x', 'y']) {
      await pop(w, 'USER bob');
      expect(await pop(w, `PASS ${guess}`)).toBe('-ERR [AUTH] invalid user name or password\r\n');
    }
    await pop(w, 'USER bob');
    expect(await pop(w, 'PASS z')).toBe('-ERR [AUTH] invalid user name or password\r\n');
    await w.waitClosed();
    expect(await notesOf(await lastConn('pop3'))).toContain('3 failed logins on this connection: the server closes it');
  });
});

