/**
 * Real clients in a lab swarm of five (the server and four peers, started through the lab API as
 * the Swarm tab starts them): transmission-cli and ctorrent each take the run's .torrent, get the
 * file whole, and take pieces from at least three lab peers, by the lab's own accounting of what
 * each peer uploaded to a client outside the lab. They can, because each lab peer has its own
 * loopback address: on one shared 127.0.0.1 transmission kept one connection and ctorrent took
 * the peers for itself.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { loopbackMode } from '../../../src-main/lab/p2p/loopback';
import type { SwarmResult } from '../../../src-main/lab/p2p/swarm-types';
import { generateFile } from '../../../src-main/lab/p2p/torrent';
import { ctorrent, HAVE_CTORRENT, HAVE_TRANSMISSION, transmission, type RealClient } from '../../helpers/bt-clients';
import { captured, startLab, waitFor } from '../../helpers/lab';

let lab: Lab;
const children: ChildProcess[] = [];
beforeAll(async () => {
  ({ lab } = await startLab());
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await lab?.['swarm.stop']();
  await lab?.shutdown();
});

/** A seed and four lab peers; one of them downloads slowly, so the swarm is still there when the
 *  client has finished. Uploads are capped, so no single lab peer can serve a client everything. */
const scenario = (name: string) => `name: ${name}
file: { size: 1 MiB, chunkSize: 64 KiB, seed: 7 }
server: { upload: 192 KiB/s }
peers:
  - { count: 3, upload: 192 KiB/s }
  - { name: slow, upload: 192 KiB/s, download: 16 KiB/s }
timeFactor: 10
capture: true
timeout: 90
`;

async function downloadFromSwarm(name: string, make: (torrent: Buffer) => Promise<RealClient>): Promise<{ result: SwarmResult; client: RealClient }> {
  let result: SwarmResult | null = null;
  const off = lab.on('swarm.result', (r) => (result = r));
  const state = await lab['swarm.start'](scenario(name));
  const client = await make(Buffer.from(state.torrent!, 'base64'));
  children.push(client.start());
  await client.downloaded(`${name}.bin`, generateFile(1024 * 1024, 7), 60_000);
  await lab['swarm.stop']();
  await lab['swarm.stop'](); // the baseline too, were there one
  await waitFor(() => result, 'the swarm result', 20_000);
  off();
  return { result: result!, client };
}

function expectSpread(result: SwarmResult, who: string): void {
  const lab5 = result.peers;
  expect(lab5).toHaveLength(5);
  // five addresses, one per lab peer
  expect(new Set(lab5.map((p) => p.host)).size).toBe(5);
  for (const p of lab5) expect(p.host).toMatch(/^127\.0\.0\.\d+$/);
  const sources = lab5.filter((p) => p.toOutside > 0);
  expect(sources.length, `lab peers that uploaded to ${who}: ${lab5.map((p) => `${p.name} ${p.toOutside}`).join(', ')}`).toBeGreaterThanOrEqual(3);
  expect(sources.reduce((n, p) => n + p.toOutside, 0)).toBeGreaterThanOrEqual(1024 * 1024);
}

describe.skipIf(!HAVE_TRANSMISSION && !HAVE_CTORRENT)('real clients in a five-peer lab swarm', () => {
  it('this machine gives each lab peer its own loopback address (Linux: all of 127/8)', async () => {
    expect(await loopbackMode()).toBe('distinct');
  });

  it.skipIf(!HAVE_TRANSMISSION)('transmission-cli downloads the file, taking pieces from at least three lab peers', async () => {
    const { result } = await downloadFromSwarm('tr-five', (t) => transmission('netlab-tr-five-', t));
    expectSpread(result, 'transmission');
    // the inspector's endpoints name each lab peer's own address
    const conns = (await lab['capture.connections']()).filter((c) => c.service === 'swarm');
    const addresses = new Set(conns.flatMap((c) => [c.client.address, c.server.address]));
    for (const p of result.peers) expect(addresses.has(p.host), `${p.name} ${p.host} in the capture`).toBe(true);
  }, 120_000);

  it.skipIf(!HAVE_CTORRENT)('ctorrent downloads the file, taking pieces from at least three lab peers', async () => {
    const { result } = await downloadFromSwarm('ct-five', (t) => ctorrent('netlab-ct-five-', t, 'ct-five.bin'));
    expectSpread(result, 'ctorrent');
    const announces = (await captured(lab)).filter((m) => m.protocol === 'bittorrent-tracker' && m.dir === 'c2s' && /event started/.test(m.summary));
    expect(announces.length).toBeGreaterThanOrEqual(6);
  }, 120_000);
});
