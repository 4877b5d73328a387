/**
 * `npm run bench`: every area's benchmark, one after another, each in its own process
 * (bench/<area>.mjs). `npm run bench -- dns web` runs only those. Figures are informative:
 * a benchmark never fails on speed, only when something breaks.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const AREAS = ['foundation', 'dns', 'web', 'mail', 'p2p', 'dht', 'overlays', 'flow', 'labs', 'capture', 'ftp', 'https', 'imap', 'snmp', 'sip', 'video'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = (wanted.length ? wanted : AREAS).filter((a) => fs.existsSync(path.join(here, `${a}.mjs`)));

let failed = 0;
for (const area of chosen) {
  console.log(`\n=== bench: ${area} ===\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(here, `${area}.mjs`)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${area}: exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
