import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../src-main/lab/capture/store';
import { LabPeer } from '../../../src-main/lab/p2p/peer';
import { SwarmRun } from '../../../src-main/lab/p2p/swarm';
import { parseSwarmScenario } from '../../../src-main/lab/p2p/swarm-scenario';
import { startStandaloneTracker } from '../../../src-main/lab/p2p/tracker/swarm-tracker';
import { seededRandom } from '../../../src-main/lab/p2p/choker';
import { createTorrent, generateFile } from '../../../src-main/lab/p2p/torrent';
import { bitfieldFrom, encodeHandshake, encodeMessage } from '../../../src-main/lab/p2p/wire';
import { waitFor } from '../../helpers/lab';

let tracker: Awaited<ReturnType<typeof startStandaloneTracker>>;
beforeAll(async () => {
  tracker = await startStandaloneTracker();
});
afterAll(async () => tracker?.close());

function swarm(yaml: string, store?: CaptureStore): SwarmRun {
  return new SwarmRun(parseSwarmScenario(yaml), { announceUrl: tracker.url, store });
}

describe('a swarm of lab peers on real sockets', () => {
  it('ten peers complete and every file hash matches; the wire is captured with piece payloads capped', async () => {
    const store = new CaptureStore(50_000);
    const run = swarm(
      `name: ten
file: { size: 1 MiB, chunkSize: 64 KiB, seed: 5 }
server: { upload: 2 MiB/s }
peers:
  - { count: 10, upload: 512 KiB/s, download: 4 MiB/s }
timeFactor: 20
timeout: 30
capture: true
baseline: true
`,
      store,
    );
    const r = await run.run();
    expect(r.timedOut).toBe(false);
    const leechers = r.peers.filter((p) => p.role === 'leecher');
    expect(leechers).toHaveLength(10);
    for (const p of leechers) expect(p.hashOk, p.name).toBe(true);
    expect(r.distributionTime).toBeGreaterThanOrEqual(r.bounds.p2p * 0.95);
    expect(r.baseline!.distributionTime).toBeGreaterThanOrEqual(r.bounds.clientServer * 0.95);
    // peers uploaded to each other, not just the server to them
    expect(leechers.reduce((n, p) => n + p.uploaded, 0)).toBeGreaterThan(1024 * 1024);
    const msgs = store.list(0, 50_000).filter((m) => m.protocol === 'bittorrent');
    expect(msgs.some((m) => m.summary === 'handshake')).toBe(true);
    expect(msgs.some((m) => /^bitfield/.test(m.summary))).toBe(true);
    expect(msgs.some((m) => /^unchoke/.test(m.summary))).toBe(true);
    const piece = msgs.find((m) => /^piece \d+ @\d+ \(16384 bytes\)/.test(m.summary))!;
    const detail = store.detail(piece.id)!;
    expect(Buffer.from(detail.bytes, 'base64').length).toBeLessThanOrEqual(13 + 64);
    expect(detail.fields.find((f) => f.name === 'block')!.value).toMatch(/16384 bytes/);
  });

  it('a lab peer dialling a peer outside the swarm is captured on its own side (client-side tap)', async () => {
    // a seed that is no member of the run (as a real client would be) announces the same torrent first
    const data = generateFile(512 * 1024, 9);
    const { meta } = createTorrent(data, { name: 'outside.bin', pieceLength: 64 * 1024, announce: tracker.url });
    const outside = new LabPeer({ name: 'outside', meta, data, uploadRate: 0, downloadRate: 0, strategy: 'rarest-first', freeRider: false, afterComplete: 'stay', timeFactor: 20, host: '127.0.0.5', random: seededRandom(4) });
    await outside.start(tracker.url);
    const store = new CaptureStore(50_000);
    try {
      const run = swarm(
        `name: outside
file: { size: 512 KiB, chunkSize: 64 KiB, seed: 9 }
server: { upload: 128 KiB/s }
peers:
  - { count: 2, upload: 256 KiB/s }
timeFactor: 20
timeout: 20
capture: true
`,
        store,
      );
      expect(run.meta.infoHash.equals(meta.infoHash)).toBe(true);
      const r = await run.run();
      expect(r.distributionTime).not.toBeNull();
      const conns = store.allConnections().filter((c) => c.service === 'swarm' && c.server.port === outside.port);
      expect(conns.length, 'both lab peers dialled the outside seed').toBe(2);
      for (const c of conns) {
        expect(c.server).toMatchObject({ address: '127.0.0.5', name: 'peer outside the lab' });
        expect(['p1', 'p2']).toContain(c.client.name);
        const msgs = store.list(0, 50_000).filter((m) => m.conn === c.id && m.kind === 'message');
        expect(msgs.filter((m) => /^Handshake/.test(m.summary)).map((m) => m.dir).sort()).toEqual(['c2s', 's2c']);
        expect(msgs.some((m) => m.dir === 's2c' && /message id 5 \(bitfield\)/.test(m.summary))).toBe(true);
      }
      // connections between lab peers are recorded by the side that accepted them, not tapped by the dialler
      const labConns = store.allConnections().filter((c) => c.service === 'swarm' && c.server.port !== outside.port);
      expect(labConns.length).toBeGreaterThan(0);
      expect(labConns.filter((c) => c.server.name === 'peer outside the lab')).toEqual([]);
    } finally {
      await outside.stop(true);
    }
  });

  it('a peer leaving mid-swarm (churn) and a selfish one do not stop the others completing', async () => {
    const run = swarm(`name: churn
file: { size: 1 MiB, chunkSize: 64 KiB, seed: 6 }
server: { upload: 1 MiB/s }
peers:
  - { count: 5, upload: 256 KiB/s }
  - { name: quitter, upload: 1 MiB/s, leaveAt: 0.4 }
  - { name: selfish, upload: 256 KiB/s, afterComplete: leave }
  - { name: late, upload: 256 KiB/s, joinAt: 0.8 }
timeFactor: 20
timeout: 30
`);
    const r = await run.run();
    expect(r.timedOut).toBe(false);
    const by = (n: string) => r.peers.find((p) => p.name === n)!;
    expect(by('quitter').churned).toBe(true);
    for (const p of r.peers.filter((x) => x.role === 'leecher' && x.name !== 'quitter')) expect(p.hashOk, p.name).toBe(true);
    expect(by('late').completedAt!).toBeGreaterThan(0.8);
    expect(r.distributionTime).not.toBeNull();
  });

  it('a free-rider is choked by tit-for-tat peers: it never wins a regular slot, only optimistic unchokes', async () => {
    // upload capacity is scarce (u_i small, the server fast): tit-for-tat decides who gets it
    const run = swarm(`name: freeride
file: { size: 4 MiB, chunkSize: 64 KiB, seed: 7 }
server: { upload: 2 MiB/s }
peers:
  - { count: 10, upload: 768 KiB/s }
  - { name: rider, upload: 768 KiB/s, freeRider: true }
timeFactor: 20
seed: 3
timeout: 40
`);
    const r = await run.run();
    const rider = r.peers.find((p) => p.name === 'rider')!;
    const others = r.peers.filter((p) => p.role === 'leecher' && !p.freeRider);
    expect(rider.uploaded).toBe(0);
    const mean = others.reduce((n, p) => n + p.fromLeechers, 0) / others.length;
    console.log('free-rider got', rider.fromLeechers, 'bytes from leechers, others', others.map((p) => p.fromLeechers).join(' '));
    console.log('tit-for-tat slot share: rider', rider.regularShare, 'others', others.map((p) => p.regularShare).join(' '));
    const meanShare = others.reduce((n, p) => n + p.regularShare, 0) / others.length;
    expect(rider.regularShare).toBeLessThan(meanShare * 0.5);
    // it still gets data through optimistic unchokes, which share a leecher's upload with its few regular slots
    expect(rider.fromLeechers).toBeGreaterThan(0);
    void mean;
  }, 60_000);
});

describe('bad input to a lab peer', () => {
  const data = generateFile(256 * 1024, 9);
  const { meta } = createTorrent(data, { name: 'bad.bin', pieceLength: 64 * 1024, announce: '' });
  let seed: LabPeer;
  beforeAll(async () => {
    seed = new LabPeer({ name: 'seed', meta, data, uploadRate: 0, downloadRate: 0, strategy: 'rarest-first', freeRider: false, afterComplete: 'stay', timeFactor: 20, random: seededRandom(1) });
    await seed.start('');
  });
  afterAll(() => seed?.stop(true));

  /** Send bytes to the seed and resolve with what it sent back once it closes the connection. */
  function talk(bytes: Buffer[]): Promise<{ closed: boolean; got: Buffer }> {
    return new Promise((resolve) => {
      const s = net.connect(seed.port, '127.0.0.1', () => bytes.forEach((b) => s.write(b)));
      const parts: Buffer[] = [];
      s.on('data', (d) => parts.push(d));
      s.on('error', () => undefined);
      const t = setTimeout(() => {
        s.destroy();
        resolve({ closed: false, got: Buffer.concat(parts) });
      }, 1500);
      s.on('close', () => {
        clearTimeout(t);
        resolve({ closed: true, got: Buffer.concat(parts) });
      });
    });
  }
  const hs = (hash = meta.infoHash): Buffer => encodeHandshake(hash, Buffer.from('-XX0000-badbadbadbad'));

  it.each([
    ['a malformed handshake', [Buffer.from('GET / HTTP/1.1\r\n\r\n'.padEnd(68, 'x'))]],
    ['a wrong info_hash', [hs(Buffer.alloc(20, 7))]],
    ['a bitfield of the wrong length', [hs(), encodeMessage({ type: 'bitfield', bits: Buffer.alloc(3) })]],
    ['a request beyond the piece', [hs(), encodeMessage({ type: 'interested' }), encodeMessage({ type: 'request', index: 0, begin: 60 * 1024, length: 16 * 1024 })]],
    ['a huge length prefix', [hs(), Buffer.from([0x7f, 0xff, 0xff, 0xff, 7])]],
  ])('%s: the connection is dropped', async (_what, bytes) => {
    const r = await talk(bytes);
    expect(r.closed).toBe(true);
  });

  it('after all that the seed still serves a well-behaved peer', async () => {
    const leecher = new LabPeer({ name: 'good', meta, uploadRate: 0, downloadRate: 0, strategy: 'rarest-first', freeRider: false, afterComplete: 'stay', timeFactor: 20, random: seededRandom(2) });
    await leecher.start('');
    leecher.connect('127.0.0.1', seed.port);
    await waitFor(() => leecher.completedAt !== null, 'download from the seed', 10_000);
    expect(leecher.data.equals(data)).toBe(true);
    await leecher.stop(true);
  });

  it('a peer sending corrupted pieces is noticed by SHA-1 and dropped', async () => {
    const liar = new LabPeer({ name: 'liar', meta, data, corrupt: true, uploadRate: 0, downloadRate: 0, strategy: 'rarest-first', freeRider: false, afterComplete: 'stay', timeFactor: 20, random: seededRandom(3) });
    await liar.start('');
    const bad: string[] = [];
    const victim = new LabPeer({ name: 'victim', meta, uploadRate: 0, downloadRate: 0, strategy: 'rarest-first', freeRider: false, afterComplete: 'stay', timeFactor: 20, random: seededRandom(4), events: { badPiece: (_p, i) => bad.push(String(i)) } });
    await victim.start('');
    victim.connect('127.0.0.1', liar.port);
    await waitFor(() => victim.badPieces >= 2 && victim.conns.size === 0, 'two bad pieces and the liar dropped', 10_000);
    expect(victim.haveCount).toBe(0);
    // the honest seed then gives it the file
    victim.connect('127.0.0.1', seed.port);
    await waitFor(() => victim.completedAt !== null, 'download from the honest seed', 10_000);
    expect(victim.data.equals(data)).toBe(true);
    await Promise.all([liar.stop(true), victim.stop(true)]);
    void bitfieldFrom;
  });
});
