/**
 * `netlab swarm FILE.yaml [--json]`: run a swarm scenario headless with its own tracker on a
 * free port, and print the result — one JSON line with --json (for scripts and benchmarks),
 * a table otherwise. Exit code 0 when every staying peer completed, 1 if not, 2 on a bad file.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import type { SwarmArgs } from './cli-args';
import { SwarmRun } from './lab/p2p/swarm';
import { parseSwarmScenario, SwarmScenarioError, type SwarmScenario } from './lab/p2p/swarm-scenario';
import { startStandaloneTracker } from './lab/p2p/tracker/swarm-tracker';
import type { SwarmResult } from './lab/p2p/swarm-types';

function table(r: SwarmResult): string {
  const s = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${x.toFixed(2)} s`);
  const lines = [
    `Swarm ${r.name}: F = ${(r.fileBytes / 1024 / 1024).toFixed(2)} MiB in ${r.pieces} chunks, N = ${r.n}, u_s = ${(r.serverUpload / 1024).toFixed(0)} KiB/s`,
    `  distribution time (measured)  ${s(r.distributionTime)}`,
    `  P2P bound D_P2P               ${s(r.bounds.p2p)}`,
    `  client-server bound D_cs      ${s(r.bounds.clientServer)}`,
  ];
  if (r.baseline) lines.push(`  client-server run (measured)  ${s(r.baseline.distributionTime)}`);
  lines.push('', '  PEER        JOINED   DONE AT  UP KiB/s  DOWN KiB/s  NOTES');
  for (const p of r.peers) {
    const notes = [p.freeRider ? 'free-rider' : '', p.churned ? 'left' : '', p.hashOk === false ? 'HASH MISMATCH' : '', p.badPieces ? `${p.badPieces} bad pieces` : ''].filter(Boolean).join(', ');
    lines.push(
      `  ${p.name.padEnd(10)}  ${p.joinAt.toFixed(1).padStart(6)}  ${s(p.completedAt).padStart(8)}  ${(p.upload / 1024).toFixed(0).padStart(8)}  ${(p.download ? (p.download / 1024).toFixed(0) : '∞').padStart(10)}  ${notes}`,
    );
  }
  return lines.join('\n');
}

export async function runSwarmCli(args: SwarmArgs): Promise<void> {
  let scenario: SwarmScenario;
  try {
    scenario = parseSwarmScenario(await fs.readFile(args.file, 'utf8'));
  } catch (err) {
    const why = err instanceof SwarmScenarioError ? err.message : (err as Error).message;
    console.error(`netlab: swarm ${args.file}: ${why}`);
    process.exit(2);
  }
  const tracker = await startStandaloneTracker();
  // a big swarm spreads its peers over one worker thread per core (at most 4), the tracker staying
  // in this one; NETLAB_SWARM_THREADS=1 keeps every peer here, =2 spreads even a small swarm
  const peers = scenario.peers.reduce((n, g) => n + g.count, 1);
  const threads = Math.max(1, Math.min(4, Number(process.env.NETLAB_SWARM_THREADS) || (peers >= 100 ? os.availableParallelism() : 1)));
  const run = await SwarmRun.create(scenario, { announceUrl: tracker.url, udpAnnounceUrl: tracker.udpUrl, threads, log: args.json ? undefined : (t) => console.error(t) });
  const result = await run.run();
  await tracker.close();
  const code = result.distributionTime === null ? 1 : 0;
  // exit only once stdout is written: a pipe takes 64 KiB at a time, a swarm of hundreds of peers prints more
  process.stdout.write((args.json ? JSON.stringify(result) : table(result)) + '\n', () => process.exit(code));
}
