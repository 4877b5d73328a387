/**
 * Which program run from the editor owns a local port: so a connection it opens to a lab
 * service is labelled "program <file>" in the inspector and the lab's checks can tell it
 * from a terminal or an outside client. Linux says it without asking the program: the
 * socket's inode is in /proc/net/{tcp,udp} beside its port, and in /proc/<pid>/fd of the
 * process holding it. Elsewhere the connection stays unnamed (an outside client).
 */
import fs from 'node:fs';

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6', '/proc/net/udp', '/proc/net/udp6'];

/** the inodes of the sockets bound to `port` on this machine */
function inodesOf(port: number): Set<string> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  const out = new Set<string>();
  for (const table of TABLES) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'latin1');
    } catch {
      continue;
    }
    for (const row of text.split('\n')) {
      // "  sl  local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode"
      const cols = row.trim().split(/\s+/);
      if (cols.length > 9 && `${cols[1]} `.endsWith(hex)) out.add(cols[9]);
    }
  }
  return out;
}

/** the pid among `pids` holding one of the sockets bound to `port`, if any (Linux only) */
export function pidOwningPort(port: number, pids: readonly number[]): number | undefined {
  if (process.platform !== 'linux' || pids.length === 0 || port <= 0) return undefined;
  const inodes = inodesOf(port);
  if (inodes.size === 0) return undefined;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}
