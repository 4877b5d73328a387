/**
 * DHT benchmark (issue 16), on the built lab (`npm run build` first): 1,000 DHT peers on real
 * UDP sockets in one lab process (`netlab dht FILE --json`, each peer on its own 127.0.0.x),
 * shortcuts on.
 *  1. latency: 2,000 random lookups one at a time — mean hops against 1.2 × log2 N, median ms
 *     (goal < 10 ms on loopback);
 *  2. throughput: 10,000 random lookups, 64 in flight — lookups per second (goal ≥ 10,000)
 *     and not one failing — as `netlab dht` runs it (the peers spread over one worker thread
 *     per core) and with every peer in one thread (NETLAB_DHT_THREADS=1), in interleaved rounds
 *     (DHT_BENCH_ROUNDS, 3): the median of each, and the lab's CPU µs per lookup (all threads,
 *     the lookups only) — trust that on a busy machine;
 *  3. memory: the peak RSS of the process holding the 1,000-peer ring (goal ≤ 200 MB).
 * DHT_BENCH_PEERS (1000) changes N. DHT_BENCH_BASE: another build (a directory holding its bin,
 * out, resources and package.json, e.g. a copy of main's) whose two arms join each round, in
 * turn with this build's, so the same load falls on both: its medians print beside these.
 * Prints a table, writes tests/artifacts/bench-dht.json; exits 0 unless something broke (never
 * on speed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { dropSnapshot, runScenarioJson, snapshotBuild } from './lib/lab.mjs';

const N = Number(process.env.DHT_BENCH_PEERS ?? 1000);
const ROUNDS = Number(process.env.DHT_BENCH_ROUNDS ?? 3);

function scenario(lookups, window) {
  return [`name: bench-${N}`, 'bits: 24', `peers: { count: ${N}, seed: 1 }`, 'shortcuts: true', 'replication: 2', 'pingInterval: 5000', `randomLookups: ${lookups}`, `lookupWindow: ${window}`, ''].join('\n');
}

const BASE = process.env.DHT_BENCH_BASE;
let baseBin;
const run = (lookups, window, env, bin) => runScenarioJson('dht', 'dht-bench.yaml', scenario(lookups, window), env, bin);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  await snapshotBuild();
  if (BASE) baseBin = await snapshotBuild(path.resolve(BASE));
  const latency = await run(2000, 1);
  // interleaved rounds, the order swapped each round, so other work falls on both arms alike
  const arms = { spread: [], one: [], baseSpread: [], baseOne: [] };
  const order = BASE ? ['spread', 'baseSpread', 'one', 'baseOne'] : ['spread', 'one'];
  for (let r = 0; r < ROUNDS; r++) {
    for (const arm of r % 2 ? [...order].reverse() : order) {
      arms[arm].push(await run(10_000, 64, /one/i.test(arm) ? { NETLAB_DHT_THREADS: '1' } : {}, arm.startsWith('base') ? baseBin : undefined));
    }
  }
  const rate = (x) => x.result.totals.lookups / x.result.totals.seconds;
  const cpuPer = (x) => (x.result.totals.cpuMs * 1000) / x.result.totals.lookups;
  const summary = (xs) => ({ lookupsPerSecond: Math.round(median(xs.map(rate))), cpuUsPerLookup: Math.round(median(xs.map(cpuPer))), threads: xs[0].result.totals.threads, rounds: xs.map((x) => Math.round(rate(x))), cpuRounds: xs.map((x) => Math.round(cpuPer(x))) });
  const spread = summary(arms.spread);
  const one = summary(arms.one);
  const base = BASE ? { spread: summary(arms.baseSpread), one: summary(arms.baseOne) } : null;
  const throughput = arms.spread.find((x) => Math.round(rate(x)) === spread.lookupsPerSecond) ?? arms.spread[0];
  const failedAll = [...arms.spread, ...arms.one].reduce((n, x) => n + x.result.totals.failed, 0);
  const hwmAll = Math.max(latency.hwm, ...arms.spread.map((x) => x.hwm), ...arms.one.map((x) => x.hwm));
  const log2n = Math.log2(N);
  const rows = [
    { what: 'mean hops (shortcuts)', measured: latency.result.totals.meanHops, goal: `≤ ${(1.2 * log2n).toFixed(2)} (1.2 × log2 N)`, ok: latency.result.totals.meanHops <= 1.2 * log2n },
    { what: 'median lookup time', measured: `${latency.result.totals.medianMs} ms`, goal: '< 10 ms', ok: latency.result.totals.medianMs < 10 },
    { what: `lookups/s, ${spread.threads} threads`, measured: spread.lookupsPerSecond, goal: '≥ 10,000', ok: spread.lookupsPerSecond >= 10_000 },
    { what: 'lookups/s, one thread', measured: one.lookupsPerSecond, goal: `(spread: ${(spread.lookupsPerSecond / one.lookupsPerSecond).toFixed(2)}×)`, ok: true },
    { what: 'CPU µs/lookup spread', measured: spread.cpuUsPerLookup, goal: `(one thread: ${one.cpuUsPerLookup})`, ok: true },
    { what: 'failed lookups', measured: latency.result.totals.failed + failedAll, goal: '0', ok: latency.result.totals.failed + failedAll === 0 },
    { what: 'peak RSS', measured: `${Math.round(hwmAll)} MB`, goal: '≤ 200 MB', ok: hwmAll <= 200 },
  ];
  console.log(`\nDHT benchmark: N = ${N} peers, shortcuts on, textbook: N/2 = ${N / 2} messages per query without shortcuts, log2 N = ${log2n.toFixed(2)}`);
  console.log(`throughput rounds (lookups/s): spread ${spread.rounds.join(' / ')}, one thread ${one.rounds.join(' / ')}`);
  console.log(`CPU µs per lookup by round: spread ${spread.cpuRounds.join(' / ')}, one thread ${one.cpuRounds.join(' / ')}`);
  if (base) {
    console.log(`base build ${BASE}, the same rounds in turn: spread ${base.spread.rounds.join(' / ')}, one thread ${base.one.rounds.join(' / ')}`);
    console.log(`  CPU µs per lookup by round: spread ${base.spread.cpuRounds.join(' / ')}, one thread ${base.one.cpuRounds.join(' / ')}`);
    console.log(`  medians: lookups/s ${base.spread.lookupsPerSecond} / ${base.one.lookupsPerSecond}, CPU µs/lookup ${base.spread.cpuUsPerLookup} / ${base.one.cpuUsPerLookup} (this build: ${spread.cpuUsPerLookup} / ${one.cpuUsPerLookup})`);
  }
  console.log('what                       measured          goal');
  for (const r of rows) console.log(`${r.what.padEnd(26)} ${String(r.measured).padEnd(17)} ${r.goal}${r.ok ? '' : '  (missed)'}`);
  const artifact = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'artifacts', 'bench-dht.json');
  fs.mkdirSync(path.dirname(artifact), { recursive: true });
  fs.writeFileSync(artifact, JSON.stringify({ n: N, rows, latency: latency.result.totals, throughput: throughput.result.totals, spread, one, base }, null, 2));
  dropSnapshot();
  process.exit(0);
} catch (err) {
  console.error(`dht bench: ${err.stack ?? err}`);
  dropSnapshot();
  process.exit(1);
}
