/**
 * STARTTLS on SMTP (RFC 3207), STLS on POP3 (RFC 2595), STARTTLS on IMAP (RFC 3501 §6.2.1)
 * with real clients that check the lab CA: swaks, python's smtplib/poplib/imaplib, curl, fetchmail.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, startLab, tempDir, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { tsharkFields, writeTemp } from '../../helpers/tshark';

let lab: Lab;
let port: (id: string) => number;
let caFile: string;

beforeAll(async () => {
  const started = await startLab();
  ({ lab, port } = started);
  caFile = path.join(started.dataDir, 'tls', 'lab-ca.pem');
  await lab['web.labCa']();
});
afterAll(() => lab.shutdown());

async function arrives(address: string, subject: string): Promise<void> {
  await waitFor(async () => (await lab['mail.mailbox'](address)).some((m) => m.subject === subject), `${subject} in ${address}`, 8000);
}

const py = (code: string, ...args: string[]) => run('python3', ['-c', code, caFile, ...args], { timeoutMs: 15_000 });

describe('SMTP STARTTLS', () => {
  it('swaks --tls: EHLO offers STARTTLS, the mail goes through TLS with AUTH inside, and arrives', async () => {
    const out = await run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp')), '--tls', '--tls-verify', '--tls-ca-path', caFile, '--tls-sni', 'localhost',
      '--auth', 'PLAIN', '--auth-user', 'alice', '--auth-password', 'hungry', '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--header', 'Subject: over tls'], { timeoutMs: 15_000 });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/<-  250-STARTTLS/);
    expect(out.stdout).toMatch(/<-  220 2\.0\.0 Ready to start TLS/);
    expect(out.stdout).toMatch(/=== TLS started with cipher TLSv1\.3/);
    // after TLS the session starts over: a new EHLO, and STARTTLS is not offered again
    expect(out.stdout).toMatch(/~> EHLO[\s\S]*<~  250-AUTH PLAIN LOGIN/);
    expect(out.stdout).not.toMatch(/<~  250-STARTTLS/);
    await arrives('bob@hamburger.edu', 'over tls');
    const rows = (await captured(lab)).filter((m) => m.service === 'smtp');
    expect(rows.some((m) => m.protocol === 'tls' && /ClientHello/.test(m.summary))).toBe(true);
    expect(rows.some((m) => m.protocol === 'smtp' && /^inside TLS · AUTH PLAIN/.test(m.summary))).toBe(true);
  });

  it('pcapng: STARTTLS in the clear, then TLS records on the same connection; the AUTH sent inside TLS is not on the wire', async () => {
    const file = await writeTemp('starttls.pcapng', Buffer.from(await lab['capture.exportPcapng']({ service: 'smtp' }), 'base64'));
    expect(await tsharkFields(file, 'smtp.command_line contains "STARTTLS"', ['tcp.dstport'])).toContainEqual(['25']);
    expect(await tsharkFields(file, 'smtp.command_line contains "EHLO"', ['frame.number'])).not.toHaveLength(0);
    expect(await tsharkFields(file, 'tls.handshake.type == 1', ['frame.number'])).not.toHaveLength(0);
    expect(await tsharkFields(file, 'smtp.command_line contains "AUTH"', ['frame.number'])).toHaveLength(0);
  });

  it('python smtplib.starttls with a context that trusts only the lab CA', async () => {
    const out = await py(`
import smtplib, ssl, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[2]), timeout=10)
s.ehlo('alice-pc'); print('starttls' in s.esmtp_features)
s.starttls(context=ssl.create_default_context(cafile=sys.argv[1]))
s.ehlo('alice-pc'); print('starttls' in s.esmtp_features, s.sock.version())
s.login('alice', 'hungry')
s.sendmail('alice@crepes.fr', ['carol@hamburger.edu'], 'Subject: smtplib tls\\r\\n\\r\\nhi\\r\\n')
print(s.docmd('STARTTLS'))
s.quit()
`, String(port('smtp')));
    expect(out.stderr).toBe('');
    const [offered, after, again] = out.stdout.trim().split('\n');
    expect(offered).toBe('True');
    expect(after).toMatch(/^False TLSv1\.3$/);
    expect(again).toMatch(/^\(503, b'5\.5\.1 TLS already active'\)$/);
    await arrives('carol@hamburger.edu', 'smtplib tls');
  });

  it('commands pipelined after STARTTLS in the clear are discarded (RFC 3207 §4)', async () => {
    const out = await py(`
import socket, ssl, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10)
f = s.makefile('rb')
f.readline()
s.sendall(b'EHLO x\\r\\n')
while not f.readline().startswith(b'250 '): pass
s.sendall(b'STARTTLS\\r\\nMAIL FROM:<mallory@crepes.fr>\\r\\n')
print(f.readline().decode().strip())
t = ssl.create_default_context(cafile=sys.argv[1]).wrap_socket(s, server_hostname='localhost')
g = t.makefile('rb')
t.sendall(b'RCPT TO:<bob@hamburger.edu>\\r\\n')
print(g.readline().decode().strip())
`, String(port('smtp')));
    expect(out.stderr).toBe('');
    const [ready, rcpt] = out.stdout.trim().split('\n');
    expect(ready).toMatch(/^220 /);
    // the injected MAIL FROM was not taken: inside TLS the session starts with no sender
    expect(rcpt).toMatch(/^503 /);
    expect((await captured(lab)).some((m) => /bytes sent after STARTTLS, before the handshake: discarded/.test(m.summary))).toBe(true);
  });

  it('an MX listener offers STARTTLS too', async () => {
    const out = await run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp-hamburger')), '--tls', '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--header', 'Subject: mx tls'], { timeoutMs: 15_000 });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    await arrives('bob@hamburger.edu', 'mx tls');
  });
});

describe('POP3 STLS', () => {
  it('poplib.stls: CAPA lists STLS before TLS and not after; RETR works inside; STLS twice is -ERR', async () => {
    const out = await py(`
import poplib, ssl, sys
p = poplib.POP3('127.0.0.1', int(sys.argv[2]), timeout=10)
print('STLS' in p.capa())
p.stls(context=ssl.create_default_context(cafile=sys.argv[1]))
print('STLS' in p.capa(), p.sock.version())
try:
  p._shortcmd('STLS')
except poplib.error_proto as e:
  print(e)
p.user('bob'); p.pass_('hungry')
print(p.stat()[0] >= 0)
p.quit()
`, String(port('pop3')));
    expect(out.stderr).toBe('');
    expect(out.stdout.trim().split('\n')).toEqual(['True', 'False TLSv1.3', "b'-ERR command not permitted when TLS active'", 'True']);
  });

  it("fetchmail's default configuration sends STLS and fetches over TLS", async () => {
    const dir = await tempDir();
    const mbox = path.join(dir, 'mbox');
    const rc = path.join(dir, 'fetchmailrc');
    await fs.writeFile(rc, `poll localhost proto pop3 port ${port('pop3')} user bob password hungry keep sslcertfile ${caFile} mda "cat >> ${mbox}"\n`, { mode: 0o600 });
    const out = await run('fetchmail', ['-f', rc, '-v', '--nosyslog', '-i', path.join(dir, 'ids'), '--pidfile', path.join(dir, 'pid')], { timeoutMs: 20_000, env: { ...process.env, HOME: dir, FETCHMAILHOME: dir } });
    expect(out.stdout + out.stderr).toMatch(/> STLS/);
    expect(out.stdout + out.stderr).toMatch(/< \+OK Begin TLS negotiation/);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(await fs.readFile(mbox, 'utf8')).toMatch(/^Subject:/m);
  });

  it('curl pop3:// --ssl-reqd upgrades with STLS', async () => {
    const out = await run('curl', ['-sS', '--ssl-reqd', '--cacert', caFile, '-u', 'carol:pickles', `pop3://localhost:${port('pop3')}/`], { timeoutMs: 15_000 });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^1 \d+/);
  });
});

describe('IMAP STARTTLS', () => {
  it('imaplib.starttls: CAPABILITY lists STARTTLS before and not after; LOGIN and SELECT inside; twice is BAD', async () => {
    const out = await py(`
import imaplib, ssl, sys
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[2]), timeout=10)
print('STARTTLS' in m.capabilities)
m.starttls(ssl_context=ssl.create_default_context(cafile=sys.argv[1]))
print('STARTTLS' in m.capabilities, m.sock.version())
try:
  m._simple_command('STARTTLS')
except imaplib.IMAP4.error as e:
  print('BAD', e)
m.login('bob', 'hungry')
print(m.select('INBOX')[0])
m.logout()
`, String(port('imap')));
    expect(out.stderr).toBe('');
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toBe('True');
    expect(lines[1]).toBe('False TLSv1.3');
    expect(lines[2]).toMatch(/^BAD .*TLS already active/);
    expect(lines[3]).toBe('OK');
  });

  it('curl imap:// --ssl-reqd lists the INBOX over TLS', async () => {
    const out = await run('curl', ['-sS', '--ssl-reqd', '--cacert', caFile, '-u', 'bob:hungry', `imap://localhost:${port('imap')}/`], { timeoutMs: 15_000 });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/INBOX/);
  });
});
