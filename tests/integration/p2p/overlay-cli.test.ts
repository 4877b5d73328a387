/**
 * `netlab overlay FILE.yaml --json` as a script runs it: the built command, real servents on
 * loopback, one JSON object with every query of every overlay; success with a TTL (a ring
 * whose far file a short flood misses and the index and the super-nodes find); a wrong file
 * refused at its line with exit code 2.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { OverlayResult } from '../../../src-main/lab/p2p/overlays/overlay-types';
import { tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

const ROOT = path.resolve(__dirname, '../../..');
const netlab = (...args: string[]) => run('node', [path.join(ROOT, 'bin', 'netlab.mjs'), ...args], { timeoutMs: 30_000 });

it('the shipped textbook scenario: each query on each overlay, its messages, hops, found, busiest node', async () => {
  const out = await netlab('overlay', path.join(ROOT, 'resources/scenarios/overlays-textbook.yaml'), '--json');
  expect(out.code).toBe(0);
  const r = JSON.parse(out.stdout) as OverlayResult;
  expect(r.queries.map((q) => q.overlay)).toEqual([...Array(4).fill('napster'), ...Array(4).fill('gnutella'), ...Array(4).fill('kazaa')]);
  for (const q of r.queries) expect(Object.keys(q)).toEqual(expect.arrayContaining(['file', 'from', 'found', 'messages', 'hops', 'busiest']));
  for (const q of r.queries.filter((x) => x.overlay === 'gnutella')) expect(q.queryMessages).toBe(q.formula);
  expect(r.totals.find((t) => t.overlay === 'napster')).toMatchObject({ busiestNode: 'index', busiestLoad: 4, meanMessages: 2 });
});

it('success with a TTL: on a ring of 16, TTL 4 misses a file 8 hops away; Napster and KaZaA find it', async () => {
  const out = await netlab('overlay', path.join(ROOT, 'resources/scenarios/overlays-ttl.yaml'), '--json');
  const r = JSON.parse(out.stdout) as OverlayResult;
  const far = (k: string) => r.queries.filter((q) => q.overlay === k && q.file === 'far-away-live');
  // a ring, TTL 4: the asker's 2 messages and 3 more on each side, 8 peers reached
  for (const q of far('gnutella')) expect(q).toMatchObject({ found: false, queryMessages: 8, formula: 8, reached: 8 });
  for (const q of far('napster')) expect(q).toMatchObject({ found: true, hops: 1, messages: 2, downloaded: 10_000 });
  for (const q of far('kazaa')) expect(q).toMatchObject({ found: true, hops: 2 });
});

it('a wrong file is refused at its line, exit code 2', async () => {
  const file = path.join(await tempDir(), 'overlays-bad.yaml');
  await fs.writeFile(file, 'peers: 4\nttl: 255\n');
  const out = await netlab('overlay', file);
  expect(out.code).toBe(2);
  expect(out.stderr).toMatch(/line 2: .*ttl/i);
});
