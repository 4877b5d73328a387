/**
 * `netlab overlay FILE.yaml [--json]`: build Napster, Gnutella and KaZaA on the same peers
 * (each on its own 127.0.0.x, on free ports) and print each query's cost — messages beside the
 * flood formula, hops, found or not, the busiest node — and a line per overlay. Exit code 0
 * when the run finished, 2 on a bad file.
 */
import fs from 'node:fs/promises';
import type { OverlayArgs } from './cli-args';
import { runOverlayScenario } from './lab/p2p/overlays/overlay-run';
import { parseOverlayScenario, type OverlayScenario } from './lab/p2p/overlays/overlay-scenario';
import type { OverlayResult } from './lab/p2p/overlays/overlay-types';

function table(r: OverlayResult): string {
  const supers = r.peers.filter((p) => p.superNode).map((p) => p.name);
  const lines = [
    `Overlays ${r.name}: ${r.peers.length} peers, ${r.edges} Gnutella links, TTL ${r.ttl}; super-nodes ${supers.join(', ')} (${r.superEdges} links); index at ${r.index.address}:${r.index.port}`,
    '',
    '  OVERLAY   QUERY               FROM  FOUND  HOPS  MESSAGES  FORMULA  BUSIEST      DOWNLOADED',
  ];
  for (const q of r.queries.slice(0, 90)) {
    lines.push(`  ${q.overlay.padEnd(8)}  ${q.file.slice(0, 18).padEnd(18)}  ${q.from.padStart(4)}  ${(q.found ? `${q.hits.length}` : 'no').padStart(5)}  ${String(q.hops).padStart(4)}  ${String(q.messages).padStart(8)}  ${String(q.formula ?? '-').padStart(7)}  ${`${q.busiest.node} ${q.busiest.load}`.padEnd(11)}  ${q.downloaded === undefined ? '-' : `${q.downloaded} bytes`}`);
  }
  if (r.queries.length > 90) lines.push(`  … ${r.queries.length - 90} more`);
  lines.push('');
  for (const t of r.totals) lines.push(`  ${t.overlay.padEnd(8)}  found ${t.found}/${t.queries}, ${t.meanMessages} messages and ${t.meanHops} hops per query on average, busiest node ${t.busiestNode} with ${t.busiestLoad} messages over the run`);
  return lines.join('\n');
}

export async function runOverlayCli(args: OverlayArgs): Promise<void> {
  let scenario: OverlayScenario;
  try {
    scenario = parseOverlayScenario(await fs.readFile(args.file, 'utf8'));
  } catch (err) {
    console.error(`netlab: overlay ${args.file}: ${(err as Error).message}`);
    process.exit(2);
  }
  const result = await runOverlayScenario(scenario, { status: args.json ? undefined : (t) => console.error(t) });
  process.stdout.write((args.json ? JSON.stringify(result) : table(result)) + '\n', () => process.exit(0));
}
