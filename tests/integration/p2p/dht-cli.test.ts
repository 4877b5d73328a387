/**
 * `netlab dht FILE.yaml --json` as a script runs it: the built command, real peers on
 * loopback, one JSON object with the lookups and totals; churn with replication loses no key;
 * a wrong file is refused at its line with exit code 2.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { DhtResult } from '../../../src-main/lab/p2p/dht/dht-types';
import { tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

const ROOT = path.resolve(__dirname, '../../..');
const netlab = (...args: string[]) => run('node', [path.join(ROOT, 'bin', 'netlab.mjs'), ...args], { timeoutMs: 30_000 });

it('the shipped textbook scenario: keys 51, 60, 61 → peers 60, 60, 1, hop by hop, one JSON object', async () => {
  const out = await netlab('dht', path.join(ROOT, 'resources/scenarios/dht-textbook.yaml'), '--json');
  expect(out.code).toBe(0);
  const r = JSON.parse(out.stdout) as DhtResult;
  expect(r.lookups.map((l) => [l.key, l.responsible])).toEqual([[51, 60], [60, 60], [61, 1]]);
  for (const l of r.lookups) expect(Object.keys(l)).toEqual(expect.arrayContaining(['key', 'responsible', 'hops', 'messages', 'ms']));
  expect(r.lookups[0]).toMatchObject({ hops: 7, messages: 8 });
  expect(r.totals).toMatchObject({ lookups: 3, failed: 0, messages: 16 });
  expect(r.textbook).toMatchObject({ n: 8, successorsOnly: 4 });
  expect(r.keysLost).toEqual([]);
});

it('churn with replication: peers leave and join mid-run, every stored key is still found; shortcuts cut messages', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'dht-churn.yaml');
  const keys = Array.from({ length: 40 }, (_, i) => i * 6);
  const ids = Array.from({ length: 24 }, (_, i) => i * 10 + 3);
  await fs.writeFile(file, `name: churn
bits: 8
peers: [${ids.join(', ')}]
shortcuts: true
replication: 2
pingInterval: 40
keys: [${keys.join(', ')}]
churn:
  - { at: 50, leave: ${ids[3]} }
  - { at: 300, join: 77 }
  - { at: 600, leave: ${ids[10]} }
randomLookups: 200
`);
  const out = await netlab('dht', file, '--json');
  const r = JSON.parse(out.stdout) as DhtResult;
  expect(r.churn.map((c) => c.event)).toEqual([`peer ${ids[3]} left`, 'peer 77 joined', `peer ${ids[10]} left`]);
  expect(r.keysStored).toBe(40);
  expect(r.keysLost).toEqual([]);
  expect(r.totals.failed).toBe(0);
  expect(out.code).toBe(0);
  // with shortcuts the mean is near log2 N, far below N/2
  expect(r.totals.meanMessages).toBeLessThan(r.textbook.successorsOnly);
}, 60_000);

it('a big ring spread over two threads answers every lookup as the ring in one thread does: same responsible peer, same hops', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'dht-spread.yaml');
  await fs.writeFile(file, 'name: spread\nbits: 20\npeers: { count: 300, seed: 7 }\nshortcuts: true\nreplication: 2\npingInterval: 5000\nrandomLookups: 1500\nlookupWindow: 32\n');
  const as = async (threads: string): Promise<DhtResult> => {
    const out = await run('node', [path.join(ROOT, 'bin', 'netlab.mjs'), 'dht', file, '--json'], { timeoutMs: 60_000, env: { ...process.env, NETLAB_DHT_THREADS: threads } });
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as DhtResult;
  };
  const [one, two] = [await as('1'), await as('2')];
  expect(two.totals).toMatchObject({ lookups: 1500, failed: 0 });
  const ids = [...two.peers].sort((a, b) => a - b);
  for (const l of two.lookups) expect(l.responsible).toBe(ids.find((id) => id >= l.key) ?? ids[0]);
  const route = (r: DhtResult) => r.lookups.map((l) => [l.key, l.from, l.responsible, l.hops]);
  expect(route(two)).toEqual(route(one));
  expect(two.totals.meanHops).toBeLessThan(1.2 * Math.log2(300));
}, 120_000);

it('a wrong scenario is refused at its line, exit code 2', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'dht-bad.yaml');
  await fs.writeFile(file, 'bits: 6\npeers: [1, 12, 70]\n');
  const out = await netlab('dht', file, '--json');
  expect(out.code).toBe(2);
  expect(out.stderr).toMatch(/line 2: peers\.2: peer 70 is off a 6-bit ring/);
});
