/**
 * Where lab files live: shipped in resources/labs, the user's (written in the editor, saved
 * as a copy) in <data directory>/labs. Read and written without following a link out of
 * those folders (confined-fs.ts), as scenario files are.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readTextConfined, type Confinement } from '../confined-fs';
import { writeFileAtomic } from '../storage';
import type { LabFileText, LabOrigin } from './lab-types';

import { LAB_FILE_NAME } from './lab-names';

export { LAB_FILE_NAME };

export interface LabDirs {
  resourcesDir: string;
  dataDir: string;
}

export function labFolder(dirs: LabDirs, origin: LabOrigin): Confinement {
  return origin === 'shipped'
    ? { base: dirs.resourcesDir, scope: path.join(dirs.resourcesDir, 'labs') }
    : { base: dirs.dataDir, scope: path.join(dirs.dataDir, 'labs') };
}

export async function labFileNames(dirs: LabDirs, origin: LabOrigin): Promise<string[]> {
  const names = await fs.readdir(labFolder(dirs, origin).scope!).catch(() => [] as string[]);
  return names.filter((n) => LAB_FILE_NAME.test(n)).sort();
}

export async function readLabFile(dirs: LabDirs, origin: LabOrigin, file: string): Promise<LabFileText> {
  if (!LAB_FILE_NAME.test(file)) throw new Error(`${file} is not a lab file name (lower-case letters, digits, dashes, .yaml)`);
  const within = labFolder(dirs, origin);
  try {
    return { file, origin, text: await readTextConfined(path.join(within.scope!, file), within) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`no ${origin === 'shipped' ? 'shipped' : 'user'} lab called ${file}`);
    throw err;
  }
}

export async function writeUserLabFile(dirs: LabDirs, file: string, text: string): Promise<void> {
  const within = labFolder(dirs, 'user');
  await writeFileAtomic(path.join(within.scope!, file), text, within);
}
