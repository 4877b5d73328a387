/**
 * The soak's lab: `netlab serve` as a user runs it, every service on a fixed port of its own
 * (29400–29499, UI 7900) so a kill -9 and restart brings the lab back on the same ports with
 * the same data directory. The data directory lives on a small tmpfs when one can be mounted
 * (the disk-full fault needs a filesystem that can fill), else on the ordinary temp dir.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { netlabBin, sleep } from './lab.mjs';

export const UI_PORT = 7900;
const BASE_PORT = 29400;
const URL_RE = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/;

/** The lab's service ids, from the error a scenario naming no real service gets (as bench/p2p.mjs). */
export function serviceIds(dir) {
  const file = path.join(dir, 'probe.yaml');
  fs.writeFileSync(file, 'services:\n  no-such-service: {}\n');
  const r = spawnSync(process.execPath, [netlabBin(), 'serve', '--no-open', '--ui-port', String(UI_PORT + 1), '--data-dir', path.join(dir, 'probe'), '--scenario', file], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  fs.rmSync(path.join(dir, 'probe'), { recursive: true, force: true });
  const m = /the lab has ([a-z0-9, -]+)\)/.exec(r.stderr);
  if (!m) throw new Error(`could not learn the lab's services: ${r.stderr.slice(0, 300)}`);
  return m[1].split(', ');
}

/** One port per service id (TCP and UDP twins get numbers of their own too). */
export function assignPorts(ids) {
  return Object.fromEntries(ids.map((id, i) => [id, BASE_PORT + i]));
}

export function writeScenario(dir, ports) {
  const file = path.join(dir, 'soak.yaml');
  const lines = ['name: soak', 'services:', ...Object.entries(ports).map(([id, port]) => `  ${id}: { port: ${port} }`)];
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/**
 * Try a tmpfs of `sizeMB` on `dir` (we may be root in a container that forbids it).
 * Returns { mounted: true } or { mounted: false, why }.
 */
export function mountTmpfs(dir, sizeMB) {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMB}m,mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) return { mounted: true };
  return { mounted: false, why: (r.stderr || r.error?.message || `mount exited ${r.status}`).trim() };
}

export function unmount(dir) {
  const r = spawnSync('umount', [dir], { encoding: 'utf8' });
  if (r.status !== 0) spawnSync('umount', ['-l', dir]);
}

/**
 * The lab process, restartable: `start()` spawns `netlab serve` and resolves once its
 * address is printed; `kill9()` kills it without a chance to clean up.
 */
export class SoakLab {
  constructor({ dataDir, scenario, log }) {
    this.args = [netlabBin(), 'serve', '--no-open', '--ui-port', String(UI_PORT), '--data-dir', dataDir, '--scenario', scenario];
    this.cwd = path.dirname(path.dirname(netlabBin()));
    this.log = log;
    this.child = null;
    this.api = null; // { uiPort, token } of the running lab
    this.starts = [];
    this.output = '';
  }

  get pid() {
    return this.child?.pid;
  }

  alive() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 30_000) {
    const t0 = performance.now();
    // the UI port of a killed lab may linger a moment in the kernel: retry a few times
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        this.addressAt = undefined;
        const api = await this.spawnOnce(timeoutMs);
        // spawn → address printed (the services may still be starting then; the caller probes them)
        const ms = this.addressAt - t0;
        this.starts.push(ms);
        this.api = api;
        return ms;
      } catch (err) {
        if (attempt === 4 || !/already in use|EADDRINUSE/.test(err.message)) throw err;
        await sleep(500);
      }
    }
  }

  spawnOnce(timeoutMs) {
    const child = spawn(process.execPath, this.args, { cwd: this.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output += `\n--- netlab serve started ${new Date().toISOString()} ---\n`;
    let out = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`netlab serve printed no address within ${timeoutMs / 1000} s:\n${out.slice(-2000)}`));
      }, timeoutMs);
      const on = (d) => {
        out += d;
        if (this.output.length < 200_000) this.output += d;
        const m = URL_RE.exec(out);
        // the address comes as soon as the UI listens, "Press Ctrl-C" once the services have started
        if (m) this.addressAt ??= performance.now();
        if (m && out.includes('Press Ctrl-C')) {
          clearTimeout(timer);
          child.stdout.off('data', on);
          resolve({ uiPort: Number(m[1]), token: m[2] });
        }
      };
      child.stdout.on('data', on);
      child.stderr.on('data', (d) => {
        out += d;
        if (this.output.length < 200_000) this.output += d;
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`netlab serve exited (${code ?? signal}) before printing its address:\n${out.slice(-2000)}`));
      });
    });
  }

  /** kill -9, and wait until the process is gone */
  async kill9() {
    const child = this.child;
    if (!child || !this.alive()) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    this.api = null;
  }

  /** a graceful stop (SIGTERM), SIGKILL after 10 s */
  async stop() {
    const child = this.child;
    if (!child || !this.alive()) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(t);
    this.api = null;
  }

  /** synchronous last resort (exit handlers): by pid, nothing broader */
  killNow() {
    if (this.alive()) this.child.kill('SIGKILL');
  }
}
