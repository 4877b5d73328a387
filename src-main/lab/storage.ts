/** Where the lab keeps what it writes, and how: atomically (temp file, fsync, rename). */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { confineSync, type Confinement, mkdirConfined, O_NOFOLLOW } from './confined-fs';

/** The platform's user-data directory, the same one Electron's app.getPath('userData') gives. */
export function defaultDataDir(appName = 'NetLab'): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
}

/**
 * Write a file whole or not at all: a temp file beside it, fsync, rename. `within` keeps the
 * write inside the lab's own folders: a folder on the way or the file itself reached through
 * a link that leads out is refused (OutsideRootError), the temp file is created with O_EXCL
 * and O_NOFOLLOW, and the rename replaces a link inside the scope instead of writing through it.
 */
export async function writeFileAtomic(file: string, data: string | Buffer, within: Confinement): Promise<void> {
  const dir = await mkdirConfined(path.dirname(file), within);
  confineSync(file, within);
  const target = path.join(dir, path.basename(file));
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const { O_WRONLY, O_CREAT, O_EXCL } = fsConstants;
  const handle = await fs.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The first executable called `name` on PATH, or null. */
export async function findOnPath(names: string[]): Promise<string | null> {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const name of names) {
    for (const dir of dirs) {
      for (const ext of exts) {
        const candidate = path.join(dir, name + ext);
        try {
          await fs.access(candidate, fs.constants.X_OK);
          const stat = await fs.stat(candidate);
          if (stat.isFile()) return candidate;
        } catch {
          /* not here */
        }
      }
    }
  }
  return null;
}
