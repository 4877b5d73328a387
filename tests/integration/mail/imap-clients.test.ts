/**
 * IMAP with the clients a student points at it: curl's imap://, mutt with an imap:// folder,
 * `telnet mail.hamburger.edu 143` in the lab terminal; the same message fetched by POP3's
 * RETR and IMAP's BODY[] is the same bytes; the inspector pairs each command with its completion.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { imaplib, PY } from '../../helpers/imap';
import { deliver } from '../../helpers/maildir';
import { captured, startLab, tempDir, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
  await deliver(lab, port, 'dave@networkutopia.com', 'curl me', 'line one\r\n..line two with a dot');
});
afterAll(() => lab.shutdown());

describe('IMAP clients', () => {
  it('curl imap://: the folder listing, and ;UID=1 is the message', async () => {
    const url = `imap://127.0.0.1:${port('imap')}`;
    const list = await run('curl', ['-sS', '--max-time', '10', '-u', 'dave:startup', `${url}/`]);
    expect(list.stdout, list.stderr).toContain('* LIST (\\HasNoChildren) "." "INBOX"');
    // a folder and no message: curl lists that folder
    const box = await run('curl', ['-sS', '--max-time', '10', '-u', 'dave:startup', `${url}/INBOX`]);
    expect(box.stdout, box.stderr).toContain('* LIST (\\HasNoChildren) "." "INBOX"');
    const msg = await run('curl', ['-sS', '--max-time', '10', '-u', 'dave:startup', `${url}/INBOX;UID=1`]);
    expect(msg.stdout, msg.stderr).toMatch(/^Return-Path: <alice@crepes.fr>\r\n[\s\S]*Subject: curl me\r\n\r\nline one\r\n\.line two with a dot\r\n$/);
    const bad = await run('curl', ['-sS', '--max-time', '10', '-u', 'dave:wrong', `${url}/INBOX;UID=1`]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Login denied|denied|failed/i);
  });

  it('POP3 RETR and IMAP BODY[] give the same bytes', async () => {
    const out = await run(PY, [
      '-c',
      `import poplib, imaplib, hashlib
p = poplib.POP3('127.0.0.1', ${port('pop3')}); p.user('dave'); p.pass_('startup')
pop = b'\\r\\n'.join(p.retr(1)[1]) + b'\\r\\n'; p.quit()
m = imaplib.IMAP4('127.0.0.1', ${port('imap')}); m.login('dave', 'startup'); m.select('INBOX', readonly=True)
imap = m.fetch('1', '(BODY.PEEK[])')[1][0][1]; size = m.fetch('1', '(RFC822.SIZE)')[1][0]; m.logout()
print(len(pop), len(imap), pop == imap, size.decode())`,
    ]);
    const [popLen, imapLen, same, size] = out.stdout.trim().split(' ');
    expect(same, out.stderr).toBe('True');
    expect(popLen).toBe(imapLen);
    expect(out.stdout).toContain(`RFC822.SIZE ${imapLen})`);
  });

  it('a 3 MiB message APPENDed with imaplib comes back byte for byte, by IMAP and by POP3', async () => {
    const out = await imaplib(
      port('imap'),
      `
import poplib, hashlib
body = b''.join(b'line %06d of a large message\\r\\n' % i for i in range(100000))
msg = b'From: Pierre <pierre@crepes.fr>\\r\\nSubject: big\\r\\n\\r\\n' + body
m = imaplib.IMAP4('127.0.0.1', PORT)
m.login('pierre', 'baguette')
print(m.append('INBOX', None, None, msg)[0])
m.select('INBOX')
got = m.fetch('1', '(BODY.PEEK[])')[1][0][1]
m.logout()
p = poplib.POP3('127.0.0.1', ${port('pop3')}); p.user('pierre'); p.pass_('baguette')
pop = b'\\r\\n'.join(p.retr(1)[1]) + b'\\r\\n'; p.quit()
print(len(msg), got == msg, pop == msg)
`,
      30_000,
    );
    expect(out).toMatch(/^OK\n\d{7} True True\n$/);
  });

  it('mutt reads an imap:// folder and copies a message to another folder', async () => {
    const dir = await tempDir();
    const rc = path.join(dir, 'muttrc');
    await fs.writeFile(
      rc,
      [`set imap_user=dave`, `set imap_pass=startup`, `set folder=imap://127.0.0.1:${port('imap')}/`, 'set spoolfile=+INBOX', 'set confirmappend=no', 'set quit=yes', 'set move=no', 'set ssl_starttls=no', 'set ssl_force_tls=no', ''].join('\n'),
    );
    await imaplib(port('imap'), `m = imaplib.IMAP4('127.0.0.1', PORT); m.login('dave', 'startup'); m.create('Saved'); m.logout()`);
    const out = await run('script', ['-qec', `mutt -n -F ${rc} -f imap://127.0.0.1:${port('imap')}/INBOX -e 'push "<copy-message>=Saved<enter><quit>"'`, '/dev/null'], {
      env: { ...process.env, HOME: dir, TERM: 'xterm' },
      timeoutMs: 20_000,
    });
    // the index mutt drew from the FETCH of the headers
    expect(out.stdout).toMatch(/ 1 .{1,20}Alice +\(\d\.\dK\) curl me/);
    const status = await imaplib(port('imap'), `m = imaplib.IMAP4('127.0.0.1', PORT); m.login('dave', 'startup'); print(m.status('Saved', '(MESSAGES)')[1]); m.logout()`);
    expect(status).toContain('"Saved" (MESSAGES 1)');
  });

  it('telnet mail.hamburger.edu 143 in the lab terminal; the inspector pairs tags', async () => {
    let screen = '';
    const { session } = await lab['terminal.open']({ cols: 100, rows: 30 });
    const off = lab.on('terminal.output', (o) => {
      if (o.session === session) screen += o.data;
    });
    const see = (text: string) => waitFor(() => screen.includes(text), `"${text}" on the terminal:\n${screen}`);
    await lab['terminal.input'](session, 'telnet mail.hamburger.edu 143\r');
    await see('* OK [CAPABILITY IMAP4rev1');
    await lab['terminal.input'](session, 'a1 login bob hungry\r');
    await see('a1 OK');
    await lab['terminal.input'](session, 'a2 select inbox\r');
    await see('a2 OK [READ-WRITE] SELECT completed');
    await lab['terminal.input'](session, 'a3 logout\r');
    await see('a3 OK LOGOUT completed');
    off();
    await lab['terminal.close'](session);
    lab.store.flush();
    const imap = (await captured(lab)).filter((m) => m.protocol === 'imap' && m.kind === 'message');
    const select = imap.find((m) => m.dir === 's2c' && m.summary.startsWith('a2 OK'));
    expect(select?.summary).toMatch(/^a2 OK \[READ-WRITE\] SELECT completed \(\+ \d+ untagged: \* FLAGS/);
    const detail = await lab['capture.detail'](select?.id ?? 0);
    expect(JSON.stringify(detail?.fields)).toContain('"name":"Tag","value":"a2"');
    expect(imap.find((m) => m.dir === 'c2s' && m.summary.startsWith('a2 select'))).toBeTruthy();
    // display filters on the decoded fields: the command, and both halves of tag a2
    const byId = new Map(imap.map((m) => [m.id, m.summary]));
    const summaries = async (filter: string) => (await lab['capture.match']({ filter }, 0)).map((id) => byId.get(id));
    const conn = imap.find((m) => m.summary.startsWith('a2 select'))?.conn;
    expect(await summaries(`imap.command == SELECT && tcp.stream == ${conn}`)).toEqual(['a2 select inbox\\r\\n']);
    expect((await summaries(`imap.tag == a2 && tcp.stream == ${conn}`)).map((s) => s?.slice(0, 9))).toEqual(['a2 select', 'a2 OK [RE']);
  });
});
