/**
 * IMAP and bad input, over raw sockets: each mistake gets its tagged BAD or NO (or a BYE when
 * the connection cannot go on), the server keeps serving the next client, and no stored mail
 * is lost. Wrong passwords are slowed and counted with POP3's and SMTP AUTH's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { mailSystemOf } from '../../../src-main/lab/mail/mail-services';
import { deliver } from '../../helpers/maildir';
import { startLab } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';

let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
  const mail = mailSystemOf(lab.services);
  if (!mail) throw new Error('no mail system');
  mail.logins.limits = { delayMs: 200, perConnection: 3, perAddress: 50, windowMs: 60_000, lockoutMs: 1000 };
  await deliver(lab, port, 'bob@hamburger.edu', 'keep me');
});
afterAll(() => lab.shutdown());

async function open(from?: string): Promise<Wire> {
  const w = await Wire.open(port('imap'), from);
  await w.until(/^\* OK .*\r\n$/);
  return w;
}

/** send a command, read up to its tagged completion */
async function cmd(w: Wire, line: string): Promise<string> {
  const tag = line.split(' ')[0];
  w.line(line);
  return w.until(new RegExp(`(^|\\n)${tag} (OK|NO|BAD) [^\\n]*\\r\\n$`));
}

describe('IMAP bad input', () => {
  it('unknown commands, bad syntax, commands in the wrong state: BAD or NO, the session goes on', async () => {
    const w = await open();
    expect(await cmd(w, 'a1 FROB')).toBe('a1 BAD unknown command FROB\r\n');
    w.line('no-command-here');
    expect(await w.until(/\r\n$/)).toBe('* BAD a command is a tag, a space and a command name\r\n');
    expect(await cmd(w, 'a2 FETCH 1 BODY[]')).toBe('a2 BAD FETCH needs LOGIN first\r\n');
    expect(await cmd(w, 'a3 LOGIN "bob hungry')).toBe('a3 BAD unterminated quoted string\r\n');
    expect(await cmd(w, 'a4 LOGIN bob hungry')).toMatch(/^a4 OK /);
    expect(await cmd(w, 'a0 ID ("name" "test")')).toMatch(/^\* ID \("name" "NetLab"[^\n]*\r\na0 OK ID completed\r\n$/);
    expect(await cmd(w, 'a0 NAMESPACE')).toBe('* NAMESPACE (("" ".")) NIL NIL\r\na0 OK NAMESPACE completed\r\n');
    expect(await cmd(w, 'a5 FETCH 1 BODY[]')).toBe('a5 BAD FETCH needs a folder: SELECT one first\r\n');
    expect(await cmd(w, 'a6 SELECT Nowhere')).toBe('a6 NO [NONEXISTENT] no folder Nowhere\r\n');
    expect(await cmd(w, 'a7 CREATE ../../etc')).toMatch(/^a7 BAD CREATE needs a folder name/);
    expect(await cmd(w, 'a8 SELECT INBOX')).toMatch(/\* 1 EXISTS\r\n[\s\S]*a8 OK \[READ-WRITE\]/);
    expect(await cmd(w, 'a9 FETCH 7 FLAGS')).toMatch(/^a9 BAD no such message/);
    expect(await cmd(w, 'b1 FETCH 1 (FLAGS BODY[NOPE])')).toBe('b1 BAD bad section [NOPE]\r\n');
    expect(await cmd(w, 'b2 SEARCH FROBNICATE')).toBe('b2 BAD unknown search key FROBNICATE\r\n');
    expect(await cmd(w, 'b3 STORE 1 +FLAGS (\\Bogus)')).toBe('b3 BAD unknown system flag\r\n');
    expect(await cmd(w, 'b4 COPY 1 Nowhere')).toBe('b4 NO [TRYCREATE] no folder Nowhere\r\n');
    expect(await cmd(w, 'b5 FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])')).toContain('Subject: keep me\r\n\r\n');
    expect(await cmd(w, 'b6 LOGOUT')).toMatch(/^\* BYE .*\r\nb6 OK LOGOUT completed\r\n$/);
    await w.waitClosed();
  });

  it('an oversize literal is refused before it is sent; an endless line ends the session; nothing stored changes', async () => {
    const w = await open();
    // before login a literal can only be a name or a password
    w.line('a0 LOGIN {100000}');
    expect(await w.until(/\r\n$/)).toBe('a0 BAD [TOOBIG] literal of 100000 octets too large (a literal at most 8192 octets before login)\r\n');
    await cmd(w, 'a1 LOGIN bob hungry');
    w.line('a2 APPEND INBOX {999999999}');
    // no "+ Ready": the client must not send the literal
    expect(await w.until(/\r\n$/)).toMatch(/^a2 BAD \[TOOBIG\] literal of 999999999 octets too large/);
    expect(await cmd(w, 'a3 NOOP')).toBe('a3 OK NOOP completed\r\n');
    // a literal within the limit goes through the continuation
    w.line('a4 APPEND INBOX (\\Seen) {28}');
    expect(await w.until(/\r\n$/)).toBe('+ Ready for literal data\r\n');
    // the 28 octets, then the CRLF that ends the command line
    w.send('Subject: appended\r\n\r\nhello\r\n\r\n');
    expect(await w.until(/a4 [^\n]*\r\n$/)).toMatch(/^a4 OK \[APPENDUID \d+ 2\] APPEND completed\r\n$/);
    w.send(`a5 NOOP ${'x'.repeat(20_000)}`);
    expect(await w.until(/\r\n$/)).toBe('* BYE command line too long\r\n');
    await w.waitClosed();
    // the service keeps serving; the message is still there, the appended one beside it
    const again = await open();
    await cmd(again, 'b1 LOGIN bob hungry');
    const fetched = await cmd(again, 'b2 EXAMINE INBOX');
    expect(fetched).toContain('* 2 EXISTS');
    expect((await lab['mail.mailbox']('bob@hamburger.edu')).map((m) => m.subject).sort()).toEqual(['appended', 'keep me']);
    again.close();
  });

  it('a wrong password: NO after the delay, the third closes the connection; the right one still works', async () => {
    const w = await open('127.0.0.5');
    const started = Date.now();
    expect(await cmd(w, 'a1 LOGIN bob wrong')).toBe('a1 NO [AUTHENTICATIONFAILED] invalid user name or password\r\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const plain = Buffer.from('\0bob\0nope').toString('base64');
    expect(await cmd(w, `a2 AUTHENTICATE PLAIN ${plain}`)).toMatch(/^a2 NO \[AUTHENTICATIONFAILED\]/);
    w.line('a3 LOGIN bob alsowrong');
    expect(await w.until(/BYE[^\n]*\r\n$/)).toMatch(/^a3 NO \[AUTHENTICATIONFAILED\] [^\n]*\r\n\* BYE too many failed logins\r\n$/);
    await w.waitClosed();
    const ok = await open('127.0.0.5');
    ok.line('b1 AUTHENTICATE PLAIN');
    expect(await ok.until(/\r\n$/)).toBe('+ \r\n');
    ok.line(Buffer.from('\0bob\0hungry').toString('base64'));
    expect(await ok.until(/\r\n$/)).toMatch(/^b1 OK /);
    ok.close();
  });

  it('an HTTP request on the IMAP port is refused and the connection closed', async () => {
    const w = await open();
    w.send('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await w.until(/\r\n$/)).toBe('* BYE HTTP requests are not served on an IMAP port\r\n');
    await w.waitClosed();
  });
});
