import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { bdecode } from '../../../src-main/lab/p2p/bencode';
import { parseCompactPeers } from '../../../src-main/lab/p2p/tracker/announce';
import { encodeAnnounceRequest, encodeConnectRequest } from '../../../src-main/lab/p2p/tracker/udp-packets';
import { captured, startLab, waitFor } from '../../helpers/lab';

let lab: Lab;
let httpPort: number;
let udpPort: number;
const hash = Buffer.alloc(20, 0x5a);
const pct = (b: Buffer): string => [...b].map((c) => '%' + c.toString(16).padStart(2, '0')).join('');
const announce = (peer: string, port: number, extra = ''): string =>
  `/announce?info_hash=${pct(hash)}&peer_id=${peer.padEnd(20, 'x')}&port=${port}&uploaded=0&downloaded=0&left=10${extra}`;

async function get(path: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(`http://127.0.0.1:${httpPort}${path}`);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** Raw bytes over TCP, for requests fetch() refuses to send. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(httpPort, '127.0.0.1', () => s.write(bytes));
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

function udp(msg: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('message', (m) => {
      s.close();
      resolve(m);
    });
    s.once('error', reject);
    s.send(msg, udpPort, '127.0.0.1');
  });
}

beforeAll(async () => {
  ({ lab } = await startLab());
  httpPort = lab.services.find((s) => s.id === 'tracker')!.port;
  udpPort = lab.services.find((s) => s.id === 'tracker-udp')!.port;
});
afterAll(async () => lab?.shutdown());

describe('the lab tracker (HTTP)', () => {
  it('answers announces with the other peers, compact and as dictionaries, and scrapes', async () => {
    await get(announce('-NL0100-aaaa', 26001, '&event=started'));
    const compact = await get(announce('-NL0100-bbbb', 26002, '&event=started&compact=1'));
    const c = bdecode(compact.body) as Record<string, Uint8Array | number>;
    expect(parseCompactPeers(c.peers as Uint8Array)).toEqual([{ ip: '127.0.0.1', port: 26001 }]);
    expect(c.interval).toBeGreaterThan(0);
    const dict = bdecode((await get(announce('-NL0100-cccc', 26003))).body) as { peers: { port: number }[] };
    expect(dict.peers.map((p) => p.port).sort()).toEqual([26001, 26002]);
    const scrape = (await get(`/scrape?info_hash=${pct(hash)}`)).body;
    expect(scrape.includes(Buffer.from('10:incompletei3e'))).toBe(true);
  });

  it('answers malformed announces with a bencoded failure reason and keeps serving', async () => {
    const bad = await get('/announce?info_hash=short&peer_id=x&port=1');
    expect(bad.status).toBe(200);
    expect((bdecode(bad.body) as Record<string, Uint8Array>)['failure reason']).toBeDefined();
    expect(Buffer.from((bdecode(bad.body) as Record<string, Uint8Array>)['failure reason']).toString()).toMatch(/info_hash/);
    expect(await raw('BLAH\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET /x HTTP/1.1\r\nX: ${'a'.repeat(10_000)}`)).toMatch(/^HTTP\/1\.1 431/);
    expect((await get(announce('-NL0100-dddd', 26004))).status).toBe(200);
  });

  it('is captured and decoded in the inspector, bencode as a tree', async () => {
    await get(announce('-NL0100-eeee', 26005, '&compact=1'));
    const all = await waitFor(async () => {
      const m = (await captured(lab)).filter((x) => x.protocol === 'bittorrent-tracker' && x.kind === 'message');
      return m.some((x) => x.dir === 's2c' && /peers/.test(x.summary)) && m;
    }, 'tracker capture');
    const reply = all.filter((x) => x.dir === 's2c' && /peers/.test(x.summary)).at(-1)!;
    const detail = await lab['capture.detail'](reply.id);
    const body = detail!.fields.find((f) => f.name === 'Body (bencode)')!;
    expect(body.children!.map((f) => f.name)).toContain('peers');
    const request = all.find((x) => x.dir === 'c2s' && x.summary.includes('/announce'))!;
    expect(request.summary).toMatch(/port \d+ left 10/);
  });
});

describe('the lab tracker (UDP, BEP 15)', () => {
  it('connects, announces and refuses an unknown connection id', async () => {
    const conn = await udp(encodeConnectRequest(42));
    expect(conn.readUInt32BE(0)).toBe(0);
    expect(conn.readUInt32BE(4)).toBe(42);
    const connectionId = conn.readBigUInt64BE(8);
    const req = { connectionId, transactionId: 43, infoHash: hash.toString('hex'), peerId: Buffer.from('-NL0100-udpudpudpudp'), downloaded: 0, left: 5, uploaded: 0, event: 'started' as const, ip: 0, key: 0, numwant: 10, port: 26010 };
    // the connection id belongs to the socket that asked: use one socket for both
    const s = dgram.createSocket('udp4');
    const ask = (m: Buffer): Promise<Buffer> => new Promise((r) => { s.once('message', r); s.send(m, udpPort, '127.0.0.1'); });
    const c2 = await ask(encodeConnectRequest(44));
    const reply = await ask(encodeAnnounceRequest({ ...req, connectionId: c2.readBigUInt64BE(8) }));
    s.close();
    expect(reply.readUInt32BE(0)).toBe(1);
    expect(reply.length).toBeGreaterThanOrEqual(20 + 6);
    const err = await udp(encodeAnnounceRequest({ ...req, connectionId: 1234n }));
    expect(err.readUInt32BE(0)).toBe(3);
    expect(err.subarray(8).toString()).toMatch(/connection id/);
    const short = await udp(Buffer.alloc(5));
    expect(short.readUInt32BE(0)).toBe(3);
  });
});

describe('the tracker from the lab terminal', () => {
  it('answers an announce typed after telnet, as the inspector shows it', async () => {
    let screen = '';
    const { session } = await lab['terminal.open']({ cols: 120, rows: 24 });
    const off = lab.on('terminal.output', (o) => {
      if (o.session === session) screen += o.data;
    });
    await lab['terminal.input'](session, `telnet 127.0.0.1 ${httpPort}\r`);
    await waitFor(() => screen.includes("Escape character is '^]'."), 'telnet connected');
    const line = `GET ${announce('-NL0100-term', 26020, '&compact=0')} HTTP/1.0`;
    await lab['terminal.input'](session, `${line}\r`);
    await lab['terminal.input'](session, '\r');
    await waitFor(() => screen.includes('HTTP/1.1 200 OK') && screen.includes('8:completei'), `the bencoded reply on the terminal:\n${screen}`);
    off();
    await lab['terminal.close'](session);
  });

  it('answers pipelined requests in order, and a head cut across writes', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(httpPort, '127.0.0.1', () => {
        const a = `GET ${announce('-NL0100-pip1', 26031, '&compact=1')} HTTP/1.1\r\nHost: x\r\n\r\n`;
        const b = `GET /scrape?info_hash=${pct(hash)} HTTP/1.1\r\nHost: x\r\n\r\n`;
        const c = `GET ${announce('-NL0100-pip2', 26032, '&compact=1')} HTTP/1.1\r\nConnection: close\r\n\r\n`;
        sock.write(a + b + c.slice(0, 30));
        setTimeout(() => sock.write(c.slice(30, 100)), 50);
        setTimeout(() => sock.write(c.slice(100)), 100);
      });
      let text = '';
      sock.on('data', (d) => (text += d.toString('latin1')));
      sock.on('end', () => resolve(text));
      sock.on('error', reject);
    });
    const statuses = out.match(/HTTP\/1\.1 \d+/g);
    expect(statuses).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200']);
    const bodies = out.split(/\r\n\r\n/).slice(1);
    expect(bodies[0]).toMatch(/^d8:completei\d+e10:incompletei\d+e8:intervali120e12:min intervali15e5:peers\d+:/);
    expect(bodies[1]).toMatch(/^d5:filesd20:/);
    expect(out).toMatch(/Connection: close\r\n\r\nd8:complete[\s\S]*e$/);
  });

  it('accepts a head ended by bare newlines (nc)', async () => {
    expect(await raw(`GET ${announce('-NL0100-ncnc', 26021)} HTTP/1.0\n\n`)).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*d8:complete/);
  });
});
