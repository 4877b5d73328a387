/**
 * The lab under test, as a user runs it: `node bin/netlab.mjs serve` in a child process,
 * driven over its WebSocket API, watched through /proc (RSS, CPU time).
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let BIN = path.join(ROOT, 'bin', 'netlab.mjs');
const snapshots = [];

/**
 * Others may rebuild out/ while the bench runs: run a private copy of the build (bin, out,
 * resources, package.json; node_modules linked) so every lab started here is the same one.
 * `source`: another build to compare with (a directory holding bin, out, resources and
 * package.json): its copy's netlab.mjs is returned, the default build stays this checkout's.
 */
export async function snapshotBuild(source = ROOT) {
  const ready = () => fs.existsSync(path.join(source, 'out', 'main', 'cli.js')) && fs.existsSync(path.join(source, 'out', 'renderer', 'index.html'));
  for (let i = 0; i < 50 && !ready(); i++) await sleep(200);
  if (!ready()) throw new Error(`${source}/out is not built: run \`npm run bench\` (it builds first)`);
  const dir = tempDir('build');
  for (const part of ['bin', 'out', 'resources', 'package.json']) {
    fs.cpSync(path.join(source, part), path.join(dir, part), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  snapshots.push(dir);
  const bin = path.join(dir, 'bin', 'netlab.mjs');
  if (source === ROOT) BIN = bin;
  return source === ROOT ? dir : bin;
}
export function dropSnapshot() {
  for (const dir of snapshots.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
export const netlabBin = () => BIN;
const URL_RE = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/;

/** Every child we start, so a crash or Ctrl-C still stops them (by pid, nothing broader). */
const children = new Set();
export function killAll() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  children.clear();
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `netlab-bench-${prefix}-`));
}

/** Write a scenario and start `netlab serve` with it; resolves once its services have started
 *  (`netlab serve` prints its address as soon as the UI listens, its services' table then
 *  "Press Ctrl-C" once they are up). `atAddress`: resolve at the address instead, with
 *  `ready`, a promise of the started lab. */
/** `nodeArgs`: node's own flags for the lab (`--cpu-prof`: a profile of it under load); `bin`: another build's netlab.mjs (snapshotBuild(source)) */
export function startLab({ uiPort, echoPort, limit, mode = 'persistent', label = 'lab', services = {}, extraArgs = [], nodeArgs = [], bin = BIN, atAddress = false }) {
  const dir = tempDir(label);
  const scenario = path.join(dir, 'scenario.yaml');
  const lines = ['services:', `  echo-tcp: { port: ${echoPort}, mode: ${mode} }`, `  echo-udp: { port: ${echoPort} }`];
  // `services`: other services' ports (id → port), off the defaults a developer's own lab holds
  for (const [id, port] of Object.entries(services)) lines.push(`  ${id}: { port: ${port} }`);
  if (limit) lines.push(`capture: { limit: ${limit} }`);
  fs.writeFileSync(scenario, lines.join('\n') + '\n');
  const args = [...nodeArgs, bin, 'serve', '--no-open', '--ui-port', String(uiPort), '--data-dir', path.join(dir, 'data'), '--scenario', scenario, ...extraArgs];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: path.dirname(path.dirname(bin)), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  let lab = null;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => children.delete(child));
  let addressed;
  const address = new Promise((resolve, reject) => (addressed = { resolve, reject }));
  const ready = new Promise((resolve, reject) => {
    // BENCH_START_TIMEOUT_MS: a machine loaded by other work may take longer than 15 s
    const startMs = Number(process.env.BENCH_START_TIMEOUT_MS ?? 15_000);
    const fail = (err) => {
      addressed.reject(err);
      reject(err);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`netlab serve did not start within ${startMs / 1000} s.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, startMs);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = URL_RE.exec(stdout);
      if (m && !lab) {
        const urlAt = performance.now();
        lab = {
          child,
          pid: child.pid,
          url: m[0],
          uiPort: Number(m[1]),
          token: m[2],
          echoPort,
          dir,
          spawnedAt: t0,
          spawnToUrlMs: urlAt - t0,
          cpuAtUrlMs: safeStats(child.pid)?.cpuMs,
          stdout: () => stdout,
          stderr: () => stderr,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 5000);
            const how = await exited;
            clearTimeout(t);
            fs.rmSync(dir, { recursive: true, force: true });
            return how;
          },
        };
        addressed.resolve(lab);
      }
      if (lab && lab.spawnToReadyMs === undefined && stdout.includes('Press Ctrl-C')) {
        lab.spawnToReadyMs = performance.now() - t0;
        lab.cpuAtReadyMs = safeStats(child.pid)?.cpuMs;
        clearTimeout(timer);
        resolve(lab);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      fail(new Error(`netlab serve exited (${code ?? signal}) before its services started.\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  if (!atAddress) return ready;
  ready.catch(() => undefined);
  return address.then((l) => Object.assign(l, { ready }));
}

/**
 * One WebSocket client of the bridge, like a browser tab. Event frames are counted, not
 * parsed (the subscriber arm of the capture benchmark wants the lab's cost, not ours).
 */
export function connectApi(lab) {
  const ws = new WebSocket(`ws://127.0.0.1:${lab.uiPort}/api?token=${lab.token}`, {
    headers: { Origin: `http://127.0.0.1:${lab.uiPort}` },
    perMessageDeflate: false,
  });
  const pending = new Map();
  let nextId = 1;
  const stats = { eventFrames: 0, eventBytes: 0 };
  ws.on('message', (data, isBinary) => {
    // results are small and rare; event frames start with {"event" (the capture's batches are binary)
    if (isBinary || (data.length > 9 && data[2] === 0x65) /* e */) {
      stats.eventFrames++;
      stats.eventBytes += data.length;
      return;
    }
    const msg = JSON.parse(data.toString());
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error));
    else p.resolve({ result: msg.result, bytes: data.length });
  });
  const closed = new Promise((resolve) => ws.once('close', resolve));
  closed.then(() => {
    for (const p of pending.values()) p.reject(new Error('bridge connection closed'));
    pending.clear();
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined);
      const callRaw = (method, ...args) =>
        new Promise((res, rej) => {
          const id = nextId++;
          pending.set(id, { resolve: res, reject: rej });
          ws.send(JSON.stringify({ id, method, args }));
        });
      resolve({
        stats,
        callRaw,
        call: async (method, ...args) => (await callRaw(method, ...args)).result,
        close: () => {
          ws.close();
          return closed;
        },
      });
    });
  });
}

/** One call on a short-lived connection (so no subscriber stays attached afterwards). */
export async function callOnce(lab, method, ...args) {
  const api = await connectApi(lab);
  try {
    return await api.call(method, ...args);
  } finally {
    await api.close();
  }
}

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  /* 100 on every Linux we run on */
}

/** RSS, peak RSS (MB) and CPU time (ms) of a process, from /proc. */
export function procStats(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024, cpuMs: (cpuTicks * 1000) / clkTck };
}

/** CPU time (ms) of each of a process's threads, by thread id (the main thread's id is the pid), from /proc */
export function threadCpuMs(pid) {
  const out = new Map();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, ((Number(fields[11]) + Number(fields[12])) * 1000) / clkTck);
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

function safeStats(pid) {
  try {
    return procStats(pid);
  } catch {
    return undefined;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `netlab COMMAND FILE --json` on a scenario text written to a temp file: its JSON and its
 *  peak RSS (VmHWM, read from /proc while it runs); `env` adds to the child's environment;
 *  `bin`: another build's netlab.mjs (snapshotBuild(source)) */
export async function runScenarioJson(command, fileName, text, env = {}, bin = netlabBin()) {
  const file = path.join(tempDir(command), fileName);
  fs.writeFileSync(file, text);
  const child = spawn(process.execPath, [bin, command, file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  let hwm = 0;
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setInterval(() => {
    try {
      const peak = procStats(child.pid).hwmMB;
      if (Number.isFinite(peak)) hwm = Math.max(hwm, peak);
    } catch {
      /* it has exited */
    }
  }, 50);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(timer);
  if (!out.trim().startsWith('{')) throw new Error(`netlab ${command} printed no result (exit ${code}): ${err.slice(-500)}`);
  return { result: JSON.parse(out), hwm };
}
