/**
 * Real mail clients against the lab: swaks (plain, several recipients, an attachment,
 * pipelining), python3's smtplib and poplib, curl's smtp:// and pop3://.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, tempDir, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

const PY = '/usr/bin/python3';
let lab: Lab;
let port: (id: string) => number;

async function subjects(address: string): Promise<string[]> {
  return (await lab['mail.mailbox'](address)).map((m) => m.subject);
}

async function arrives(address: string, subject: string): Promise<void> {
  await waitFor(async () => (await subjects(address)).includes(subject), `${subject} in ${address}`, 8000);
}

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

describe('swaks', () => {
  const swaks = (...args: string[]) =>
    run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--helo', 'alice-pc', ...args], { timeoutMs: 15_000 });

  it('plain submission, relayed to bob', async () => {
    const out = await swaks('--to', 'bob@hamburger.edu', '--header', 'Subject: swaks plain', '--body', 'Do you like ketchup?');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('<-  250 Message accepted for delivery');
    await arrives('bob@hamburger.edu', 'swaks plain');
  });

  it('several recipients in two domains, pipelined', async () => {
    const out = await swaks('--to', 'bob@hamburger.edu,carol@hamburger.edu,pierre@crepes.fr', '--pipeline', '--header', 'Subject: swaks multi');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    await Promise.all(['bob@hamburger.edu', 'carol@hamburger.edu', 'pierre@crepes.fr'].map((a) => arrives(a, 'swaks multi')));
  });

  it('an attachment arrives as a MIME part, shown as an image', async () => {
    const dir = await tempDir();
    const png = path.join(dir, 'pickles.png');
    // a 1x1 PNG
    await fs.writeFile(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
    const out = await swaks('--to', 'bob@hamburger.edu', '--header', 'Subject: swaks attach', '--attach-type', 'image/png', '--attach', `@${png}`);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    await arrives('bob@hamburger.edu', 'swaks attach');
    const box = await lab['mail.mailbox']('bob@hamburger.edu');
    const uid = box.find((m) => m.subject === 'swaks attach')?.uid ?? '';
    const detail = await lab['mail.message']('bob@hamburger.edu', uid);
    expect(detail?.mime.contentType).toBe('multipart/mixed');
    expect(detail?.attachments[0]?.contentType).toBe('image/png');
    expect(detail?.attachments[0]?.dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(detail?.hops.map((h) => h.by)).toEqual(['mail.crepes.fr', 'mail.hamburger.edu']);
    expect(detail?.hops.every((h) => typeof h.conn === 'number')).toBe(true);
    expect(detail?.returnPath).toContain('alice@crepes.fr');
  });

  it('an outside recipient is refused: the lab is never an open relay', async () => {
    const out = await swaks('--to', 'someone@example.com');
    expect(out.code).not.toBe(0);
    expect(out.stdout).toMatch(/<\*\* 550 .*Relaying denied/);
  });
});

describe('python3 smtplib and poplib', () => {
  it('send with smtplib, read and delete with poplib', async () => {
    const script = `
import smtplib, poplib, sys
from email.message import EmailMessage
m = EmailMessage()
m['From'] = 'bob@hamburger.edu'; m['To'] = 'dave@networkutopia.com'; m['Subject'] = 'from smtplib'
m.set_content('Héllo from Python, with an accent')
s = smtplib.SMTP('127.0.0.1', ${port('smtp')}); s.ehlo('bob-laptop')
assert s.has_extn('pipelining') and s.has_extn('8bitmime')
s.send_message(m); s.quit()
import time
for _ in range(100):
    p = poplib.POP3('127.0.0.1', ${port('pop3')}); p.user('dave'); p.pass_('startup')
    n, size = p.stat()
    if n: break
    p.quit(); time.sleep(0.05)
resp, lines, octets = p.retr(1)
text = b'\\r\\n'.join(lines).decode()
assert 'Subject: from smtplib' in text, text
print('uidl', p.uidl()[1][0].decode())
p.dele(1); p.quit()
p = poplib.POP3('127.0.0.1', ${port('pop3')}); p.user('dave@networkutopia.com'); p.pass_('startup')
print('left', p.stat()[0]); p.quit()
`;
    const out = await run(PY, ['-c', script], { timeoutMs: 15_000 });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/uidl 1 \S+\nleft 0\n/);
  });
});

describe('curl', () => {
  it('smtp:// upload, pop3:// list and retrieve', async () => {
    const mail = 'From: carol@hamburger.edu\r\nTo: bob@hamburger.edu\r\nSubject: from curl\r\n\r\nsent with curl\r\n';
    const sent = await run(
      'curl',
      ['-sS', `smtp://127.0.0.1:${port('smtp')}`, '--mail-from', 'carol@hamburger.edu', '--mail-rcpt', 'bob@hamburger.edu', '-T', '-'],
      { input: mail, timeoutMs: 15_000 },
    );
    expect(sent.code, sent.stderr).toBe(0);
    await arrives('bob@hamburger.edu', 'from curl');
    const list = await run('curl', ['-sS', '-u', 'bob:hungry', `pop3://127.0.0.1:${port('pop3')}/`]);
    expect(list.code, list.stderr).toBe(0);
    const n = list.stdout.trim().split(/\r?\n/).length;
    expect(n).toBeGreaterThanOrEqual(4);
    const box = await lab['mail.mailbox']('bob@hamburger.edu');
    const index = box.length - box.findIndex((m) => m.subject === 'from curl');
    const retr = await run('curl', ['-sS', '-u', 'bob:hungry', `pop3://127.0.0.1:${port('pop3')}/${index}`]);
    expect(retr.stdout).toContain('Subject: from curl');
    expect(retr.stdout).toContain('sent with curl');
  });
});
