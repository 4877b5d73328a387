/**
 * Where scenario files live: shipped in resources/scenarios, the user's copies (saved from
 * the editors) in <data directory>/scenarios. A user copy with a shipped file's name comes
 * after it in the list, and is the one the editors open. A symbolic link in scenarios/ that
 * leads out of it is not listed, read or written through (confined-fs.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ScenarioFile } from '../p2p/swarm-types';
import { type Confinement, OutsideRootError, readTextConfined } from '../confined-fs';
import { writeFileAtomic } from '../storage';

export function userScenarioDir(dataDir: string): string {
  return path.join(dataDir, 'scenarios');
}

/** Shipped files first, then the user's, each sorted by name; `pattern` picks the kind. */
export async function listScenarioFiles(resourcesDir: string, dataDir: string, pattern: RegExp): Promise<ScenarioFile[]> {
  const out: ScenarioFile[] = [];
  const dirs: [Confinement, boolean][] = [
    [{ base: resourcesDir, scope: path.join(resourcesDir, 'scenarios') }, true],
    [{ base: dataDir, scope: userScenarioDir(dataDir) }, false],
  ];
  for (const [within, shipped] of dirs) {
    const dir = within.scope ?? within.base;
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => pattern.test(n)).sort()) {
      const file = path.join(dir, name);
      try {
        out.push({ name, path: file, text: await readTextConfined(file, within), shipped });
      } catch (err) {
        // a link out of the folder is left out of the list; the others still open
        if (!(err instanceof OutsideRootError)) throw err;
      }
    }
  }
  return out;
}

/** Save a user copy (atomically: temp file, fsync, rename). */
export async function saveScenarioFile(dataDir: string, name: string, text: string): Promise<ScenarioFile> {
  const file = path.join(userScenarioDir(dataDir), name);
  await writeFileAtomic(file, text, { base: dataDir, scope: userScenarioDir(dataDir) });
  return { name, path: file, text, shipped: false };
}
