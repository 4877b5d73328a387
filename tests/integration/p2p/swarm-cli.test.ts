/**
 * `netlab swarm FILE.yaml --json` piped to a script, as a benchmark reads it: a swarm of
 * hundreds of peers prints more than a pipe takes at once (64 KiB), and every byte of the one
 * JSON line arrives before the command exits.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { SwarmResult } from '../../../src-main/lab/p2p/swarm-types';
import { tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

const ROOT = path.resolve(__dirname, '../../..');

it('a 240-peer swarm: the whole JSON result (past 64 KiB) reaches the pipe, exit code 0', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'swarm-crowd.yaml');
  await fs.writeFile(
    file,
    `name: crowd
file: { size: 32 KiB, chunkSize: 16 KiB, seed: 3 }
server: { upload: 64 MiB/s }
peers:
  - { count: 240, upload: 8 MiB/s, download: 64 MiB/s }
timeFactor: 10
timeout: 60 s
baseline: false
`,
  );
  const out = await run('node', [path.join(ROOT, 'bin', 'netlab.mjs'), 'swarm', file, '--json'], { timeoutMs: 90_000 });
  expect(out.stderr).toBe('');
  expect(Buffer.byteLength(out.stdout)).toBeGreaterThan(64 * 1024);
  const r = JSON.parse(out.stdout) as SwarmResult;
  expect(r.peers.filter((p) => p.role === 'leecher')).toHaveLength(240);
  for (const p of r.peers) if (p.role === 'leecher') expect(p.hashOk, p.name).toBe(true);
  expect(out.code).toBe(0);
}, 120_000);

it('the same scenario spread over two worker threads gives the same completion facts as in one thread', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'swarm-spread.yaml');
  // drawn rates, a late joiner, a free-rider and a peer that leaves before it can finish: every
  // fact the result states about them must not depend on where the peers ran
  await fs.writeFile(
    file,
    `name: spread
file: { size: 256 KiB, chunkSize: 32 KiB, seed: 5 }
server: { upload: 4 MiB/s }
peers:
  - { count: 9, upload: { uniform: [256 KiB/s, 1 MiB/s] }, download: 8 MiB/s }
  - { name: late, upload: 512 KiB/s, download: 8 MiB/s, joinAt: 0.3 s }
  - { name: rider, upload: 512 KiB/s, download: 8 MiB/s, freeRider: true }
  - { name: gone, upload: 16 KiB/s, download: 16 KiB/s, leaveAt: 0.4 s }
timeFactor: 10
timeout: 60 s
`,
  );
  const as = async (threads: string): Promise<SwarmResult> => {
    const out = await run('node', [path.join(ROOT, 'bin', 'netlab.mjs'), 'swarm', file, '--json'], { timeoutMs: 90_000, env: { ...process.env, NETLAB_SWARM_THREADS: threads } });
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as SwarmResult;
  };
  const [one, two] = [await as('1'), await as('2')];
  expect(one.threads).toBeUndefined();
  expect(two.threads).toBe(2);
  const facts = (r: SwarmResult) => ({
    run: [r.n, r.pieces, r.fileBytes, r.fileSha1, r.infoHash, r.bounds, r.distributionTime !== null],
    peers: r.peers.map((p) => [p.name, p.role, p.joinAt, p.upload, p.download, p.freeRider, p.churned, p.hashOk, p.completedAt !== null, p.host]),
  });
  expect(facts(two)).toEqual(facts(one));
  expect(two.peers.find((p) => p.name === 'gone')).toMatchObject({ churned: true, hashOk: null });
  for (const p of two.peers) if (p.name !== 'gone') expect(p.hashOk, p.name).toBe(true);
  // the late joiner completed after it joined, and uploads were counted across the threads
  expect(two.peers.find((p) => p.name === 'late')!.completedAt!).toBeGreaterThan(0.3);
  expect(two.peers.filter((p) => p.role === 'leecher' && !p.freeRider).reduce((n, p) => n + p.fromLeechers, 0)).toBeGreaterThan(0);
}, 200_000);
