/**
 * `netlab dht FILE.yaml [--json]`: run a DHT scenario headless, its peers on loopback on free
 * ports, and print the lookups (key, responsible peer, hops, messages, time) beside the
 * textbook's numbers — one JSON object with --json. Exit code 0 when every lookup was
 * answered and no key was lost, 1 if not, 2 on a bad file.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import type { DhtArgs } from './cli-args';
import { runDhtScenario } from './lab/p2p/dht/dht-run';
import { parseDhtScenario, type DhtScenario } from './lab/p2p/dht/dht-scenario';
import type { DhtResult } from './lab/p2p/dht/dht-types';

function table(r: DhtResult): string {
  const lines = [
    `DHT ${r.name}: ${r.bits}-bit ring, N = ${r.peers.length} peers, shortcuts ${r.shortcuts ? 'on' : 'off'}, replication ${r.replication}`,
    `  textbook: successors only N/2 = ${r.textbook.successorsOnly} messages per query on average; with shortcuts about log2 N = ${r.textbook.shortcuts}`,
    ...r.churn.map((c) => `  churn at ${c.at} ms: ${c.event}`),
    '',
    '  KEY         FROM  RESPONSIBLE  HOPS  MESSAGES      MS  PATH',
  ];
  for (const l of r.lookups.slice(0, 50)) {
    lines.push(`  ${String(l.key).padEnd(10)}  ${String(l.from).padStart(4)}  ${String(l.responsible ?? 'none').padStart(11)}  ${String(l.hops).padStart(4)}  ${String(l.messages).padStart(8)}  ${l.ms.toFixed(2).padStart(6)}  ${l.path.join(' → ')}`);
  }
  if (r.lookups.length > 50) lines.push(`  … ${r.lookups.length - 50} more`);
  const t = r.totals;
  lines.push('', `  ${t.lookups} lookups, ${t.failed} failed; ${t.meanHops} hops and ${t.meanMessages} messages per query on average; median ${t.medianMs} ms`);
  lines.push(`  keys stored ${r.keysStored}, lost ${r.keysLost.length}${r.keysLost.length ? ': ' + r.keysLost.join(', ') : ''}`);
  return lines.join('\n');
}

export async function runDhtCli(args: DhtArgs): Promise<void> {
  let scenario: DhtScenario;
  try {
    scenario = parseDhtScenario(await fs.readFile(args.file, 'utf8'));
  } catch (err) {
    console.error(`netlab: dht ${args.file}: ${(err as Error).message}`);
    process.exit(2);
  }
  // a big ring with many lookups spreads its peers over one thread per core (at most 4);
  // NETLAB_DHT_THREADS=1 keeps them in one (the benchmark measures both)
  const threads = Math.max(1, Math.min(4, Number(process.env.NETLAB_DHT_THREADS) || os.availableParallelism()));
  const result = await runDhtScenario(scenario, { threads, status: args.json ? undefined : (t) => console.error(t) });
  const code = result.totals.failed === 0 && result.keysLost.length === 0 ? 0 : 1;
  // exit only once stdout is written: a pipe takes 64 KiB at a time, 10,000 lookups are more
  process.stdout.write((args.json ? JSON.stringify(result) : table(result)) + '\n', () => process.exit(code));
}
