/**
 * Maildir files with LF line ends (the convention of qmail, Postfix, Dovecot), CRLF on the
 * wire: POP3 gives back exactly the bytes SMTP carried (dot-stuffing and bare CRs included),
 * s-nail and mutt read the lab's Maildir cleanly, and a CRLF mailbox from an older lab is
 * converted at start, once, without losing or doubling a message.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, tempDir, waitFor } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';
import { PYTHON, run } from '../../helpers/proc';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;

/** the message as SMTP carries it after unstuffing: a dot line, a bare CR mid-line, one just before a line end, a "." after a bare CR */
const TRICKY = Buffer.from(
  'From: <alice@crepes.fr>\r\nTo: <bob@hamburger.edu>\r\nSubject: tricky lines\r\n\r\n' +
    '.a line that starts with a dot\r\n..two dots\r\n' +
    'carriage\rreturn inside\r\nends in a bare CR\r\r\ncr\r.dot after it\r\n' +
    'caf\xc3\xa9 8-bit\r\nlast line\r\n',
  'latin1',
);
/** what a client writes on the SMTP wire for it: dot-stuffed at line starts (RFC 5321 §4.5.2) */
const STUFFED = Buffer.from(TRICKY.toString('latin1').replace(/(^|\n)\./g, '$1..'), 'latin1');

const PLAIN = 'From: Alice <alice@crepes.fr>\r\nTo: Bob <bob@hamburger.edu>\r\nSubject: plain lab message\r\nDate: Sat, 05 Dec 2026 21:00:00 +0000\r\n\r\nDo you like ketchup?\r\nHow about pickles?\r\n';

async function sendRaw(portNo: number, to: string, data: Buffer): Promise<void> {
  const w = await Wire.open(portNo);
  await w.reply();
  await w.cmd('HELO crepes.fr');
  expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
  expect(await w.cmd(`RCPT TO:<${to}>`)).toMatch(/^250 /);
  expect(await w.cmd('DATA')).toMatch(/^354 /);
  w.send(data);
  expect(await w.cmd('.')).toMatch(/^250 /);
  await w.cmd('QUIT');
  w.close();
}

const crlfs = (b: Buffer): number => b.toString('latin1').split('\r\n').length - 1;

/** every file of a mailbox, name → bytes */
async function files(domain: string, user: string, dir = dataDir): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const sub of ['new', 'cur']) {
    const d = path.join(dir, 'mail', domain, user, sub);
    for (const name of await fs.readdir(d).catch(() => [] as string[])) out.set(`${sub}/${name}`, await fs.readFile(path.join(d, name)));
  }
  return out;
}

/** python3's poplib: each message RETR'd (lines joined as RFC 1939 frames them), its LIST size and TOP n 10000, hex */
async function poplibAll(popPort: number, user: string, pass: string): Promise<{ retr: Buffer; size: number; top: Buffer }[]> {
  const script = [
    'import poplib, json',
    `p = poplib.POP3('127.0.0.1', ${popPort}); p.user('${user}'); p.pass_('${pass}')`,
    'out = []',
    'for i in range(1, len(p.list()[1]) + 1):',
    "    r = b'\\r\\n'.join(p.retr(i)[1]) + b'\\r\\n'",
    "    t = b'\\r\\n'.join(p.top(i, 10000)[1]) + b'\\r\\n'",
    "    out.append({'retr': r.hex(), 'size': int(p.list(i).split()[2]), 'top': t.hex()})",
    'p.quit()',
    'print(json.dumps(out))',
  ].join('\n');
  const res = await run(PYTHON, ['-c', script], { timeoutMs: 15_000 });
  expect(res.code, res.stderr).toBe(0);
  return (JSON.parse(res.stdout) as { retr: string; size: number; top: string }[]).map((m) => ({ retr: Buffer.from(m.retr, 'hex'), size: m.size, top: Buffer.from(m.top, 'hex') }));
}

beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
});
afterAll(async () => {
  await lab?.shutdown();
});

describe('Maildir stores LF, POP3 gives back CRLF byte for byte', () => {
  it('a message with dot lines and bare CRs: the file has LF line ends, poplib RETR and TOP return exactly what was sent', async () => {
    // the MX accepts bare CRs (it normalises bare line ends, as Postfix can); submission refuses them
    await sendRaw(port('smtp-hamburger'), 'bob@hamburger.edu', STUFFED);
    const box = await waitFor(async () => {
      const f = await files('hamburger.edu', 'bob');
      return f.size === 1 ? f : null;
    }, 'the message in bob\'s Maildir', 8000);
    const [[name, disk]] = [...box];
    // the only CR LF left is the bare CR that stood before a line end
    expect(crlfs(disk)).toBe(1);
    expect(disk.toString('latin1')).toContain('\nSubject: tricky lines\n\n.a line that starts with a dot\n');
    expect(disk.toString('latin1')).toContain('carriage\rreturn inside\nends in a bare CR\r\ncr\r.dot after it\n');
    expect(name).toMatch(new RegExp(`,S=${disk.length},W=\\d+$`));

    const [m] = await poplibAll(port('pop3'), 'bob', 'hungry');
    expect(m.retr.subarray(0, 13).toString()).toBe('Return-Path: ');
    // the lab adds its trace headers in front, and nothing else changes
    expect(m.retr.subarray(m.retr.length - TRICKY.length).equals(TRICKY)).toBe(true);
    expect(m.size).toBe(m.retr.length);
    expect(Number(/,W=(\d+)$/.exec(name)?.[1])).toBe(m.retr.length);
    expect(m.top.equals(m.retr)).toBe(true);
  });

  it('s-nail lists and reads a lab message: no "Malformed message", no stray CR', async () => {
    await sendRaw(port('smtp-hamburger'), 'carol@hamburger.edu', Buffer.from(PLAIN));
    await waitFor(async () => (await files('hamburger.edu', 'carol')).size === 1, 'carol has it', 8000);
    const dir = path.join(dataDir, 'mail', 'hamburger.edu', 'carol');
    const out = await run('s-nail', ['-N', '-R', '-:/', '-Y', 'headers', '-Y', 'type 1', '-Y', 'quit', '-f', `maildir://${dir}`], {
      timeoutMs: 15_000,
      env: { ...process.env, HOME: await tempDir(), MAILRC: '/dev/null', LC_ALL: 'C.UTF-8' },
    });
    const all = out.stdout + out.stderr;
    expect(all).toMatch(/alice@crepes\.fr .*plain lab message/);
    expect(all).toContain('Do you like ketchup?\nHow about pickles?');
    expect(all).not.toMatch(/Malformed|Not a header line/);
    expect(all).not.toMatch(/[\r\u240d]/);
  });

  it('mutt reads the same message with clean headers and body', async () => {
    const home = await tempDir();
    const dir = path.join(dataDir, 'mail', 'hamburger.edu', 'carol');
    const piped = path.join(home, 'piped.txt');
    const mutt = `mutt -n -R -F /dev/null -f ${dir} -e 'set folder=${dir}; set wait_key=no; set quit=yes; set pipe_decode=yes; push "<pipe-message>cat > ${piped}<enter><quit>"'`;
    // mutt wants a terminal: script(1) gives it one
    const out = await run('script', ['-qfc', mutt, '/dev/null'], { timeoutMs: 20_000, env: { ...process.env, HOME: home, TERM: 'xterm' } });
    expect(out.stdout).toContain('plain lab message');
    const text = await fs.readFile(piped, 'latin1');
    expect(text).toMatch(/^Subject: plain lab message$/m);
    expect(text).toContain('\n\nDo you like ketchup?\nHow about pickles?\n');
    expect(text).not.toContain('\r');
  });
});

describe('a CRLF mailbox from an older lab', () => {
  const wire = (s: string): Buffer => Buffer.from(`Return-Path: <alice@crepes.fr>\r\nSubject: ${s}\r\n\r\n.dot\r\nbare\rCR\r\r\nend\r\n`, 'latin1');
  const onDisk = (x: Buffer): number => x.length - (x.toString('latin1').match(/\r\n/g)?.length ?? 0);
  it('is converted at start (new file, then rename), once; a conversion cut short is finished, not doubled', async () => {
    const dir = await tempDir();
    const box = path.join(dir, 'mail', 'hamburger.edu', 'bob');
    for (const sub of ['new', 'cur', 'tmp']) await fs.mkdir(path.join(box, sub), { recursive: true });
    const a = wire('old one');
    const b = wire('old two');
    const c = wire('cut short');
    await fs.writeFile(path.join(box, 'new', `1700000000.M1R1.netlab,S=${a.length}`), a);
    await fs.writeFile(path.join(box, 'cur', `1700000001.M2R1.netlab,S=${b.length}:2,S`), b);
    // a crash after the rename and before the old file went: both are there
    const cDisk = Buffer.from(c.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    await fs.writeFile(path.join(box, 'new', `1700000002.M3R1.netlab,S=${c.length}`), c);
    await fs.writeFile(path.join(box, 'new', `1700000002.M3R1.netlab,S=${cDisk.length},W=${c.length}`), cDisk);

    const labs: Lab[] = [];
    try {
      const first = await startLab(dir);
      labs.push(first.lab);
      const after = await files('hamburger.edu', 'bob', dir);
      expect([...after.keys()].sort()).toEqual([
        `cur/1700000001.M2R1.netlab,S=${onDisk(b)},W=${b.length}:2,S`,
        `new/1700000000.M1R1.netlab,S=${onDisk(a)},W=${a.length}`,
        `new/1700000002.M3R1.netlab,S=${cDisk.length},W=${c.length}`,
      ]);
      for (const bytes of after.values()) expect(crlfs(bytes)).toBe(1); // "bare" CR "\r\r\n" keeps its bare CR
      expect(await fs.readdir(path.join(box, 'tmp'))).toEqual([]);
      const got = await poplibAll(first.port('pop3'), 'bob', 'hungry');
      expect(got.map((m) => m.retr.toString('latin1'))).toEqual([a, b, c].map((x) => x.toString('latin1')));
      expect(got.map((m) => m.size)).toEqual([a.length, b.length, c.length]);
      await labs.pop()?.shutdown();

      // a second start changes nothing
      labs.push((await startLab(dir)).lab);
      const again = await files('hamburger.edu', 'bob', dir);
      expect([...again.entries()]).toEqual([...after.entries()]);
    } finally {
      for (const l of labs) await l.shutdown();
    }
  });
});
