/**
 * Files under a root the lab owns (the data directory, resources/) reached without following
 * a symbolic link out of it. A link planted in the data directory — a file pointing at
 * /etc/hostname, a folder pointing at /tmp — would otherwise let a GET read, or a PUT, a zone
 * save or a mail delivery write, anywhere the user can. Every path is resolved to its real
 * location and refused when that leaves its scope; the last step opens with O_NOFOLLOW where
 * the platform has it, so a link swapped in after the check is not followed either. A link
 * that stays inside its scope is harmless and followed.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** Where a file must stay: `base` is trusted as it is (it may itself be reached through a
 *  link, as /tmp is on macOS); `scope`, a folder under it, is where the file's real path must lie. */
export interface Confinement {
  base: string;
  scope?: string;
}

export class OutsideRootError extends Error {
  readonly code = 'EOUTSIDE';
  constructor(
    readonly file: string,
    readonly scope: string,
  ) {
    super(`${file} is reached through a symbolic link that leads outside ${scope}: NetLab does not follow it`);
  }
}

/** O_NOFOLLOW is POSIX; Windows has no such flag (0 leaves the check to the real-path test). */
export const O_NOFOLLOW: number = fs.constants.O_NOFOLLOW ?? 0;

const realBases = new Map<string, string>();

function realBase(base: string): string {
  const known = realBases.get(base);
  if (known) return known;
  try {
    const real = fs.realpathSync.native(base);
    realBases.set(base, real);
    return real;
  } catch {
    // not made yet: its name as given (nothing under it can be a link)
    return path.resolve(base);
  }
}

/** The scope's real path: the base's real path and the scope's place under it. */
function realScope(c: Confinement): string {
  const base = path.resolve(c.base);
  const scope = path.resolve(c.scope ?? base);
  const rel = path.relative(base, scope);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${scope} is not under ${base}`);
  return path.join(realBase(base), rel);
}

function isInside(real: string, scope: string): boolean {
  return real === scope || real.startsWith(scope.endsWith(path.sep) ? scope : scope + path.sep);
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * The real path `file` resolves to, checked against its scope: for a file that does not exist
 * yet, its nearest existing folder's real path with the missing names after it (a write will
 * create them there). A dangling link counts as leading out: where it points is not known to
 * stay inside. Throws OutsideRootError when the path leaves the scope.
 */
export function confineSync(file: string, c: Confinement): string {
  const scope = realScope(c);
  const missing: string[] = [];
  let p = path.resolve(file);
  for (;;) {
    try {
      const real = path.join(fs.realpathSync.native(p), ...missing.reverse());
      if (!isInside(real, scope)) throw new OutsideRootError(file, c.scope ?? c.base);
      return real;
    } catch (err) {
      if (err instanceof OutsideRootError) throw err;
      if (code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') throw err;
      if (fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink()) throw new OutsideRootError(file, c.scope ?? c.base);
      const parent = path.dirname(p);
      if (parent === p) throw err;
      missing.push(path.basename(p));
      p = parent;
    }
  }
}

/** The file's real path when it exists and stays in its scope; null when there is nothing there. */
export function existingSync(file: string, c: Confinement): string | null {
  let real: string;
  try {
    real = fs.realpathSync.native(file);
  } catch (err) {
    if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') {
      if (fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) throw new OutsideRootError(file, c.scope ?? c.base);
      return null;
    }
    throw err;
  }
  if (!isInside(real, realScope(c))) throw new OutsideRootError(file, c.scope ?? c.base);
  return real;
}

/** Whether a regular file is there (inside its scope); a link out of it throws. */
export function fileExistsSync(file: string, c: Confinement): boolean {
  const real = existingSync(file, c);
  return real !== null && fs.statSync(real).isFile();
}

/** Open a file for reading at its checked real path, never following a link at the last step. */
export async function openConfined(file: string, c: Confinement): Promise<fsp.FileHandle> {
  const real = existingSync(file, c);
  if (real === null) throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: 'ENOENT' });
  const handle = await fsp.open(real, fs.constants.O_RDONLY | O_NOFOLLOW).catch((err: unknown) => {
    // ELOOP: a link was put there after the check
    throw code(err) === 'ELOOP' ? new OutsideRootError(file, c.scope ?? c.base) : err;
  });
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw Object.assign(new Error(`EISDIR: not a file, read '${file}'`), { code: 'EISDIR' });
  }
  return handle;
}

export async function readFileConfined(file: string, c: Confinement): Promise<Buffer> {
  const handle = await openConfined(file, c);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export async function readTextConfined(file: string, c: Confinement): Promise<string> {
  return (await readFileConfined(file, c)).toString('utf8');
}

/** Open a file for reading at its checked real path, synchronously; the descriptor of a regular file. */
function openConfinedSync(file: string, c: Confinement): number {
  const real = existingSync(file, c);
  if (real === null) throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: 'ENOENT' });
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | O_NOFOLLOW);
  } catch (err) {
    throw code(err) === 'ELOOP' ? new OutsideRootError(file, c.scope ?? c.base) : err;
  }
  return fd;
}

/** The same, synchronously (the zone store reads every zone before the DNS servers answer). */
export function readTextConfinedSync(file: string, c: Confinement): string {
  const fd = openConfinedSync(file, c);
  try {
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error(`EISDIR: not a file, read '${file}'`), { code: 'EISDIR' });
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A file of at most `max` bytes read at once, synchronously; null when it is larger (read it
 * with readFileConfined). A mail server reads thousands of small message files in one FETCH:
 * four system calls each, where the promise API takes five trips through the thread pool
 * (open, stat, read, read to the end, close) per file.
 */
export function readSmallFileConfinedSync(file: string, c: Confinement, max: number): Buffer | null {
  const fd = openConfinedSync(file, c);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error(`EISDIR: not a file, read '${file}'`), { code: 'EISDIR' });
    if (st.size > max) return null;
    const buf = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = fs.readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === buf.length ? buf : buf.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Make the folder and its missing parents, each one inside the scope (mkdir -p would follow a
 * linked folder and create the rest outside). Returns the folder's real path.
 */
export async function mkdirConfined(dir: string, c: Confinement): Promise<string> {
  const real = confineSync(dir, c);
  await fsp.mkdir(real, { recursive: true });
  // made: check again, in case a link was put in its way meanwhile
  return confineSync(dir, c);
}

/** Remove a file inside its scope (a link in its way is refused, not followed to delete the file it leads to). */
export async function removeConfined(file: string, c: Confinement): Promise<boolean> {
  const parent = confineSync(path.dirname(file), c);
  const target = path.join(parent, path.basename(file));
  const st = await fsp.lstat(target).catch(() => null);
  if (!st) return false;
  if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: is a folder, unlink '${file}'`), { code: 'EISDIR' });
  // a link itself may go (unlink removes the link, never what it points at)
  await fsp.unlink(target);
  return true;
}
