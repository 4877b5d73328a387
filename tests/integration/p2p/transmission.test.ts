/**
 * A real BitTorrent client from Debian (transmission-cli) in a lab swarm: it announces to the
 * lab tracker, downloads from a lab seed, and a lab peer then downloads from it.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { seededRandom } from '../../../src-main/lab/p2p/choker';
import { outsideTap } from '../../../src-main/lab/p2p/outside-capture';
import { LabPeer } from '../../../src-main/lab/p2p/peer';
import { createTorrent, generateFile } from '../../../src-main/lab/p2p/torrent';
import { HAVE_TRANSMISSION, transmission } from '../../helpers/bt-clients';
import { captured, startLab, waitFor } from '../../helpers/lab';

describe.skipIf(!HAVE_TRANSMISSION)('transmission-cli in a lab swarm', () => {
  let lab: Lab;
  let child: ChildProcess | null = null;
  const peers: LabPeer[] = [];
  let udpChild: ChildProcess | null = null;
  afterAll(async () => {
    child?.kill('SIGKILL');
    udpChild?.kill('SIGKILL');
    await Promise.all(peers.map((p) => p.stop(true)));
    await lab?.shutdown();
  });

  it('downloads from a lab seed via the lab tracker, then seeds a lab peer', async () => {
    ({ lab } = await startLab());
    const trackerPort = lab.services.find((s) => s.id === 'tracker')!.port;
    const announce = `http://127.0.0.1:${trackerPort}/announce`;
    const data = generateFile(1024 * 1024 + 12_345, 11);
    const { meta, file } = createTorrent(data, { name: 'lab-file.bin', pieceLength: 64 * 1024, announce });
    const tr = await transmission('netlab-transmission-', file);
    const port = tr.port;

    const common = { meta, uploadRate: 0, downloadRate: 0, strategy: 'rarest-first' as const, freeRider: false, afterComplete: 'stay' as const, timeFactor: 10 };
    // Transmission tells peers apart by address (a seed's address is not let in again once it
    // seeds itself), so each lab peer takes its own loopback address
    const seed = new LabPeer({ ...common, name: 'lab-seed', data, host: '127.0.0.2', random: seededRandom(1) });
    peers.push(seed);
    await seed.start(announce);

    child = tr.start();
    await tr.downloaded('lab-file.bin', data);

    // the lab seed leaves: the next lab peer can only get the file from transmission
    await seed.stop(false);
    // as in a lab swarm with capture on: a connection to a peer that is not a lab peer is captured by the dialler
    const leecher = new LabPeer({
      ...common,
      name: 'lab-leecher',
      host: '127.0.0.3',
      random: seededRandom(2),
      dialTap: (host, p) => (peers.some((x) => x.host === host && x.port === p) ? null : outsideTap(lab.store, 'lab-leecher')),
    });
    peers.push(leecher);
    await leecher.start(announce);
    await waitFor(() => leecher.completedAt !== null, 'the lab peer to download from transmission', 40_000);
    expect(leecher.data.equals(data)).toBe(true);
    const fromTransmission = [...leecher.conns].find((c) => c.remoteId?.toString('latin1').startsWith('-TR'));
    expect(fromTransmission, 'a connection to transmission').toBeDefined();

    // the lab peer's connection to transmission was captured on the lab peer's side, decoded as peer wire
    const all = await captured(lab);
    const wire = all.filter((m) => m.service === 'swarm' && m.protocol === 'bittorrent');
    const conn = (await lab['capture.connections']()).find((c) => c.service === 'swarm' && c.server.port === port);
    expect(conn, 'the connection to transmission in the capture').toBeDefined();
    expect(conn!.client).toMatchObject({ address: '127.0.0.3', name: 'lab-leecher' });
    const ours = wire.filter((m) => m.conn === conn!.id && m.kind === 'message');
    const hs = ours.filter((m) => /^Handshake/.test(m.summary));
    expect(hs.map((m) => m.dir).sort()).toEqual(['c2s', 's2c']);
    const theirs = (await lab['capture.detail'](hs.find((m) => m.dir === 's2c')!.id))!;
    expect(theirs.fields[0].children!.find((f) => f.name === 'peer_id')!.value).toMatch(/^-TR/);
    expect(theirs.fields[0].children!.find((f) => f.name === 'info_hash')!.value).toBe(meta.infoHash.toString('hex'));
    expect(ours.some((m) => m.dir === 'c2s' && /message id 2 \(interested\)/.test(m.summary))).toBe(true);
    expect(ours.some((m) => m.dir === 'c2s' && /message id 6 \(request\)/.test(m.summary))).toBe(true);
    const pieces = ours.filter((m) => m.dir === 's2c' && /message id 7 \(piece\)/.test(m.summary));
    expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(data.length / 16384));
    // a piece keeps its header and the head of its block, and says it was longer
    const piece = (await lab['capture.detail'](pieces[0].id))!;
    expect(piece.size).toBeGreaterThan(16_000);
    expect(piece.truncated).toBe(true);
    expect(Buffer.from(piece.bytes, 'base64').length).toBe(13 + 64);

    // transmission's announces were captured and decoded
    const announces = all.filter((m) => m.protocol === 'bittorrent-tracker' && m.kind === 'message' && m.dir === 'c2s');
    expect(announces.some((m) => /\/announce .* event started/.test(m.summary))).toBe(true);
  }, 100_000);

  it('announces over UDP (BEP 15) to the lab tracker and downloads from a lab seed that announced over UDP', async () => {
    lab ??= (await startLab()).lab;
    const udpPort = lab.services.find((s) => s.id === 'tracker-udp')!.port;
    const announce = `udp://127.0.0.1:${udpPort}/announce`;
    const data = generateFile(512 * 1024 + 777, 12);
    const { meta, file } = createTorrent(data, { name: 'udp-file.bin', pieceLength: 64 * 1024, announce });
    const tr = await transmission('netlab-transmission-udp-', file);
    const seed = new LabPeer({ meta, uploadRate: 0, downloadRate: 0, strategy: 'rarest-first', freeRider: false, afterComplete: 'stay', timeFactor: 10, name: 'udp-seed', data, host: '127.0.0.4', random: seededRandom(3) });
    peers.push(seed);
    await seed.start(announce);
    udpChild = tr.start();
    await tr.downloaded('udp-file.bin', data);
    // transmission's connect and announce datagrams are in the capture, decoded
    const requests = (await captured(lab)).filter((m) => m.service === 'tracker-udp' && m.dir === 'c2s' && /^UDP announce /.test(m.summary));
    const fromTransmission = [];
    for (const m of requests) {
      const peerId = (await lab['capture.detail'](m.id))!.fields.find((f) => f.name === 'peerId')!.value;
      if (peerId.startsWith(Buffer.from('-TR').toString('hex'))) fromTransmission.push(m);
    }
    expect(fromTransmission.some((m) => /event started/.test(m.summary)), 'transmission announced started over UDP').toBe(true);
    expect(requests.some((m) => /event started/.test(m.summary) && m.summary.includes(`port ${seed.port} `)), 'the lab seed announced over UDP').toBe(true);
  }, 60_000);
});
