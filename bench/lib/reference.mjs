/**
 * A reference server from Debian (vsftpd, snmpd …) run in the foreground as this user, its
 * config in a temp dir of its own: the pid (for /proc), what it said on stderr, and a stop
 * that also removes the dir. Only this child is ever killed, by its pid.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { sleep } from './lab.mjs';

export function startReference(dir, cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return {
    pid: child.pid,
    error: () => err,
    async stop() {
      child.kill('SIGTERM');
      await sleep(100);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
