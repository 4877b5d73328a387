/**
 * Search-overlays benchmark (issue 16), on the built lab (`npm run build` first): Gnutella
 * flooding with TTL 7 over 1,000 servents on real TCP connections in one process (`netlab
 * overlay FILE --json`, each servent on its own 127.0.0.x), the query messages of each flood
 * measured against the formula for its topology,
 *     messages = deg(a) + Σ_{1 ≤ d(v) ≤ TTL−1} (deg(v) − 1)
 * (exact when every peer is first reached along a shortest path; on a tree, one message per
 * peer reached), beside the textbook's tree bound d + d(d−1) + … + d(d−1)^(TTL−1).
 *  1. random overlay of degree 4, the three overlays on the same peers (Napster, KaZaA with
 *     √N super-nodes, Gnutella): messages, hops, found and the busiest node per query;
 *  2. a 3-ary tree (every inner peer of degree 4), Gnutella only: the flood reaches each peer once.
 * OVERLAY_BENCH_PEERS (1000) and OVERLAY_BENCH_QUERIES (20) change N and the queries.
 * Prints a table, writes tests/artifacts/bench-overlays.json; exits 0 unless something broke.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dropSnapshot, runScenarioJson, snapshotBuild } from './lib/lab.mjs';

const N = Number(process.env.OVERLAY_BENCH_PEERS ?? 1000);
const Q = Number(process.env.OVERLAY_BENCH_QUERIES ?? 20);
const TTL = 7;

function scenario(name, topology, overlays) {
  let s = 12345;
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const queries = Array.from({ length: Q }, () => `  - { file: song-${String(1 + Math.floor(random() * N)).padStart(String(N).length, '0')}, from: ${Math.floor(random() * N)} }`);
  const supers = Math.round(Math.sqrt(N));
  return [`name: ${name}`, `peers: ${N}`, `ttl: ${TTL}`, `topology: ${topology}`, `files: { perPeer: 1, catalog: ${N}, size: 1000 }`, `superNodes: { count: ${supers} }`, 'superTopology: { kind: random, degree: 4 }', `overlays: [${overlays.join(', ')}]`, 'download: false', 'queries:', ...queries, ''].join('\n');
}

const run = (name, text) => runScenarioJson('overlay', `overlays-${name}.yaml`, text);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const treeBound = (d, t) => Array.from({ length: t }, (_, k) => d * (d - 1) ** k).reduce((a, b) => a + b, 0);

function floodRows(label, queries) {
  const g = queries.filter((q) => q.overlay === 'gnutella');
  const exact = g.filter((q) => q.queryMessages === q.formula).length;
  return {
    label,
    queries: g.length,
    measured: Math.round(mean(g.map((q) => q.queryMessages))),
    formula: Math.round(mean(g.map((q) => q.formula))),
    ratio: mean(g.map((q) => q.queryMessages / q.formula)).toFixed(3),
    exact: `${exact}/${g.length}`,
    reached: Math.round(mean(g.map((q) => q.reached))),
    found: g.filter((q) => q.found).length,
    medianMs: median(g.map((q) => q.ms)).toFixed(1),
  };
}

try {
  await snapshotBuild();
  const random = await run('random', scenario(`bench-random-${N}`, '{ kind: random, degree: 4 }', ['napster', 'gnutella', 'kazaa']));
  const tree = await run('tree', scenario(`bench-tree-${N}`, '{ kind: tree, degree: 3 }', ['gnutella']));
  const rows = [floodRows('random, degree 4', random.result.queries), floodRows('3-ary tree', tree.result.queries)];
  console.log(`\nSearch-overlays benchmark: N = ${N} servents on real TCP, TTL ${TTL}, ${Q} queries from random peers; textbook tree bound for degree 4: ${treeBound(4, TTL)} messages`);
  console.log('topology            query messages  formula  measured/formula  exact   peers reached  found  median ms');
  for (const r of rows) console.log(`${r.label.padEnd(18)}  ${String(r.measured).padStart(14)}  ${String(r.formula).padStart(7)}  ${r.ratio.padStart(16)}  ${r.exact.padStart(5)}  ${String(r.reached).padStart(13)}  ${String(r.found).padStart(5)}  ${r.medianMs.padStart(9)}`);
  console.log('\nthe three overlays on the random topology (same peers, same files):');
  console.log('overlay    messages/query  hops  found  busiest node over the run');
  for (const t of random.result.totals) console.log(`${t.overlay.padEnd(9)}  ${String(t.meanMessages).padStart(14)}  ${String(t.meanHops).padStart(4)}  ${`${t.found}/${t.queries}`.padStart(5)}  ${t.busiestNode} (${t.busiestLoad})`);
  console.log(`peak RSS: ${Math.round(random.hwm)} MB (three overlays), ${Math.round(tree.hwm)} MB (tree)`);
  const artifact = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'artifacts', 'bench-overlays.json');
  fs.mkdirSync(path.dirname(artifact), { recursive: true });
  fs.writeFileSync(artifact, JSON.stringify({ n: N, ttl: TTL, rows, totals: random.result.totals, rssMB: { random: random.hwm, tree: tree.hwm } }, null, 2));
  dropSnapshot();
  process.exit(0);
} catch (err) {
  console.error(`overlays bench: ${err.stack ?? err}`);
  dropSnapshot();
  process.exit(1);
}
