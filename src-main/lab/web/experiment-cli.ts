/**
 * `netlab experiment persistence|caching [--rtt MS] [--delay MS] [--requests N] [--json]`:
 * run one of the web experiments headless, in a lab of its own whose services listen on
 * free ports, and print the measurements beside the textbook's formulas.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Lab } from '../lab';
import type { CachingResult, PersistenceResult } from './types';

export interface ExperimentArgs {
  command: 'experiment';
  name: 'persistence' | 'caching';
  rttMs?: number;
  delayMs?: number;
  requests?: number;
  json: boolean;
}

function persistenceTable(r: PersistenceResult): string {
  const lines = [`${r.url}: the base page and ${r.referenced} images, RTT ${r.rttMs} ms`, '', '  CONNECTIONS      TCP  MEASURED   TEXTBOOK   FORMULA'];
  for (const x of r.runs) {
    lines.push(`  ${x.mode.padEnd(15)} ${String(x.connections).padStart(4)}  ${`${x.measuredMs} ms`.padStart(8)}  ${`${x.formulaMs} ms`.padStart(9)}   ${x.formula}`);
  }
  return lines.join('\n');
}

function cachingTable(r: CachingResult): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const lines = [`Internet delay ${r.internetDelayMs} ms, access link ${r.accessKbps} kbit/s`, '', '                 HIT RATE  AVERAGE  TEXTBOOK  FORMULA'];
  for (const x of r.runs) {
    lines.push(`  ${(x.cache ? 'with cache' : 'without cache').padEnd(14)} ${`${Math.round(x.hitRate * 100)}%`.padStart(8)}  ${s(x.avgMs).padStart(7)}  ${s(x.formulaMs).padStart(8)}  ${x.formula}`);
  }
  return lines.join('\n');
}

export async function runExperimentCli(args: ExperimentArgs, resourcesDir: string): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netlab-experiment-'));
  const lab = new Lab({ dataDir, resourcesDir, shell: 'browser', ports: new Proxy({}, { get: () => 0 }) });
  try {
    await lab.start();
    if (args.name === 'persistence') {
      const r = await lab['web.runPersistence']({ ...(args.rttMs !== undefined ? { rttMs: args.rttMs } : {}) });
      console.log(args.json ? JSON.stringify(r) : persistenceTable(r));
    } else {
      const r = await lab['web.runCaching']({
        ...(args.delayMs !== undefined ? { internetDelayMs: args.delayMs } : {}),
        ...(args.requests !== undefined ? { requests: args.requests } : {}),
      });
      console.log(args.json ? JSON.stringify(r) : cachingTable(r));
    }
  } finally {
    await lab.shutdown();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
