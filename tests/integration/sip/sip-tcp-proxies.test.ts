/**
 * Proxy to proxy over TCP (RFC 3261 §18.1.1, RFC 3263 §4.1): a call that reaches crepes.fr's
 * proxy over TCP goes on to hamburger.edu's over TCP (SRV _sip._tcp asked first), with a
 * SIP/2.0/TCP Via and a Record-Route saying transport=tcp; responses come back on the same
 * connections. sipp over TCP (-t t1) on both ends; an INVITE typed into nc over TCP to a phone
 * registered over UDP (the last hop is UDP: hamburger.edu's proxy records the route twice,
 * RFC 5658); a request over 1300 bytes sent over UDP goes on over TCP, and back to UDP when
 * the next hop takes no TCP; a malformed request over TCP at a domain proxy's own listener
 * gets 400 and the connection keeps serving.
 */
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipService } from '../../../src-main/lab/sip/sip-service';
import { headerValues, parseVia } from '../../../src-main/lab/sip/sip-message';
import { run } from '../../helpers/proc';
import { captured, labForFile, waitFor } from '../../helpers/lab';
import { method, status, TestUa } from './sip-ua-helper';

const t = labForFile();
let sip = 0;
let bob: TestUa;

const register = (aor: string, contact: string, id: string): void =>
  bob.send(`REGISTER sip:${aor.split('@')[1]} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${bob.port};branch=z9hG4bK${id}\nFrom: <sip:${aor}>;tag=${id}\nTo: <sip:${aor}>\nCall-ID: ${id}\nCSeq: 1 REGISTER\nContact: ${contact}\nExpires: 60\nContent-Length: 0\n\n`, sip);

const invite = (id: string, via: string, extra = '', body = '') =>
  `INVITE sip:bob@hamburger.edu SIP/2.0\r\nVia: ${via};branch=z9hG4bK${id};rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@crepes.fr>;tag=${id}\r\nTo: <sip:bob@hamburger.edu>\r\nCall-ID: ${id}\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@127.0.0.1:5999>\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

async function freeTcpPort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** a TCP connection to `port` that collects what comes back */
async function tcp(port: number): Promise<{ s: net.Socket; text: () => string }> {
  const s = net.connect(port, '127.0.0.1');
  let text = '';
  s.on('data', (d) => (text += d.toString('latin1')));
  s.on('error', () => undefined);
  await new Promise((r) => s.once('connect', r));
  return { s, text: () => text };
}

beforeAll(async () => {
  sip = t.port('sip');
  bob = await new TestUa().open();
});
afterAll(() => bob?.close());

describe('SIP proxy to proxy over TCP', () => {
  it('sipp -t t1 as alice calls a sipp -t t1 uas as bob: crepes.fr’s proxy reaches hamburger.edu’s over TCP, TCP Vias, responses on the same connections', async () => {
    const uasPort = await freeTcpPort();
    const uas = spawn('sipp', ['-sf', path.join(__dirname, '../../fixtures/sip/bob-answers.xml'), '-t', 't1', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin'], { stdio: 'ignore' });
    try {
      register('bob@hamburger.edu', `<sip:bob@127.0.0.1:${uasPort};transport=tcp>`, 'tcpreg1');
      await bob.next(status(200), 'bob registered');
      await new Promise((r) => setTimeout(r, 300)); // the uas listening
      const uac = await run('sipp', [`127.0.0.1:${sip}`, '-sf', path.join(__dirname, '../../fixtures/sip/alice-calls-bob.xml'), '-t', 't1', '-i', '127.0.0.1', '-m', '2', '-r', '2', '-nostdin', '-timeout', '20s', '-timeout_error'], { timeoutMs: 30_000 });
      expect(uac.code, uac.stdout + uac.stderr).toBe(0);
      t.lab.store.flush();
      const conns = new Map((await t.lab['capture.connections']()).map((c) => [c.id, c]));
      const rows = (await captured(t.lab)).filter((m) => m.protocol === 'sip' && m.kind === 'message' && conns.get(m.conn)?.transport === 'tcp');
      // the INVITE, ACK and BYE entered hamburger.edu's proxy over a TCP connection from crepes.fr's
      for (const m of ['INVITE sip:bob@hamburger.edu', 'ACK', 'BYE']) {
        const at = rows.filter((r) => r.dir === 'c2s' && r.summary.startsWith(m) && conns.get(r.conn)?.server.name === 'hamburger.edu proxy');
        expect(at.length, m).toBeGreaterThanOrEqual(2);
        expect(conns.get(at[0].conn)?.client.name, m).toBe('crepes.fr proxy');
      }
      // and reached sipp's uas over TCP, on a connection hamburger.edu's proxy opened
      const atUas = rows.filter((r) => r.dir === 'c2s' && r.summary.startsWith('INVITE') && conns.get(r.conn)?.server.port === uasPort);
      expect(atUas.length).toBeGreaterThanOrEqual(2);
      expect(conns.get(atUas[0].conn)?.client.name).toBe('hamburger.edu proxy');
      // the 200 OKs came back over TCP to sipp: two INVITEs' and two BYEs'
      const oks = rows.filter((r) => r.dir === 's2c' && r.summary.startsWith('200 OK') && conns.get(r.conn)?.service === 'sip' && conns.get(r.conn)?.server.name !== 'hamburger.edu proxy');
      expect(oks.length).toBeGreaterThanOrEqual(4);
    } finally {
      uas.kill('SIGTERM');
    }
  });

  it('by hand: an INVITE typed into nc over TCP reaches a phone registered over UDP; TCP then UDP Vias, a double Record-Route, 100 and 180 back to nc', async () => {
    register('bob@hamburger.edu', `<sip:bob@127.0.0.1:${bob.port}>`, 'tcpreg2');
    await bob.next(status(200), 'bob registered');
    const nc = spawn('nc', ['127.0.0.1', String(sip)]);
    let out = '';
    nc.stdout.on('data', (d) => (out += d));
    nc.stdin.write(invite('tcphand1', 'SIP/2.0/TCP 127.0.0.1:5999'));
    try {
      const got = await bob.next(method('INVITE'), 'INVITE at bob');
      const vias = headerValues(got, 'Via').map((v) => parseVia(v)!);
      expect(vias.map((v) => v.transport)).toEqual(['UDP', 'TCP', 'TCP']);
      const rrs = headerValues(got, 'Record-Route');
      // hamburger.edu's proxy: towards bob over UDP, towards crepes.fr's over TCP (RFC 5658); crepes.fr's: TCP both ways
      expect(rrs).toHaveLength(3);
      expect(rrs[0]).not.toMatch(/transport=tcp/);
      expect(rrs[1]).toMatch(/;transport=tcp;lr>$/);
      expect(rrs[2]).toMatch(/;transport=tcp;lr>$/);
      const head = got.headers.filter(([n]) => ['Via', 'Record-Route', 'From', 'Call-ID', 'CSeq'].includes(n)).map(([n, v]) => `${n}: ${v}`).join('\n');
      bob.send(`SIP/2.0 180 Ringing\n${head}\nTo: <sip:bob@hamburger.edu>;tag=b1\nContent-Length: 0\n\n`, vias[0].port!);
      await waitFor(() => out.includes('180 Ringing'), `180 Ringing back to nc; got:\n${out}`);
      expect(out).toContain('SIP/2.0 100 Trying');
      const ringing = out.slice(out.indexOf('SIP/2.0 180'));
      expect(ringing.match(/^Via:/gm)).toHaveLength(1);
    } finally {
      nc.kill();
    }
  });

  it('a request over 1300 bytes sent over UDP goes on over TCP (§18.1.1), and over UDP when the next hop takes no TCP', async () => {
    register('bob@hamburger.edu', `<sip:bob@127.0.0.1:${bob.port}>`, 'tcpreg3');
    await bob.next(status(200), 'bob registered');
    const sdp = `v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n${'a=x-padding:0123456789abcdef0123456789abcdef\r\n'.repeat(30)}`;
    const alice = await new TestUa().open();
    try {
      alice.send(invite('tcpbig1', `SIP/2.0/UDP 127.0.0.1:${alice.port}`, 'Content-Type: application/sdp\r\n', sdp), sip);
      const got = await bob.next(method('INVITE'), 'large INVITE at bob');
      // crepes.fr's proxy to hamburger.edu's over TCP; hamburger.edu's to bob over UDP (his binding came over UDP)
      expect(headerValues(got, 'Via').map((v) => parseVia(v)!.transport)).toEqual(['UDP', 'TCP', 'UDP']);
      // straight to bob's address (an IP, no transport named): TCP is refused there, so UDP after all
      alice.send(invite('tcpbig2', `SIP/2.0/UDP 127.0.0.1:${alice.port}`, 'Content-Type: application/sdp\r\n', sdp).replace('INVITE sip:bob@hamburger.edu', `INVITE sip:bob@127.0.0.1:${bob.port}`), sip);
      const direct = await bob.next((m) => m.kind === 'request' && m.method === 'INVITE' && (m.headers.find(([n]) => n === 'Call-ID')?.[1] ?? '') === 'tcpbig2', 'large INVITE at bob by UDP after TCP failed');
      expect(parseVia(headerValues(direct, 'Via')[0])!.transport).toBe('UDP');
    } finally {
      alice.close();
    }
  });

  it('a malformed request over TCP at a domain proxy’s own listener gets 400; the connection and the proxy keep serving', async () => {
    const service = t.lab.services.find((s) => s.id === 'sip') as SipService;
    const crepes = service.proxies.find((p) => p.domain === 'crepes.fr')!;
    const c = await tcp(crepes.port);
    try {
      c.s.write('OPTIONS sip:crepes.fr SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKbad1\r\nFrom: <sip:alice@crepes.fr>;tag=1\r\nTo: <sip:crepes.fr>\r\nCall-ID: bad1\r\nCSeq: one OPTIONS\r\nContent-Length: 0\r\n\r\n');
      await waitFor(() => c.text().includes('SIP/2.0 400'), `400 over TCP; got:\n${c.text()}`);
      expect(c.text()).toMatch(/^SIP\/2\.0 400 Malformed CSeq header/);
      c.s.write('OPTIONS sip:crepes.fr SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKok2\r\nFrom: <sip:alice@crepes.fr>;tag=2\r\nTo: <sip:crepes.fr>\r\nCall-ID: ok2\r\nCSeq: 2 OPTIONS\r\nContent-Length: 0\r\n\r\n');
      await waitFor(() => c.text().includes('SIP/2.0 200 OK'), `200 OK after the 400; got:\n${c.text()}`);
      expect(c.s.destroyed).toBe(false);
    } finally {
      c.s.destroy();
    }
  });
});
