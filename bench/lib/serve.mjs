/**
 * `netlab serve` (the snapshot of the build) with only the services a benchmark drives, on
 * fixed ports; every other service is stopped so its default port stays free for others.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { callOnce, netlabBin, tempDir } from './lab.mjs';

/** `bin`: another build's netlab.mjs (snapshotBuild(source)); `nodeArgs`: node's own flags for the lab (`--cpu-prof`) */
export async function startServeWith({ label, ports, uiPort, bin = netlabBin(), nodeArgs = [] }) {
  const dir = tempDir(label);
  const scenario = path.join(dir, 'scenario.yaml');
  const lines = [`name: ${label} bench`, 'services:', ...Object.entries(ports).map(([id, port]) => `  ${id}: { port: ${port} }`)];
  fs.writeFileSync(scenario, lines.join('\n') + '\n');
  const child = spawn(process.execPath, [...nodeArgs, bin, 'serve', '--no-open', '--ui-port', String(uiPort), '--data-dir', path.join(dir, 'data'), '--scenario', scenario], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`netlab serve did not start: ${out}`)), 20_000);
    const on = (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/.exec(out);
      // the address comes as soon as the UI listens, "Press Ctrl-C" once the services have started
      if (m && out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve({ uiPort: Number(m[1]), token: m[2] });
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => reject(new Error(`netlab serve exited ${code}: ${out}`)));
  });
  // one short connection per call: no UI subscriber stays attached while the load runs
  const call = (method, ...args) => callOnce(url, method, ...args);
  for (const s of await call('services.list')) {
    if (!(s.id in ports) && s.state === 'running') await call('services.stop', s.id);
  }
  return {
    call,
    dir,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
