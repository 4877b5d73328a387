/**
 * The overlays' wire, as an outside client sees it: a found file downloaded with curl from the
 * peer's own HTTP; Napster's index spoken with nc; bad input to every kind of peer (garbage
 * handshake, a payload length past the cap, a truncated descriptor, TTL 255, an unknown
 * descriptor, bad index lines) dropped with a note in the capture — and the peer keeps serving.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../src-main/lab/capture/store';
import { CONNECT_LINE, DescriptorReader, encodeDescriptor, encodeHandshake, HEADER_BYTES, newGuid, OK_LINE, type Descriptor } from '../../../src-main/lab/p2p/overlays/gnutella-codec';
import { OverlayNet } from '../../../src-main/lab/p2p/overlays/overlay-net';
import { askOverlay } from '../../../src-main/lab/p2p/overlays/overlay-run';
import { overlayScenarioSchema } from '../../../src-main/lab/p2p/overlays/overlay-scenario';
import { fileContent } from '../../../src-main/lab/p2p/overlays/peer-http';

let n: OverlayNet;
const store = new CaptureStore();
beforeAll(async () => {
  const s = overlayScenarioSchema.parse({ peers: 5, topology: { kind: 'line' }, ttl: 7, files: { perPeer: 2, catalog: 10, size: 5000 }, superNodes: [0, 2], place: [{ peer: 4, file: 'wanted.mp3' }] });
  n = await OverlayNet.build(s, { port: 0, indexPort: 0, store });
});
afterAll(() => n.close());

/** a real client, run while the lab's servents (in this process) keep serving */
function client(cmd: string, args: string[], input = ''): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => out.push(c));
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(out)));
    p.stdin.end(input);
  });
}

const notes = (): string[] => store.list(0, 100_000).filter((r) => r.kind === 'event').map((r) => r.summary);

/** a raw client: connect, returns the socket and everything it has read so far */
async function raw(to: { address: string; port: number }): Promise<{ s: net.Socket; got: () => Buffer; closed: Promise<void> }> {
  const s = net.connect(to.port, to.address);
  let buf = Buffer.alloc(0);
  s.on('data', (c: Buffer) => (buf = Buffer.concat([buf, c])));
  const closed = new Promise<void>((r) => s.on('close', () => r()));
  s.on('error', () => undefined);
  await new Promise((r) => s.once('connect', r));
  return { s, got: () => buf, closed };
}
const until = async (ok: () => boolean, ms = 3000): Promise<void> => {
  for (const t0 = Date.now(); !ok(); ) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** a handshaken raw Gnutella connection to peer i */
async function servent(i: number) {
  const c = await raw(n.peers[i]);
  c.s.write(encodeHandshake(CONNECT_LINE, { 'User-Agent': 'test' }));
  await until(() => c.got().includes('\r\n\r\n'));
  expect(c.got().toString('latin1')).toMatch(/^GNUTELLA\/0\.6 200 OK\r\n/);
  const skip = c.got().indexOf('\r\n\r\n') + 4;
  c.s.write(encodeHandshake(OK_LINE));
  const descriptors = (): Descriptor[] => {
    const r = new DescriptorReader();
    r.push(c.got().subarray(skip));
    const out: Descriptor[] = [];
    for (let d = r.next(); d; d = r.next()) if (d.ok) out.push(d.d);
    return out;
  };
  return { ...c, descriptors };
}

const query = (criteria: string, ttl = 3): Buffer => encodeDescriptor({ guid: newGuid(), kind: 'query', ttl, hops: 0, payload: { kind: 'query', minSpeed: 0, criteria } });

describe('the transfer: HTTP from the peer that has the file', () => {
  it('a found file downloads with curl, byte for byte, from the holder\'s own 127.0.0.x', async () => {
    const q = await askOverlay(n, 'gnutella', 0, 'wanted', true);
    const hit = q.hits[0];
    expect(hit).toMatchObject({ peer: 'p4', name: 'wanted.mp3', size: 5000 });
    expect(q.downloaded).toBe(5000);
    const body = await client('curl', ['-sf', `http://${hit.ip}:${hit.port}/get/${hit.index}/${hit.name}`]);
    expect(body.equals(fileContent({ index: hit.index, name: hit.name, size: 5000 }))).toBe(true);
    const missing = (await client('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${hit.ip}:${hit.port}/get/99/nothing.mp3`])).toString();
    expect(missing).toBe('404');
  });
});

describe('Napster\'s index with nc', () => {
  it('LOGIN, ADD, SEARCH typed as a person would: the hits name each holder\'s address:port', async () => {
    const out = (await client('nc', ['-q', '1', '127.0.0.1', String(n.index.port)], 'LOGIN student 9999\r\nADD 1 123 my-song.mp3\r\nSEARCH wanted\r\nSEARCH my-song\r\nBOGUS\r\nQUIT\r\n')).toString();
    expect(out).toMatch(/^200 NetLab index/);
    expect(out).toContain('201 welcome student');
    expect(out).toContain('202 added my-song.mp3');
    expect(out).toContain(`210 wanted.mp3 5000 ${n.peers[4].address}:${n.peers[4].port} 3 p4\r\n211 1 hits`);
    expect(out).toMatch(/210 my-song\.mp3 123 127\.0\.0\.1:9999 1 student\r\n211 1 hits/);
    expect(out).toContain("500 unknown command 'BOGUS'");
    expect(out).toContain('221 bye');
  });
});

describe('bad input is dropped with a note; the peer keeps serving', () => {
  it('a garbage handshake gets 400 and a note; the peer then takes a good one', async () => {
    const c = await raw(n.peers[1]);
    c.s.write('HELLO THERE\r\n\r\n');
    await c.closed;
    expect(c.got().toString()).toMatch(/^GNUTELLA\/0\.6 400/);
    expect(notes().some((t) => t.includes('p1 dropped a connection: garbage handshake'))).toBe(true);
    (await servent(1)).s.destroy();
  });

  it('TTL 255, an unknown descriptor and a bad payload are dropped, not forwarded; the next good Query is answered on the same connection', async () => {
    const c = await servent(3);
    n.trace = [];
    const bad255 = query('wanted', 255);
    const unknown = Buffer.from(query('wanted'));
    unknown[16] = 0x42;
    const badPayload = encodeDescriptor({ guid: newGuid(), kind: 'ping', ttl: 2, hops: 0, payload: { kind: 'ping' } });
    const withJunk = Buffer.concat([badPayload.subarray(0, 19), Buffer.from([3, 0, 0, 0]), Buffer.from('abc')]);
    c.s.write(Buffer.concat([bad255, unknown, withJunk]));
    await until(() => notes().filter((t) => t.startsWith('p3 dropped a descriptor')).length >= 3);
    expect(notes().some((t) => t.includes('TTL 255'))).toBe(true);
    expect(notes().some((t) => t.includes('unknown payload descriptor 0x42'))).toBe(true);
    expect(notes().some((t) => t.includes('a Ping carries no payload'))).toBe(true);
    await n.quiet();
    expect(n.trace.filter((m) => m.what === 'query')).toEqual([]);
    c.s.write(query('wanted', 3));
    await until(() => c.descriptors().some((d) => d.kind === 'queryHit'));
    const hit = c.descriptors().find((d) => d.kind === 'queryHit')!;
    expect(hit.payload).toMatchObject({ port: n.peers[4].port, hits: [{ name: 'wanted.mp3' }] });
    c.s.destroy();
  });

  it('a payload length past the cap closes that connection (framing lost); the peer keeps serving others', async () => {
    const c = await servent(2);
    const huge = Buffer.from(query('x'));
    huge.writeUInt32LE(10_000_000, 19);
    c.s.write(huge.subarray(0, HEADER_BYTES));
    await c.closed;
    expect(notes().some((t) => t.includes('payload length 10000000 is past the 4096-byte limit'))).toBe(true);
    const again = await servent(2);
    again.s.write(query('wanted', 3));
    await until(() => again.descriptors().some((d) => d.kind === 'queryHit'));
    again.s.destroy();
  });

  it('a truncated descriptor (the connection ends inside it) is noted', async () => {
    const c = await servent(1);
    c.s.end(query('wanted').subarray(0, 30));
    await until(() => notes().some((t) => t.includes('truncated descriptor: the connection ended 30 bytes into one')));
  });

  it('the index refuses an overlong line and bad syntax, and a super-node\'s index does too, then both still search', async () => {
    for (const to of [{ address: '127.0.0.1', port: n.index.port }, n.peers[2]]) {
      const c = await raw(to);
      c.s.write('X'.repeat(600) + '\r\nADD 1 2 x\r\nLOGIN bad name here\r\nSEARCH wanted\r\n');
      await until(() => c.got().includes('211 '));
      const text = c.got().toString();
      expect(text).toContain('552 line too long');
      expect(text).toContain('503 LOGIN first');
      expect(text).toContain('501 syntax: LOGIN name port');
      expect(text).toContain('wanted.mp3');
      c.s.destroy();
    }
    expect(notes().some((t) => t.includes('dropped a line past 512 bytes'))).toBe(true);
  });
});
