/** Child processes of a benchmark (reference servers, load generators, the lab): started,
 *  their output kept, stopped; `killChildren` on the way out so nothing is left running. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const children = new Set();

/** A command on PATH, or in /usr/sbin where Debian puts servers (nginx, squid, unbound). */
export const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd} || test -x /usr/sbin/${cmd}`]).status === 0;
export const which = (cmd) =>
  spawnSync('sh', ['-c', `command -v ${cmd} || ls /usr/sbin/${cmd}`], { encoding: 'utf8' }).stdout.trim().split('\n')[0];

export function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.once('exit', () => children.delete(child));
  return { child, output: () => out };
}

/** Node alone (node-floor.mjs): `kind` and its arguments, as that file lists them */
export function startNodeFloor(kind, ...args) {
  return start(process.execPath, [fileURLToPath(new URL('./node-floor.mjs', import.meta.url)), kind, ...args.map(String)]);
}

/** Ask a child to stop (`signal`), then kill it if it has not within 5 s. */
export async function stop(p, signal = 'SIGTERM') {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill(signal);
  const t = setTimeout(() => p.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

export function killChildren() {
  for (const c of children) c.kill('SIGKILL');
}
