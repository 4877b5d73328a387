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
