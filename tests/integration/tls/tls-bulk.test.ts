/**
 * Bulk over TLS, both ways, with real clients: the engine's stream on a lab connection must hold
 * back and resume (the client reads slower than the lab encrypts; the lab decrypts while the
 * client is still sending) and lose nothing. A file of several MiB over HTTPS (curl), a message of
 * several MiB in through SMTP STARTTLS (smtplib) and out again through POP3 STLS (poplib).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
let dataDir: string;
let caFile: string;

beforeAll(async () => {
  const started = await startLab();
  ({ lab, port, dataDir } = started);
  caFile = path.join(dataDir, 'tls', 'lab-ca.pem');
  await lab['web.labCa']();
});
afterAll(() => lab.shutdown());

const sha = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');

describe('bulk over TLS', () => {
  it('an 8 MiB file over HTTPS arrives byte for byte, twice on one connection, and the capture shows both responses inside TLS', async () => {
    const host = 'gaia.cs.umass.edu';
    const body = crypto.randomBytes(8 * 1024 * 1024);
    await fs.mkdir(path.join(dataDir, 'sites', host), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'sites', host, 'big.bin'), body);
    const out = path.join(dataDir, 'got-');
    // --limit-rate: curl reads slower than the lab encrypts, so the lab's side must wait for the socket
    const url = `https://${host}:${port('https')}/big.bin`;
    const r = await run('curl', ['-sS', '--cacert', caFile, '--resolve', `${host}:${port('https')}:127.0.0.1`, '--limit-rate', '16M', '-o', `${out}1`, url, '-o', `${out}2`, url], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(sha(await fs.readFile(`${out}1`))).toBe(sha(body));
    expect(sha(await fs.readFile(`${out}2`))).toBe(sha(body));
    const rows = await waitFor(async () => {
      const inside = (await captured(lab)).filter((m) => m.service === 'https' && m.protocol === 'http' && m.dir === 's2c');
      return inside.length >= 2 && inside;
    }, 'both responses inside TLS');
    expect(rows.filter((m) => /^inside TLS · HTTP\/1\.1 200 OK/.test(m.summary))).toHaveLength(2);
  });

  it('a 6 MiB message in through SMTP STARTTLS and out through POP3 STLS is the same message', async () => {
    const lines = Array.from({ length: 90_000 }, (_, i) => `line ${i} ${crypto.randomBytes(24).toString('base64')}`);
    const subject = `bulk ${Date.now()}`;
    const script = `
import smtplib, poplib, ssl, sys, hashlib
ctx = ssl.create_default_context(cafile=sys.argv[1])
body = sys.stdin.read().encode()
msg = b'Subject: ' + sys.argv[4].encode() + b'\\r\\n\\r\\n' + body.replace(b'\\n', b'\\r\\n')
s = smtplib.SMTP('127.0.0.1', int(sys.argv[2]), timeout=20)
s.starttls(context=ctx)
s.login('alice', 'hungry')
s.sendmail('alice@crepes.fr', ['carol@hamburger.edu'], msg)
s.quit()
import time
for _ in range(300):
  p = poplib.POP3('127.0.0.1', int(sys.argv[3]), timeout=20)
  p.stls(context=ctx)
  p.user('carol'); p.pass_('pickles')
  n = p.stat()[0]
  if n: break
  p.quit(); time.sleep(0.1)
got = b'\\r\\n'.join(p.retr(n)[1])
p.quit()
print(len(got) > len(body), hashlib.sha256(body.replace(b'\\n', b'\\r\\n')).hexdigest() == hashlib.sha256(got[got.index(b'\\r\\n\\r\\n') + 4:] + b'\\r\\n').hexdigest())
`;
    const out = await run('python3', ['-c', script, caFile, String(port('smtp')), String(port('pop3')), subject], { input: lines.join('\n') + '\n', timeoutMs: 60_000 });
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe('True True');
    const mailbox = await lab['mail.mailbox']('carol@hamburger.edu');
    expect(mailbox.some((m) => m.subject === subject)).toBe(true);
  });
});
