/**
 * The files an FTP session sees: a root folder in the data directory (a lab user's home,
 * or the public area anonymous users read), and a working directory inside it. A path the
 * client names is taken against the working directory and normalised as a rooted path, so
 * ".." never climbs above the root (the session is chrooted, as vsftpd and pyftpdlib do);
 * every real path then goes through confined-fs, so a symbolic link planted in the data
 * directory cannot lead a RETR or a STOR outside the root either.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { confineSync, existingSync, mkdirConfined, O_NOFOLLOW, openConfined, removeConfined, type Confinement } from '../confined-fs';

/** a STOR in progress writes here first, then renames: a broken upload leaves the old file whole */
const UPLOAD_PREFIX = '.ftp-upload-';

export interface FtpEntry {
  name: string;
  dir: boolean;
  size: number;
  mtime: Date;
}

/** Where the FTP area keeps its files: ftp/pub (anonymous) and ftp/home/<user>. */
export function ftpRoots(dataDir: string): { top: string; pub: string; home: (user: string) => string } {
  const top = path.join(dataDir, 'ftp');
  return { top, pub: path.join(top, 'pub'), home: (user) => path.join(top, 'home', user.toLowerCase()) };
}

/** The public area's first files, made once (a user may edit or delete them after). */
export async function seedPublicArea(dataDir: string): Promise<void> {
  const { pub } = ftpRoots(dataDir);
  const within: Confinement = { base: dataDir };
  if (existingSync(pub, within)) return;
  await mkdirConfined(path.join(pub, 'rfc'), within);
  const readme = [
    'Welcome to the NetLab FTP server (RFC 959).',
    '',
    'This is the public area anonymous users read. The control connection (port 21 in the',
    'lab) carries commands and replies; every listing and every file comes on a data',
    'connection of its own, opened by PASV/EPSV (passive) or PORT/EPRT (active).',
    '',
  ].join('\n');
  const rfc = ['RFC 959 FILE TRANSFER PROTOCOL (FTP), October 1985 - J. Postel, J. Reynolds', '', 'The objectives of FTP are 1) to promote sharing of files ...', ''].join('\n');
  await fsp.writeFile(path.join(pub, 'README.txt'), readme);
  await fsp.writeFile(path.join(pub, 'rfc', 'rfc959-abstract.txt'), rfc);
}

export class FtpFiles {
  /** the working directory, a rooted path ("/", "/rfc") */
  cwd = '/';
  private within: Confinement;

  constructor(
    dataDir: string,
    readonly root: string,
    readonly writable: boolean,
  ) {
    this.within = { base: dataDir, scope: root };
  }

  /** the client's path as a rooted path: never above "/" */
  virtual(arg: string): string {
    const joined = arg.startsWith('/') ? arg : path.posix.join(this.cwd, arg || '.');
    return path.posix.normalize(joined).replace(/(.)\/+$/, '$1');
  }

  /** the real path of a rooted path, checked to stay in the root (links included) */
  real(vpath: string): string {
    return confineSync(path.join(this.root, ...vpath.split('/').filter(Boolean)), this.within);
  }

  async ensureRoot(): Promise<void> {
    await mkdirConfined(this.root, this.within);
  }

  async stat(vpath: string): Promise<fs.Stats | null> {
    const real = existingSync(this.real(vpath), this.within);
    return real ? fsp.stat(real) : null;
  }

  async changeDir(arg: string): Promise<boolean> {
    const v = this.virtual(arg);
    const st = await this.stat(v);
    if (!st?.isDirectory()) return false;
    this.cwd = v;
    return true;
  }

  async list(vpath: string): Promise<FtpEntry[] | null> {
    const st = await this.stat(vpath);
    if (!st) return null;
    if (st.isFile()) return [{ name: path.posix.basename(vpath), dir: false, size: st.size, mtime: st.mtime }];
    const real = this.real(vpath);
    const names = (await fsp.readdir(real)).filter((n) => !n.startsWith(UPLOAD_PREFIX)).sort();
    const out: FtpEntry[] = [];
    for (const name of names) {
      const s = await fsp.lstat(path.join(real, name)).catch(() => null);
      if (s && (s.isFile() || s.isDirectory())) out.push({ name, dir: s.isDirectory(), size: s.size, mtime: s.mtime });
    }
    return out;
  }

  async openRead(vpath: string): Promise<fsp.FileHandle> {
    return openConfined(this.real(vpath), this.within);
  }

  /** A new file beside the target, written then renamed onto it by `commit`. */
  async openUpload(vpath: string): Promise<{ handle: fsp.FileHandle; commit: () => Promise<void>; discard: () => Promise<void> }> {
    const target = this.real(vpath);
    const parent = existingSync(path.dirname(target), this.within);
    if (!parent || !(await fsp.stat(parent)).isDirectory()) throw Object.assign(new Error('no such folder'), { code: 'ENOENT' });
    if ((await fsp.lstat(target).catch(() => null))?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    const tmp = path.join(parent, `${UPLOAD_PREFIX}${randomBytes(6).toString('hex')}`);
    const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
    const handle = await fsp.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    const discard = async (): Promise<void> => {
      await handle.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true });
    };
    const commit = async (): Promise<void> => {
      try {
        await handle.sync();
        await handle.close();
        await fsp.rename(tmp, path.join(parent, path.basename(target)));
      } catch (err) {
        await discard();
        throw err;
      }
    };
    return { handle, commit, discard };
  }

  async remove(vpath: string): Promise<boolean> {
    return removeConfined(this.real(vpath), this.within);
  }

  async makeDir(vpath: string): Promise<void> {
    await fsp.mkdir(this.real(vpath));
  }

  async removeDir(vpath: string): Promise<void> {
    if (vpath === '/') throw Object.assign(new Error('the root stays'), { code: 'EPERM' });
    await fsp.rmdir(this.real(vpath));
  }

  async rename(from: string, to: string): Promise<void> {
    if (from === '/' || to === '/') throw Object.assign(new Error('the root stays'), { code: 'EPERM' });
    await fsp.rename(this.real(from), this.real(to));
  }
}
