/**
 * SMTP smuggling against real sockets: a message whose text holds a "." line next to a bare
 * LF or CR, followed by a second MAIL FROM … DATA, must never become two messages. Only
 * CRLF.CRLF ends a message (RFC 5321 §4.1.1.4). Submission refuses text with a bare LF or CR
 * (550 5.5.2, then closes); an MX keeps bare-LF lines as CRLF lines and refuses a "." next to
 * a bare LF. Commands ending in a bare LF (nc without -C) still work; NUL and control
 * characters in MAIL FROM and RCPT TO get 501.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, startLab, tempDir, waitFor } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';
import { run } from '../../helpers/proc';
import fs from 'node:fs/promises';
import path from 'node:path';

let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

const subjects = async (address: string): Promise<string[]> => (await lab['mail.mailbox'](address)).map((m) => m.subject);

/** what a POP3 client sees: STAT's message count */
async function popCount(user: string, password: string): Promise<number> {
  const w = await Wire.open(port('pop3'));
  await w.until(/\+OK.*\r\n/);
  w.line(`USER ${user}`);
  await w.until(/\+OK.*\r\n/);
  w.line(`PASS ${password}`);
  await w.until(/\+OK.*\r\n/);
  w.line('STAT');
  const stat = await w.until(/\+OK \d+ \d+\r\n/);
  w.line('QUIT');
  await w.waitClosed();
  return Number(/\+OK (\d+)/.exec(stat)?.[1]);
}

/** a clean message through submission, waited for in Bob's mailbox: anything sent before it had its chance to arrive */
async function marker(subject: string): Promise<void> {
  const w = await Wire.open(port('smtp'));
  await w.reply();
  await w.cmd('EHLO alice-pc');
  await w.cmd('MAIL FROM:<alice@crepes.fr>');
  await w.cmd('RCPT TO:<bob@hamburger.edu>');
  await w.cmd('DATA');
  expect(await w.cmd(`Subject: ${subject}\r\n\r\nclean\r\n.`)).toMatch(/^250 /);
  await w.cmd('QUIT');
  await waitFor(async () => (await subjects('bob@hamburger.edu')).includes(subject), subject, 8000);
}

const ENDINGS: [string, string][] = [
  ['LF . CRLF', '\n.\r\n'],
  ['LF . LF', '\n.\n'],
  ['CRLF . LF', '\r\n.\n'],
  ['CR . CRLF', '\r.\r\n'],
];

/** open a transaction for Bob, then send the first message's text, a smuggled second transaction, and QUIT in one write */
async function smuggle(listener: string, name: string, ending: string): Promise<{ replies: string; closed: boolean; conn: number }> {
  const w = await Wire.open(port(listener));
  await w.reply();
  await w.cmd('EHLO attacker.example');
  expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
  expect(await w.cmd('RCPT TO:<bob@hamburger.edu>')).toMatch(/^250 /);
  expect(await w.cmd('DATA')).toMatch(/^354 /);
  w.send(
    `Subject: first ${name}\r\n\r\nhello${ending}` +
      'MAIL FROM:<alice@crepes.fr>\r\nRCPT TO:<bob@hamburger.edu>\r\nDATA\r\n' +
      `Subject: smuggled ${name}\r\nFrom: admin@hamburger.edu\r\n\r\nsmuggled\r\n.\r\nQUIT\r\n`,
  );
  let replies = '';
  try {
    replies = await w.until(/(^|\n)(221|550) [^\n]*\r\n/);
  } catch (e) {
    replies = String(e);
  }
  await w.waitClosed().catch(() => undefined);
  const conns = await lab['capture.connections']();
  const conn = conns.filter((c) => c.service === listener).at(-1)?.id ?? -1;
  w.close();
  return { replies, closed: w.closed, conn };
}

describe('the four classic smuggling endings, then a second MAIL FROM inside the text', () => {
  it.each(ENDINGS)('%s on submission: 550 5.5.2, the connection closes, nothing delivered', async (name, ending) => {
    const before = await popCount('bob', 'hungry');
    const { replies, closed, conn } = await smuggle('smtp', name, ending);
    const found = ending === '\r.\r\n' ? 'bare <CR>' : 'bare <LF>';
    expect(replies).toMatch(new RegExp(`^550 5\\.5\\.2 Error: ${found} received`));
    expect(replies).not.toMatch(/^250 /m);
    expect(closed).toBe(true);
    await marker(`after submission ${name}`);
    const all = await subjects('bob@hamburger.edu');
    expect(all.filter((s) => s.includes(name) && !s.startsWith('after'))).toEqual([]);
    expect(await popCount('bob', 'hungry')).toBe(before + 1); // the marker only
    // the inspector: the refused text is one message, then the 550, then why the server closed
    lab.store.flush();
    const records = (await captured(lab)).filter((r) => r.conn === conn);
    const content = records.findIndex((r) => r.kind === 'message' && r.dir === 'c2s' && r.summary.includes(`first ${name}`));
    const refusal = records.findIndex((r) => r.dir === 's2c' && r.summary.startsWith('550 5.5.2'));
    expect(content).toBeGreaterThan(-1);
    expect(refusal).toBeGreaterThan(content);
    const notes = records.filter((r) => r.kind === 'event').map((r) => r.summary);
    expect(notes.some((n) => n.includes(found) && n.includes('refused') && n.includes('the server closes the connection'))).toBe(true);
  });

  it.each(ENDINGS)('%s on an MX: one message at most, the smuggled text inside it or refused', async (name, ending) => {
    const before = await popCount('bob', 'hungry');
    const { replies, closed } = await smuggle('smtp-hamburger', name, ending);
    await marker(`after mx ${name}`);
    const box = await lab['mail.mailbox']('bob@hamburger.edu');
    expect(box.filter((m) => m.subject === `smuggled ${name}`)).toEqual([]);
    const first = box.filter((m) => m.subject === `first ${name}`);
    if (ending === '\r.\r\n') {
      // a bare CR ends no line: the whole thing is one message, answered once, then QUIT
      expect(replies).toMatch(/^250 Message accepted[^\n]*\r\n221 /);
      expect(first).toHaveLength(1);
      const raw = (await lab['mail.message']('bob@hamburger.edu', first[0].uid))?.raw ?? '';
      expect(raw).toContain('hello\r.\r\nMAIL FROM:<alice@crepes.fr>\r\nRCPT TO:<bob@hamburger.edu>\r\nDATA\r\nSubject: smuggled');
      expect(await popCount('bob', 'hungry')).toBe(before + 2); // it and the marker
    } else {
      expect(replies).toMatch(/^550 5\.5\.2 Error: bare <LF> received next to a "\." line/);
      expect(closed).toBe(true);
      expect(first).toEqual([]);
      expect(await popCount('bob', 'hungry')).toBe(before + 1);
    }
  });
});

describe('line ends real clients send', () => {
  it('nc without -C (bare LF commands): the session works and the LF-ended "." is answered at once; nc -C delivers', async () => {
    const lines = ['HELO crepes.fr', 'MAIL FROM: <alice@crepes.fr>', 'RCPT TO: <bob@hamburger.edu>', 'DATA', 'Subject: nc lf', '', 'hello', '.', 'QUIT', ''];
    const lf = await run('nc', ['-N', '127.0.0.1', String(port('smtp-hamburger'))], { input: lines.join('\n'), timeoutMs: 10_000 });
    const got = lf.stdout.split('\r\n');
    expect(got.slice(0, 5).map((l) => l.slice(0, 4))).toEqual(['220 ', '250 ', '250 ', '250 ', '354 ']);
    expect(got[5]).toMatch(/^550 5\.5\.2 .*telnet and nc -C send it/);
    const crlf = await run('nc', ['-C', '-N', '127.0.0.1', String(port('smtp-hamburger'))], { input: lines.join('\n').replace('nc lf', 'nc crlf'), timeoutMs: 10_000 });
    expect(crlf.stdout).toMatch(/\r\n250 Message accepted for delivery[^\r]*\r\n221 hamburger\.edu closing connection\r\n$/);
    await waitFor(async () => (await subjects('bob@hamburger.edu')).includes('nc crlf'), 'nc -C delivery');
    expect(await subjects('bob@hamburger.edu')).not.toContain('nc lf');
  });

  it('an MX keeps a message with bare-LF lines (ended by CRLF.CRLF) as CRLF lines', async () => {
    const w = await Wire.open(port('smtp-hamburger'));
    await w.reply();
    await w.cmd('HELO script.example');
    await w.cmd('MAIL FROM:<alice@crepes.fr>');
    await w.cmd('RCPT TO:<bob@hamburger.edu>');
    await w.cmd('DATA');
    w.send('Subject: lf lines\n\nline one\nline two\r\n.\r\n');
    expect(await w.reply()).toMatch(/^250 /);
    await w.cmd('QUIT');
    const box = await waitFor(async () => (await lab['mail.mailbox']('bob@hamburger.edu')).find((m) => m.subject === 'lf lines'), 'lf lines');
    const raw = (await lab['mail.message']('bob@hamburger.edu', box.uid))?.raw ?? '';
    expect(raw).toContain('Subject: lf lines\r\n\r\nline one\r\nline two\r\n');
  });

  it("curl -T a file with LF lines: refused on submission; with --crlf (the README's way) it goes through", async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'message.txt');
    await fs.writeFile(file, 'From: alice@crepes.fr\nTo: bob@hamburger.edu\nSubject: curl crlf\n\nwritten in an editor\n');
    const curl = (...extra: string[]) =>
      run('curl', ['-sS', `smtp://127.0.0.1:${port('smtp')}`, '--mail-from', 'alice@crepes.fr', '--mail-rcpt', 'bob@hamburger.edu', ...extra, '-T', file], { timeoutMs: 15_000 });
    const refused = await curl('-v');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('< 550 5.5.2 Error: bare <LF> received');
    const sent = await curl('--crlf');
    expect(sent.code, sent.stderr).toBe(0);
    await waitFor(async () => (await subjects('bob@hamburger.edu')).includes('curl crlf'), 'curl --crlf delivery', 8000);
  });
});

describe('NUL and control characters in paths', () => {
  it('MAIL FROM and RCPT TO with NUL, CR or ESC get 501; the session goes on', async () => {
    for (const listener of ['smtp', 'smtp-hamburger']) {
      const w = await Wire.open(port(listener));
      await w.reply();
      await w.cmd('EHLO alice-pc');
      expect(await w.cmd('MAIL FROM:<alice\0@crepes.fr>')).toMatch(/^501 .*NUL and control characters/);
      expect(await w.cmd('MAIL FROM:<alice@crepes.fr>\0')).toMatch(/^501 /);
      expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
      expect(await w.cmd('RCPT TO:<bob\0@hamburger.edu>')).toMatch(/^501 .*NUL and control characters/);
      expect(await w.cmd('RCPT TO:<bob\r@hamburger.edu>')).toMatch(/^501 /);
      expect(await w.cmd('RCPT TO:<bob\x1b[2J@hamburger.edu>')).toMatch(/^501 /);
      expect(await w.cmd('HELO evil\0host')).toMatch(/^501 /);
      expect(await w.cmd('RCPT TO:<bob@hamburger.edu>')).toMatch(/^250 /);
      expect(await w.cmd('QUIT')).toMatch(/^221 /);
      w.close();
    }
  });
});
