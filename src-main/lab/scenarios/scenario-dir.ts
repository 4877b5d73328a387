/**
 * Where scenario files live: shipped in resources/scenarios, the user's copies (saved from
 * the editors) in <data directory>/scenarios. A user copy with a shipped file's name comes
 * after it in the list, and is the one the editors open.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ScenarioFile } from '../p2p/swarm-types';

export function userScenarioDir(dataDir: string): string {
  return path.join(dataDir, 'scenarios');
}

/** Shipped files first, then the user's, each sorted by name; `pattern` picks the kind. */
export async function listScenarioFiles(resourcesDir: string, dataDir: string, pattern: RegExp): Promise<ScenarioFile[]> {
  const out: ScenarioFile[] = [];
  for (const [dir, shipped] of [[path.join(resourcesDir, 'scenarios'), true], [userScenarioDir(dataDir), false]] as const) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => pattern.test(n)).sort()) {
      const file = path.join(dir, name);
      out.push({ name, path: file, text: await fs.readFile(file, 'utf8'), shipped });
    }
  }
  return out;
}

/** Save a user copy (atomically: temp file, then rename). */
export async function saveScenarioFile(dataDir: string, name: string, text: string): Promise<ScenarioFile> {
  const dir = userScenarioDir(dataDir);
  const file = path.join(dir, name);
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
  return { name, path: file, text, shipped: false };
}
