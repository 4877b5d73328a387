/**
 * How much of the disk the lab's data directory takes, area by area, as `du` would count it
 * (file sizes, not blocks: the same figure on every platform). Links are not followed — a link
 * planted there would otherwise count a file that is not the lab's — and are counted apart.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DataDirUse, DataDirArea } from './api-types';

export interface FolderUse {
  bytes: number;
  files: number;
  /** symbolic links met (not followed) */
  links: number;
}

/** Folders nested deeper than this are not counted (a Maildir is 4 deep, a site a few more). */
const MAX_DEPTH = 32;

/** What a folder (or a single file) holds, links not followed. */
export async function folderUse(dir: string): Promise<FolderUse> {
  const use: FolderUse = { bytes: 0, files: 0, links: 0 };
  const visit = async (d: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) use.links++;
      else if (e.isDirectory()) await visit(p, depth + 1);
      else if (e.isFile()) {
        const st = await fs.lstat(p).catch(() => null);
        if (!st?.isFile()) continue;
        use.bytes += st.size;
        use.files++;
      }
    }
  };
  const top = await fs.lstat(dir).catch(() => null);
  if (top?.isSymbolicLink()) use.links++;
  else if (top?.isDirectory()) await visit(dir, 0);
  else if (top?.isFile()) Object.assign(use, { bytes: top.size, files: 1 });
  return use;
}

/** The areas of the data directory (README, "Where data is stored"), each its own folder. */
export const DATA_DIR_AREAS: readonly DataDirArea[] = ['mail', 'sites', 'zones', 'scenarios', 'programs', 'swarms', 'labs', 'ftp'];

export async function dataDirUse(dataDir: string): Promise<DataDirUse> {
  const byArea = new Map<DataDirArea, FolderUse>(DATA_DIR_AREAS.map((a) => [a, { bytes: 0, files: 0, links: 0 }]));
  const other: FolderUse = { bytes: 0, files: 0, links: 0 };
  const names = await fs.readdir(dataDir).catch(() => [] as string[]);
  for (const name of names) {
    const use = await folderUse(path.join(dataDir, name));
    const into = byArea.get(name as DataDirArea) ?? other;
    into.bytes += use.bytes;
    into.files += use.files;
    into.links += use.links;
  }
  const areas = [...byArea].map(([area, use]) => ({ area, ...use }));
  const sum = (k: keyof FolderUse) => areas.reduce((n, a) => n + a[k], other[k]);
  return { dataDir, bytes: sum('bytes'), files: sum('files'), links: sum('links'), areas, otherBytes: other.bytes };
}
