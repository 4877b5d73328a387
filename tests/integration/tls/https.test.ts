/** HTTPS on the lab web server: real clients (curl, python's ssl) trust the lab CA and reach each site by SNI. */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { tsharkFields, writeTemp } from '../../helpers/tshark';

let lab: Lab;
let port: number;
let caFile: string;

beforeAll(async () => {
  const started = await startLab();
  lab = started.lab;
  port = started.port('https');
  caFile = path.join(started.dataDir, 'tls', 'lab-ca.pem');
});
afterAll(() => lab.shutdown());

/** openssl s_client GETs / from a site with Connection: close, reading and writing a session (ticket) file */
async function sClient(at: number, sess: { in?: string; out?: string }): Promise<{ resumed: boolean; status: string; out: string }> {
  const args = ['s_client', '-connect', `127.0.0.1:${at}`, '-servername', 'gaia.cs.umass.edu', '-CAfile', caFile, '-ign_eof'];
  if (sess.in) args.push('-sess_in', sess.in);
  if (sess.out) args.push('-sess_out', sess.out);
  const r = await run('openssl', args, { input: 'GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nConnection: close\r\n\r\n' });
  return { resumed: /^Reused, TLSv1\.3/m.test(r.stdout), status: /^HTTP\/1\.1 (\d+)/m.exec(r.stdout)?.[1] ?? '', out: r.stdout + r.stderr };
}

function curl(host: string, ...extra: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return run('curl', ['-sS', '--cacert', caFile, '--resolve', `${host}:${port}:127.0.0.1`, ...extra, `https://${host}:${port}/`]);
}

describe('HTTPS on the lab web server', () => {
  it('curl trusting only the lab CA gets each site by its name, with that name in the certificate', async () => {
    const gaia = await curl('gaia.cs.umass.edu', '-v');
    expect(gaia.code, gaia.stderr).toBe(0);
    expect(gaia.stderr).toMatch(/subject: CN=gaia\.cs\.umass\.edu/);
    expect(gaia.stderr).toMatch(/issuer: CN=NetLab Lab CA/);
    const utopia = await curl('www.networkutopia.com', '-v');
    expect(utopia.code, utopia.stderr).toBe(0);
    expect(utopia.stderr).toMatch(/subject: CN=www\.networkutopia\.com/);
    expect(utopia.stdout).not.toBe(gaia.stdout);
  });

  it('python http.client with a default SSL context that trusts the lab CA', async () => {
    const py = `
import ssl, http.client, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
c = http.client.HTTPSConnection('127.0.0.1', int(sys.argv[2]), context=ctx, timeout=5)
c.sock = None
import socket
raw = socket.create_connection(('127.0.0.1', int(sys.argv[2])))
c.sock = ctx.wrap_socket(raw, server_hostname='gaia.cs.umass.edu')
c.request('GET', '/', headers={'Host': 'gaia.cs.umass.edu'})
r = c.getresponse()
print(r.status, c.sock.version(), c.sock.getpeercert()['subject'])
`;
    const out = await run('python3', ['-c', py, caFile, String(port)]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^200 TLSv1\.[23] .*gaia\.cs\.umass\.edu/);
  });

  it('the inspector shows the ClientHello with its SNI in the clear, encrypted records, and the HTTP inside', async () => {
    await curl('gaia.cs.umass.edu');
    const rows = await waitFor(async () => {
      const all = (await captured(lab)).filter((m) => m.service === 'https');
      return all.some((m) => m.protocol === 'http' && m.dir === 's2c') && all;
    }, 'the decrypted response');
    expect(rows.some((m) => m.protocol === 'tls' && /ClientHello SNI=gaia\.cs\.umass\.edu/.test(m.summary))).toBe(true);
    expect(rows.some((m) => m.protocol === 'tls' && /ServerHello/.test(m.summary))).toBe(true);
    expect(rows.some((m) => m.protocol === 'tls' && /encrypted record, \d+ bytes/.test(m.summary))).toBe(true);
    const inside = rows.filter((m) => m.protocol === 'http');
    expect(inside.some((m) => /^inside TLS · GET \//.test(m.summary))).toBe(true);
    const detail = await lab['capture.detail'](rows.find((m) => /ClientHello/.test(m.summary))!.id);
    expect(JSON.stringify(detail?.fields)).toMatch(/Server name \(SNI\)","value":"gaia\.cs\.umass\.edu/);
  });

  it('bytes that are no ClientHello get a TLS alert and a close; the server keeps serving', async () => {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n'));
      const got: Buffer[] = [];
      s.on('data', (d) => got.push(d));
      s.on('close', () => resolve(Buffer.concat(got)));
      s.on('error', reject);
      s.setTimeout(5000, () => reject(new Error('no close')));
    });
    expect(reply[0]).toBe(21); // an alert record
    const rows = await captured(lab);
    expect(rows.some((m) => m.service === 'https' && /TLS handshake failed/.test(m.summary))).toBe(true);
    expect((await curl('gaia.cs.umass.edu')).code).toBe(0);
  });

  it('the CA is kept in the data directory, and the API gives it with its fingerprint', async () => {
    const ca = await lab['web.labCa']();
    expect(ca.pem).toBe(await fs.readFile(caFile, 'utf8'));
    expect(ca.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('pcapng carries the records as they were on the wire, on port 443: tshark decodes the TLS, and no plaintext HTTP', async () => {
    await curl('www.networkutopia.com');
    const file = await writeTemp('https.pcapng', Buffer.from(await lab['capture.exportPcapng']({ service: 'https' }), 'base64'));
    const hellos = await tsharkFields(file, 'tls.handshake.type == 1', ['tcp.dstport', 'tls.handshake.extensions_server_name']);
    expect(hellos).toContainEqual(['443', 'www.networkutopia.com']);
    expect(await tsharkFields(file, 'tls.app_data', ['frame.number'])).not.toHaveLength(0);
    // the plain request of the garbage test is on the wire; no response in the clear is
    expect(await tsharkFields(file, 'http.response', ['frame.number'])).toHaveLength(0);
  });

  it('a client keeping its session resumes on every reconnection: each resumed handshake brings a fresh ticket (TLS 1.3 uses one once)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'netlab-tickets-'));
    const file = (i: number): string => path.join(dir, `s${i}.pem`);
    const first = await sClient(port, { out: file(0) });
    expect(first.status, first.out).toBe('200');
    expect(first.resumed).toBe(false);
    for (let i = 1; i <= 3; i++) {
      const again = await sClient(port, { in: file(i - 1), out: file(i) });
      expect(again.status, again.out).toBe('200');
      expect(again.resumed, `reconnection ${i}: ${again.out}`).toBe(true);
    }
    const rows = await captured(lab);
    expect(rows.filter((m) => m.service === 'https' && /a resumed session \(no certificate sent\)/.test(m.summary)).length).toBeGreaterThanOrEqual(3);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("a ticket the lab did not issue (another server's) gets a full handshake, not an error", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'netlab-tickets-'));
    // another TLS 1.3 server with the same certificate but its own ticket keys
    const pem = await fs.readFile(path.join(path.dirname(caFile), 'hosts', 'localhost.pem'), 'utf8');
    const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----\s*/.exec(pem)![0];
    const other = tls.createServer({ key, cert: pem.replace(key, '') }, (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    try {
      const foreign = path.join(dir, 'foreign.pem');
      expect((await sClient((other.address() as net.AddressInfo).port, { out: foreign })).status).toBe('200');
      const r = await sClient(port, { in: foreign });
      expect(r.status, r.out).toBe('200');
      expect(r.resumed).toBe(false);
    } finally {
      other.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
