/**
 * P2P benchmark (issue 6), on the built lab (`npm run build` first):
 *  1. Distribution time of real swarms (`netlab swarm FILE --json`) over the D_P2P bound for
 *     N = 10, 30, 50 in the textbook's ratio (u_s = 10u, d_min = u_s), and the client-server
 *     baseline (run alongside) over D_cs. Goals: P2P ≤ 1.25× its bound at N = 30, client-server ≤ 1.05×.
 *  2. The largest swarm one process sustains with real sockets (goal: 200 peers).
 *  3. Tracker announces per second with wrk (50 connections, P2P_BENCH_SECONDS = 10 s, info
 *     hashes drawn at random from a fixed list of 100), the lab tracker (`netlab serve`, capture
 *     on and capture off) side by side with opentracker (Debian; private mode, the list
 *     whitelisted), all three running, visited in turn P2P_BENCH_ROUNDS = 3 times; ratios per
 *     round, then their median. Goal: ≥ 0.8× opentracker.
 *  4. A thousand peers over worker threads (`netlab swarm` spreads a big swarm over one thread per
 *     core): distribution time over D_P2P, CPU per delivered MB. Goal: within 2× the bound.
 * P2P_BENCH_PARTS=tracker (or swarm, largest, thousand; comma-separated) runs only those parts.
 * Prints a table; exits 0 unless something broke (never on speed). Ports: 26900–26999, UI 7500–7501.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dropSnapshot, killAll, netlabBin, sleep, snapshotBuild, tempDir } from './lib/lab.mjs';
import { have, killChildren, start, stop, which } from './lib/proc.mjs';

const SECONDS = Number(process.env.P2P_BENCH_SECONDS ?? 10);
const PORTS = { tracker: 26969, opentracker: 26970, ui: 7500 };
const rows = [];
const note = (...a) => console.log(...a);


function swarmYaml({ n, fileMiB, chunkKiB, uKiB, timeFactor, baseline, timeout }) {
  return [
    `name: bench-n${n}`,
    `file: { size: ${fileMiB} MiB, chunkSize: ${chunkKiB} KiB, seed: ${n} }`,
    `server: { upload: ${uKiB * 10} KiB/s }`,
    'peers:',
    // a group holds at most 500 peers
    ...Array.from({ length: Math.ceil(n / 500) }, (_, i) => `  - { count: ${Math.min(500, n - 500 * i)}, upload: ${uKiB} KiB/s, download: ${uKiB * 10} KiB/s }`),
    `timeFactor: ${timeFactor}`,
    `timeout: ${timeout}`,
    `baseline: ${baseline}`,
    '',
  ].join('\n');
}

/** `netlab swarm` on a generated scenario; `threads` sets NETLAB_SWARM_THREADS (1: every peer in
 *  one thread). CPU time (all threads) comes from /usr/bin/time where it exists. */
function runSwarm(spec, { threads, bin = netlabBin() } = {}) {
  const dir = tempDir(`swarm-${spec.n}`);
  const file = path.join(dir, 'swarm.yaml');
  fs.writeFileSync(file, swarmYaml(spec));
  const t0 = performance.now();
  const env = threads ? { ...process.env, NETLAB_SWARM_THREADS: String(threads) } : process.env;
  const timed = fs.existsSync('/usr/bin/time');
  const [cmd, args] = timed ? ['/usr/bin/time', ['-f', 'netlab-cpu %U %S', process.execPath, bin, 'swarm', file, '--json']] : [process.execPath, [bin, 'swarm', file, '--json']];
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: (spec.timeout + 60) * 1000, maxBuffer: 64 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`netlab swarm N=${spec.n} printed no result (exit ${r.status}): ${r.stderr.slice(-500)}`);
  const cpu = /netlab-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  const result = JSON.parse(line);
  const delivered = result.peers.reduce((n, p) => n + (p.role === 'leecher' ? p.downloaded : 0), 0);
  return { ...result, wall, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, deliveredMB: delivered / 1e6 };
}

const cpuPerMB = (r) => (r.cpu === null ? '' : `, CPU ${r.cpu.toFixed(1)} s = ${((r.cpu * 1000) / r.deliveredMB).toFixed(1)} ms per delivered MB`);

const x = (a, b) => (a === null || a === undefined || !b ? '—' : `${(a / b).toFixed(2)}×`);
const s = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(2)} s`);

async function partSwarms() {
  note('\n1. Distribution time vs the bounds (u_s = 10u, d_min = u_s, F/u = 12.8 s)');
  // F = 3.2 MiB: large enough that start-up (connecting, the first rechoke) is small against F/u;
  // N = 50's client-server run (N·F/u_s = 5 F/u) takes about a minute
  for (const n of [10, 30, 50]) {
    const r = runSwarm({ n, fileMiB: 3.2, chunkKiB: 64, uKiB: 256, timeFactor: 20, baseline: true, timeout: 150 });
    const bad = r.peers.filter((p) => p.role === 'leecher' && p.hashOk !== true).length;
    rows.push({
      part: 'swarm',
      what: `N = ${n}`,
      p2p: s(r.distributionTime),
      p2pBound: s(r.bounds.p2p),
      p2pRatio: x(r.distributionTime, r.bounds.p2p),
      cs: s(r.baseline?.distributionTime),
      csBound: s(r.bounds.clientServer),
      csRatio: x(r.baseline?.distributionTime, r.bounds.clientServer),
      note: bad ? `${bad} peers without the file` : 'all hashes match',
    });
    note(`   N=${n}: P2P ${s(r.distributionTime)} vs ${s(r.bounds.p2p)} (${x(r.distributionTime, r.bounds.p2p)}), client-server ${s(r.baseline?.distributionTime)} vs ${s(r.bounds.clientServer)} (${x(r.baseline?.distributionTime, r.bounds.clientServer)})`);
  }
}

async function partLargest() {
  note('\n2. The largest swarm in one thread (real sockets, 1 MiB file, 32 KiB chunks)');
  let largest = 0;
  for (const n of [100, 200, 300]) {
    let r;
    try {
      r = runSwarm({ n, fileMiB: 1, chunkKiB: 32, uKiB: 128, timeFactor: 20, baseline: false, timeout: 120 }, { threads: 1 });
    } catch (err) {
      note(`   N=${n}: ${err.message.slice(0, 200)}`);
      break;
    }
    const done = r.peers.filter((p) => p.role === 'leecher' && p.hashOk === true).length;
    rows.push({ part: 'largest', what: `N = ${n}`, p2p: s(r.distributionTime), p2pBound: s(r.bounds.p2p), p2pRatio: x(r.distributionTime, r.bounds.p2p), note: `${done}/${n} complete, wall ${r.wall.toFixed(1)} s${cpuPerMB(r)}` });
    note(`   N=${n}: ${done}/${n} complete in ${s(r.distributionTime)} (bound ${s(r.bounds.p2p)}), wall ${r.wall.toFixed(1)} s${cpuPerMB(r)}`);
    if (done !== n) break;
    largest = n;
  }
  rows.push({ part: 'largest', what: 'sustained', note: `${largest} peers (goal 200)` });
}

/**
 * A thousand peers spread over worker threads (one per core): a file and rates where the links,
 * not the CPU, are the limit (F/u = BIG.file/BIG.u). Goal: within 2× D_P2P.
 * P2P_BENCH_BIG_N sets the size (default 1000).
 */
async function partThousand() {
  const n = Number(process.env.P2P_BENCH_BIG_N ?? 1000);
  const spec = { n, fileMiB: BIG.fileMiB, chunkKiB: BIG.chunkKiB, uKiB: BIG.uKiB, timeFactor: BIG.timeFactor, baseline: false, timeout: 600 };
  note(`\n4. ${n} peers over worker threads (${spec.fileMiB * 1024} KiB file, ${spec.chunkKiB} KiB chunks, u = ${spec.uKiB} KiB/s, u_s = d = 10u, timeFactor ${spec.timeFactor})`);
  const r = runSwarm(spec);
  const done = r.peers.filter((p) => p.role === 'leecher' && p.hashOk === true).length;
  rows.push({ part: 'thousand', what: `N = ${n}, ${r.threads ?? 1} threads`, p2p: s(r.distributionTime), p2pBound: s(r.bounds.p2p), p2pRatio: x(r.distributionTime, r.bounds.p2p), note: `${done}/${n} complete, wall ${r.wall.toFixed(1)} s${cpuPerMB(r)}` });
  note(`   N=${n} over ${r.threads ?? 1} threads: ${done}/${n} complete in ${s(r.distributionTime)} (bound ${s(r.bounds.p2p)}, ${x(r.distributionTime, r.bounds.p2p)}), wall ${r.wall.toFixed(1)} s${cpuPerMB(r)}`);
}
const BIG = { fileMiB: 0.25, chunkKiB: 16, uKiB: 8, timeFactor: 5 };

// ---------- tracker announces per second ----------

const HASHES = Array.from({ length: 100 }, (_, i) => createHash('sha1').update(`netlab-bench-${i}`).digest());
const pct = (b) => [...b].map((c) => '%' + c.toString(16).padStart(2, '0')).join('');

function wrkScript(dir) {
  const file = path.join(dir, 'announce.lua');
  fs.writeFileSync(
    file,
    `local hashes = { ${HASHES.map((h) => `"${pct(h)}"`).join(', ')} }
local n = 0
math.randomseed(42)
request = function()
  n = n + 1
  local h = hashes[math.random(#hashes)]
  local peer = string.format("-WR0001-%012d", n % 5000)
  return wrk.format("GET", "/announce?info_hash=" .. h .. "&peer_id=" .. peer .. "&port=" .. (10000 + n % 5000) .. "&uploaded=0&downloaded=0&left=1000&compact=1&numwant=50")
end
`,
  );
  return file;
}

function wrk(port, script) {
  const r = spawnSync('wrk', ['-t', '2', '-c', '50', '-d', `${SECONDS}s`, '-s', script, `http://127.0.0.1:${port}`], { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout);
  const errs = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(r.stdout);
  return { rps: rps ? Number(rps[1]) : 0, errors: errs ? errs[0] : '', raw: r.stdout };
}



async function waitHttp(port, pathname) {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${pathname}`);
      await res.arrayBuffer();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`nothing answers on port ${port}`);
}

/** The lab's service ids, from the error a scenario naming no real service gets. */
function serviceIds(dir) {
  const file = path.join(dir, 'probe.yaml');
  fs.writeFileSync(file, 'services:\n  no-such-service: {}\n');
  const r = spawnSync(process.execPath, [netlabBin(), 'serve', '--no-open', '--ui-port', String(PORTS.ui + 1), '--data-dir', path.join(dir, 'probe'), '--scenario', file], { encoding: 'utf8', timeout: 20_000 });
  const m = /the lab has ([a-z0-9, -]+)\)/.exec(r.stderr);
  if (!m) throw new Error(`could not learn the lab's services: ${r.stderr.slice(0, 300)}`);
  return m[1].split(', ');
}

async function labTracker(dir, capture, port, uiPort) {
  const ids = serviceIds(dir);
  const file = path.join(dir, `tracker-${capture}.yaml`);
  const lines = ['name: tracker bench', `capture: { enabled: ${capture} }`, 'services:'];
  for (const id of ids) lines.push(id.startsWith('tracker') ? `  ${id}: { port: ${port} }` : `  ${id}: { enabled: false }`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const lab = start(process.execPath, [netlabBin(), 'serve', '--no-open', '--ui-port', String(uiPort), '--data-dir', path.join(dir, `data-${capture}`), '--scenario', file]);
  await waitHttp(port, '/scrape');
  return lab;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The lab tracker with capture on, with capture off, and opentracker all run at once; wrk
 * visits them in turn, ROUNDS times (the machine's load changes under a long run: ratios
 * are taken within each round, then their median).
 */
async function partTracker() {
  const rounds = Number(process.env.P2P_BENCH_ROUNDS ?? 3);
  note(`\n3. Tracker announces per second (wrk, 50 connections, ${SECONDS} s, 100 info hashes; ${rounds} interleaved rounds)`);
  if (!have('wrk')) {
    rows.push({ part: 'tracker', what: 'wrk', note: 'wrk not installed (apt-get install wrk): skipped' });
    return;
  }
  const dir = tempDir('tracker');
  const script = wrkScript(dir);
  const targets = [];
  try {
    targets.push({ name: 'lab (capture on)', port: PORTS.tracker, proc: await labTracker(dir, true, PORTS.tracker, PORTS.ui) });
    // the second lab's UI port: the one the probe used (it has exited)
    targets.push({ name: 'lab (capture off)', port: PORTS.tracker + 2, proc: await labTracker(dir, false, PORTS.tracker + 2, PORTS.ui + 1) });
    const ot = spawnSync('sh', ['-c', 'command -v opentracker || ls /usr/bin/opentracker'], { encoding: 'utf8' }).stdout.trim();
    if (ot) {
      fs.writeFileSync(path.join(dir, 'whitelist.txt'), HASHES.map((h) => h.toString('hex')).join('\n') + '\n');
      fs.writeFileSync(path.join(dir, 'opentracker.conf'), `access.whitelist ${path.join(dir, 'whitelist.txt')}\n`);
      const p = start(ot, ['-f', path.join(dir, 'opentracker.conf'), '-i', '127.0.0.1', '-p', String(PORTS.opentracker), '-P', String(PORTS.opentracker)]);
      targets.push({ name: 'opentracker', port: PORTS.opentracker, proc: p, ref: true });
      await waitHttp(PORTS.opentracker, '/scrape');
    } else {
      note('   opentracker is not installed (apt-get install opentracker): the lab tracker is measured alone');
    }
    const ref = targets.find((t) => t.ref);
    for (const t of targets) {
      t.rps = [];
      t.ratios = [];
      t.errors = '';
    }
    for (let r = 0; r < rounds; r++) {
      // the reference before and after the labs: each lab is compared with the mean of the two
      const before = ref ? wrk(ref.port, script).rps : 0;
      const line = [];
      for (const t of targets.filter((x) => !x.ref)) {
        const w = wrk(t.port, script);
        t.rps.push(w.rps);
        t.errors = w.errors || t.errors;
        line.push(`${t.name} ${Math.round(w.rps)}`);
      }
      const after = ref ? wrk(ref.port, script).rps : 0;
      if (ref) {
        ref.rps.push(before, after);
        for (const t of targets.filter((x) => !x.ref)) t.ratios.push(t.rps[r] / ((before + after) / 2));
      }
      note(`   round ${r + 1}: ${line.join(', ')}${ref ? `, opentracker ${Math.round(before)} / ${Math.round(after)}` : ''}`);
    }
    for (const t of targets) {
      const vs = t.ratios.length ? `${median(t.ratios).toFixed(2)}× opentracker (rounds ${t.ratios.map((x) => x.toFixed(2)).join(', ')})` : '';
      rows.push({ part: 'tracker', what: t.name, rps: Math.round(median(t.rps)), vs, note: t.errors });
      note(`   ${t.name}: ${Math.round(median(t.rps))} announces/s (median) ${vs} ${t.errors}`);
    }
  } finally {
    for (const t of targets) await stop(t.proc, 'SIGINT');
  }
}

function table() {
  console.log('\nP2P benchmark');
  console.log('part     what                  P2P measured  D_P2P     ratio   c-s measured  D_cs      ratio   announces/s  note');
  for (const r of rows) {
    console.log(
      [
        r.part.padEnd(8),
        (r.what ?? '').padEnd(21),
        (r.p2p ?? '').padStart(12),
        (r.p2pBound ?? '').padStart(8),
        (r.p2pRatio ?? '').padStart(7),
        (r.cs ?? '').padStart(13),
        (r.csBound ?? '').padStart(8),
        (r.csRatio ?? '').padStart(7),
        String(r.rps ?? '').padStart(12),
        ` ${r.vs ?? ''} ${r.note ?? ''}`,
      ].join(' '),
    );
  }
  const out = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'artifacts', 'bench-p2p.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(rows, null, 2));
}

const cleanup = () => {
  killChildren();
  killAll();
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  await snapshotBuild();
  const only = process.env.P2P_BENCH_PARTS?.split(',');
  if (!only || only.includes('swarm')) await partSwarms();
  if (!only || only.includes('largest')) await partLargest();
  if (!only || only.includes('tracker')) await partTracker();
  if (!only || only.includes('thousand')) await partThousand();
  table();
  cleanup();
  dropSnapshot();
  process.exit(0);
} catch (err) {
  console.error(`p2p bench: ${err.stack ?? err}`);
  cleanup();
  dropSnapshot();
  process.exit(1);
}
