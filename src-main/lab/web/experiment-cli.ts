/**
 * `netlab experiment persistence|caching [--rtt MS] [--parallel M] [--large KB] [--rate KBPS]
 * [--delay MS] [--requests N] [--json]`:
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
  /** m, the parallel connections */
  parallel?: number;
  /** large objects of this many kilobytes (1000 bytes) in place of the images */
  largeKB?: number;
  /** the web server's link rate during the run, kbit/s */
  rateKbps?: number;
  json: boolean;
}

function persistenceTable(r: PersistenceResult): string {
  const objects = r.objectBytes > 0 ? `${r.referenced} objects of ${r.objectBytes} bytes` : `${r.referenced} images`;
  const rate = r.rateKbps > 0 ? `, link R = ${r.rateKbps} kbit/s` : '';
  const lines = [`${r.url}: the base page and ${objects}, RTT ${r.rttMs} ms${rate}`, '', '  CONNECTIONS       TCP  MEASURED   TEXTBOOK   FORMULA'];
  for (const x of r.runs) {
    const mode = x.mode === 'parallel' ? `parallel, m=${x.parallel}` : x.mode;
    lines.push(`  ${mode.padEnd(16)} ${String(x.connections).padStart(4)}  ${`${x.measuredMs} ms`.padStart(8)}  ${`${x.formulaMs} ms`.padStart(9)}   ${x.formula}`);
  }
  return lines.join('\n');
}

function cachingTable(r: CachingResult): string {
  const s = (x: number | null): string => (x === null ? '—' : `${x.toFixed(2)} s`);
  const m = r.model;
  const lines = [
    `${m.requestsPerSec} requests/s of ${m.objectKbit} kbit objects, Internet delay ${m.internetDelayMs} ms, hit rate ${m.hitRate} with the cache`,
    `(run ${r.scale.timeFactor}× faster with sizes and rates ÷${r.scale.sizeDivisor}: ${r.scale.objectBytes}-byte objects, ${r.scale.wallSeconds} s of wall time; delays in textbook seconds)`,
    '',
    '  OPTION                  La/R  HIT RATE  AVERAGE  FIRST→LAST 5TH  TEXTBOOK',
  ];
  for (const x of r.options) {
    lines.push(
      `  ${x.label.padEnd(22)} ${x.intensity.toFixed(2).padStart(5)}  ${`${Math.round(x.hitRate * 100)}%`.padStart(8)}  ${s(x.avgS).padStart(7)}  ${`${s(x.firstS)}→${s(x.lastS)}`.padStart(14)}  ${x.textbook}`,
    );
  }
  return lines.join('\n');
}

export async function runExperimentCli(args: ExperimentArgs, resourcesDir: string): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'netlab-experiment-'));
  const lab = new Lab({ dataDir, resourcesDir, shell: 'browser', ports: new Proxy({}, { get: () => 0 }) });
  try {
    await lab.start();
    if (args.name === 'persistence') {
      const r = await lab['web.runPersistence']({
        ...(args.rttMs !== undefined ? { rttMs: args.rttMs } : {}),
        ...(args.parallel !== undefined ? { parallel: args.parallel } : {}),
        ...(args.largeKB !== undefined ? { objectBytes: args.largeKB * 1000 } : {}),
        ...(args.rateKbps !== undefined ? { rateKbps: args.rateKbps } : {}),
      });
      console.log(args.json ? JSON.stringify(r) : persistenceTable(r));
    } else {
      const r = await lab['web.runCaching']({
        ...(args.delayMs !== undefined ? { internetDelayMs: args.delayMs } : {}),
        ...(args.requests !== undefined ? { requestsPerSec: args.requests } : {}),
      });
      console.log(args.json ? JSON.stringify(r) : cachingTable(r));
    }
  } finally {
    await lab.shutdown();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
