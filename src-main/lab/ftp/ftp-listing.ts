/**
 * What LIST, NLST and MLSD send on the data connection (pure). RFC 959 leaves LIST's format
 * to the system; like most servers the lab sends `ls -l` lines, which clients (lftp, file
 * managers) know how to read. NLST is names alone; MLSD is RFC 3659's machine-readable facts.
 */
import { timeVal } from './ftp-codec';
import type { FtpEntry } from './ftp-files';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR_MS = 182 * 24 * 3600 * 1000;

function lsDate(d: Date, now: Date): string {
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const recent = Math.abs(now.getTime() - d.getTime()) < HALF_YEAR_MS;
  const tail = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

export function listLines(entries: FtpEntry[], writable: boolean, now = new Date()): string {
  return entries
    .map((e) => {
      const mode = e.dir ? (writable ? 'drwxr-xr-x' : 'dr-xr-xr-x') : writable ? '-rw-r--r--' : '-r--r--r--';
      return `${mode} 1 ftp ftp ${String(e.size).padStart(10)} ${lsDate(e.mtime, now)} ${e.name}\r\n`;
    })
    .join('');
}

export function nameLines(entries: FtpEntry[]): string {
  return entries.map((e) => `${e.name}\r\n`).join('');
}

/** RFC 3659 §7: type, size, modify and perm facts, then a space and the name */
export function mlsdLines(entries: FtpEntry[], writable: boolean): string {
  return entries
    .map((e) => {
      const perm = e.dir ? (writable ? 'elcdmf' : 'el') : writable ? 'rwadf' : 'r';
      return `type=${e.dir ? 'dir' : 'file'};size=${e.size};modify=${timeVal(e.mtime)};perm=${perm}; ${e.name}\r\n`;
    })
    .join('');
}
