/**
 * DHT benchmark (issue 16), on the built lab (`npm run build` first): 1,000 DHT peers on real
 * UDP sockets in one lab process (`netlab dht FILE --json`, each peer on its own 127.0.0.x),
 * shortcuts on.
 *  1. latency: 2,000 random lookups one at a time — mean hops against 1.2 × log2 N, median ms
 *     (goal < 10 ms on loopback);
 *  2. throughput: 10,000 random lookups, 64 in flight — lookups per second (goal ≥ 10,000)
 *     and not one failing;
 *  3. memory: the peak RSS of the process holding the 1,000-peer ring (goal ≤ 200 MB).
 * DHT_BENCH_PEERS (1000) changes N. Prints a table, writes tests/artifacts/bench-dht.json;
 * exits 0 unless something broke (never on speed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { dropSnapshot, runScenarioJson, snapshotBuild } from './lib/lab.mjs';

const N = Number(process.env.DHT_BENCH_PEERS ?? 1000);

function scenario(lookups, window) {
  return [`name: bench-${N}`, 'bits: 24', `peers: { count: ${N}, seed: 1 }`, 'shortcuts: true', 'replication: 2', 'pingInterval: 5000', `randomLookups: ${lookups}`, `lookupWindow: ${window}`, ''].join('\n');
}

const run = (lookups, window) => runScenarioJson('dht', 'dht-bench.yaml', scenario(lookups, window));

try {
  await snapshotBuild();
  const latency = await run(2000, 1);
  const throughput = await run(10_000, 64);
  const log2n = Math.log2(N);
  const rows = [
    { what: 'mean hops (shortcuts)', measured: latency.result.totals.meanHops, goal: `≤ ${(1.2 * log2n).toFixed(2)} (1.2 × log2 N)`, ok: latency.result.totals.meanHops <= 1.2 * log2n },
    { what: 'median lookup time', measured: `${latency.result.totals.medianMs} ms`, goal: '< 10 ms', ok: latency.result.totals.medianMs < 10 },
    { what: 'lookups per second', measured: Math.round(throughput.result.totals.lookups / throughput.result.totals.seconds), goal: '≥ 10,000', ok: throughput.result.totals.lookups / throughput.result.totals.seconds >= 10_000 },
    { what: 'failed lookups', measured: latency.result.totals.failed + throughput.result.totals.failed, goal: '0', ok: latency.result.totals.failed + throughput.result.totals.failed === 0 },
    { what: 'peak RSS', measured: `${Math.round(Math.max(latency.hwm, throughput.hwm))} MB`, goal: '≤ 200 MB', ok: Math.max(latency.hwm, throughput.hwm) <= 200 },
  ];
  console.log(`\nDHT benchmark: N = ${N} peers, shortcuts on, textbook: N/2 = ${N / 2} messages per query without shortcuts, log2 N = ${log2n.toFixed(2)}`);
  console.log('what                     measured          goal');
  for (const r of rows) console.log(`${r.what.padEnd(24)} ${String(r.measured).padEnd(17)} ${r.goal}${r.ok ? '' : '  (missed)'}`);
  const artifact = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'artifacts', 'bench-dht.json');
  fs.mkdirSync(path.dirname(artifact), { recursive: true });
  fs.writeFileSync(artifact, JSON.stringify({ n: N, rows, latency: latency.result.totals, throughput: throughput.result.totals }, null, 2));
  dropSnapshot();
  process.exit(0);
} catch (err) {
  console.error(`dht bench: ${err.stack ?? err}`);
  dropSnapshot();
  process.exit(1);
}
