/**
 * Lab peers announcing over UDP (BEP 15): a swarm with `tracker: udp` completes against the
 * lab's UDP tracker with its datagrams captured and decoded; the client retransmits after
 * 15·2^n s (scaled) when a datagram is lost, ignores answers that do not echo its
 * transaction id, and gives up after its retries.
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import type { SwarmResult } from '../../../src-main/lab/p2p/swarm-types';
import { retryDelayMs, UdpTrackerClient } from '../../../src-main/lab/p2p/tracker/udp-tracker-client';
import { parseSwarmScenario } from '../../../src-main/lab/p2p/swarm-scenario';
import { captured, startLab, waitFor } from '../../helpers/lab';

let lab: Lab;
let udpPort = 0;
beforeAll(async () => {
  let port: (id: string) => number;
  ({ lab, port } = await startLab());
  udpPort = port('tracker-udp');
});
afterAll(async () => lab?.shutdown());

const swarm = `name: udp
file: { size: 512 KiB, chunkSize: 64 KiB }
server: { upload: 2 MiB/s }
peers:
  - { count: 4, upload: 512 KiB/s }
tracker: udp
timeFactor: 20
capture: true
timeout: 20
`;

function bind(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => s.bind(0, '127.0.0.1', () => resolve(s)));
}

/** A lossy link in front of the lab's UDP tracker: drops what `drop` says, records arrival times. */
async function lossyRelay(drop: (msg: Buffer, n: number) => boolean, forge?: (msg: Buffer) => Buffer | null) {
  const front = await bind();
  const back = await bind();
  const arrivals: { t: number; action: number }[] = [];
  let client: dgram.RemoteInfo | null = null;
  front.on('message', (msg, from) => {
    client = from;
    arrivals.push({ t: performance.now(), action: msg.readUInt32BE(8) });
    if (drop(msg, arrivals.length)) return;
    const fake = forge?.(msg);
    if (fake) front.send(fake, from.port, from.address);
    back.send(msg, udpPort, '127.0.0.1');
  });
  back.on('message', (msg) => client && front.send(msg, client.port, client.address));
  return { url: `udp://127.0.0.1:${front.address().port}/announce`, arrivals, close: () => (front.close(), back.close()) };
}

const request = (url: string, port = 40001) => ({
  url,
  infoHash: randomBytes(20),
  peerId: Buffer.from(`-NL0100-${randomBytes(6).toString('hex')}`, 'latin1'),
  port,
  host: '127.0.0.1',
  left: 1000,
  uploaded: 0,
  downloaded: 0,
  event: 'started' as const,
  numwant: 50,
});

describe('lab peers announcing over UDP (BEP 15)', () => {
  it('a scenario chooses the tracker protocol (http by default)', () => {
    expect(parseSwarmScenario(swarm).tracker).toBe('udp');
    expect(parseSwarmScenario(swarm.replace('tracker: udp\n', '')).tracker).toBe('http');
    expect(() => parseSwarmScenario(swarm.replace('tracker: udp', 'tracker: tcp'))).toThrow(/line 6: tracker/);
  });

  it('a swarm with udp announces completes, and the capture shows the tracker datagrams decoded', async () => {
    let result: SwarmResult | null = null;
    const off = lab.on('swarm.result', (r) => (result = r));
    await lab['swarm.start'](swarm);
    await waitFor(() => result, 'the swarm result', 20_000);
    off();
    const r = result as unknown as SwarmResult;
    expect(r.distributionTime).not.toBeNull();
    expect(r.peers.filter((p) => p.role === 'leecher').every((p) => p.hashOk)).toBe(true);
    const msgs = (await captured(lab)).filter((m) => m.protocol === 'bittorrent-tracker' && m.transport === 'udp');
    const tracker = msgs.filter((m) => m.service === 'tracker-udp');
    expect(tracker.length).toBe(msgs.length);
    // every peer connected, then announced started; leechers announced completed (the last one's
    // announce may be cut short: the run ends as it completes)
    expect(tracker.filter((m) => m.dir === 'c2s' && /^UDP connect request/.test(m.summary)).length).toBeGreaterThanOrEqual(5);
    expect(tracker.filter((m) => m.dir === 'c2s' && /^UDP announce .* event started/.test(m.summary))).toHaveLength(5);
    expect(tracker.filter((m) => m.dir === 'c2s' && /^UDP announce .* event completed/.test(m.summary)).length).toBeGreaterThanOrEqual(3);
    expect(tracker.some((m) => m.dir === 's2c' && /^UDP connect reply/.test(m.summary))).toBe(true);
    const reply = tracker.find((m) => m.dir === 's2c' && /^UDP announce reply · [1-9]/.test(m.summary));
    expect(reply, 'an announce reply with peers').toBeDefined();
    const detail = await lab['capture.detail'](reply!.id);
    expect(detail!.fields.map((f) => f.name)).toEqual(['action', 'transaction id', 'interval', 'leechers', 'seeders', 'peers']);
    // a lab peer, on its own loopback address (the lab's services keep 127.0.0.1)
    const peer = detail!.fields.find((f) => f.name === 'peers')!.children![0].value;
    expect(peer).toMatch(/^127\.0\.0\.\d+:\d+$/);
    expect(r.peers.map((p) => p.host)).toContain(peer.split(':')[0]);
    expect(peer).not.toMatch(/^127\.0\.0\.1:/);
    const announce = tracker.find((m) => m.dir === 'c2s' && /^UDP announce/.test(m.summary))!;
    const fields = (await lab['capture.detail'](announce.id))!.fields;
    expect(fields.find((f) => f.name === 'infoHash')!.value).toBe(r.infoHash);
    expect(fields.find((f) => f.name === 'connectionId')).toBeDefined();
    // no HTTP announce from this run
    expect((await captured(lab)).some((m) => m.service === 'tracker' && /\/announce .*event started/.test(m.summary))).toBe(false);
  });

  it('retransmits after 15·2^n s scaled by the time factor, and ignores answers with another transaction id', async () => {
    // the first connect and the first announce are lost; the second announce gets a forged answer first
    let forged = 0;
    const relay = await lossyRelay(
      (_m, n) => n === 1 || n === 3,
      (m) => {
        if (m.readUInt32BE(8) !== 1 || forged++ > 0) return null;
        const b = Buffer.alloc(20);
        b.writeUInt32BE(1, 0);
        b.writeUInt32BE((m.readUInt32BE(12) + 1) >>> 0, 4); // not the transaction id asked
        return b;
      },
    );
    const client = new UdpTrackerClient('127.0.0.1', { timeFactor: 100 });
    try {
      const reply = await client.announce(request(relay.url));
      expect(reply).toEqual({ peers: [] });
      expect(relay.arrivals.map((a) => a.action)).toEqual([0, 0, 1, 1]);
      const gap = (i: number): number => relay.arrivals[i].t - relay.arrivals[i - 1].t;
      // 15 s / 100 = 150 ms before resending the connect; the announce's own first wait is 150 ms too
      expect(gap(1)).toBeGreaterThanOrEqual(140);
      expect(gap(1)).toBeLessThan(400);
      expect(gap(3)).toBeGreaterThanOrEqual(140);
      // the connection id is reused for the next announce (no connect)
      await client.announce({ ...request(relay.url), event: '' });
      expect(relay.arrivals.map((a) => a.action)).toEqual([0, 0, 1, 1, 1]);
    } finally {
      client.close();
      relay.close();
    }
  });

  it('doubles the wait each time and gives up after its retries', async () => {
    expect([0, 1, 2, 8].map((n) => retryDelayMs(n, 1))).toEqual([15_000, 30_000, 60_000, 3_840_000]);
    const relay = await lossyRelay(() => true);
    const client = new UdpTrackerClient('127.0.0.1', { timeFactor: 200, maxRetries: 2 });
    try {
      const t0 = performance.now();
      await expect(client.announce(request(relay.url))).rejects.toThrow(/after 3 tries/);
      // 75 + 150 + 300 ms (timers never fire early; a busy machine may make them late)
      expect(performance.now() - t0).toBeGreaterThanOrEqual(520);
      const t = relay.arrivals.map((a) => a.t - relay.arrivals[0].t);
      expect(t).toHaveLength(3);
      expect(t[1] - t[0]).toBeGreaterThanOrEqual(70);
      expect(t[2] - t[1]).toBeGreaterThanOrEqual(145);
    } finally {
      client.close();
      relay.close();
    }
  });

  it('a reused connection id the tracker refuses: connects again and announces once more', async () => {
    // the relay answers the second announce with an error first, as a tracker that forgot the id
    // would (the tracker's own answer comes after it, with a transaction id no longer awaited)
    const relay = await lossyRelay(
      () => false,
      (m) => {
        if (m.readUInt32BE(8) !== 1 || ++announces !== 2) return null;
        const b = Buffer.alloc(8 + 16);
        b.writeUInt32BE(3, 0);
        b.writeUInt32BE(m.readUInt32BE(12), 4);
        b.write('expired id', 8);
        return b;
      },
    );
    let announces = 0;
    const client = new UdpTrackerClient('127.0.0.1', { timeFactor: 100 });
    try {
      expect(await client.announce(request(relay.url))).toEqual({ peers: [] });
      expect(await client.announce({ ...request(relay.url), event: '' })).toMatchObject({ peers: [] });
      expect(relay.arrivals.map((a) => a.action)).toEqual([0, 1, 1, 0, 1]);
    } finally {
      client.close();
      relay.close();
    }
  });

  it('a tracker error becomes a failure, and the next announce connects again', async () => {
    const client = new UdpTrackerClient('127.0.0.1', { timeFactor: 1 });
    try {
      const url = `udp://127.0.0.1:${udpPort}/announce`;
      expect(await client.announce(request(url))).toMatchObject({ peers: [] });
      const bad = await client.announce({ ...request(url), port: 0 });
      expect(bad).toEqual({ failure: 'port 0 is not a port a peer can listen on' });
      expect(await client.announce(request(url))).toMatchObject({ peers: [] });
    } finally {
      client.close();
    }
  });

  it('over a lossy link to the tracker the peers retransmit and the swarm still completes', async () => {
    // a quarter of the datagrams to and from the UDP tracker are lost (the lab's link emulation)
    await lab['services.configure']('tracker-udp', { link: { lossRate: 0.25 } });
    try {
      const before = (await captured(lab)).at(-1)?.id ?? 0;
      let result: SwarmResult | null = null;
      const off = lab.on('swarm.result', (r) => (result = r));
      // 15 s becomes 50 ms: retransmissions come quickly
      await lab['swarm.start'](swarm.replace('timeFactor: 20', 'timeFactor: 300'));
      await waitFor(() => result, 'the swarm result', 25_000);
      off();
      expect((result as unknown as SwarmResult).distributionTime).not.toBeNull();
      const msgs = (await captured(lab)).filter((m) => m.id > before && m.service === 'tracker-udp');
      const lost = msgs.filter((m) => m.kind === 'event' && /lost by link emulation/.test(m.summary));
      expect(lost.length).toBeGreaterThan(0);
      // every peer got its started announce through, some of them on a second or later try
      const started = msgs.filter((m) => m.dir === 'c2s' && m.kind === 'message' && /^UDP announce .* event started/.test(m.summary));
      expect(new Set(started.map((m) => /port (\d+)/.exec(m.summary)![1])).size).toBe(5);
    } finally {
      await lab['services.configure']('tracker-udp', { link: { lossRate: 0 } });
    }
  });
});
