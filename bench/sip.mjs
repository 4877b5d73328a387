/**
 * SIP benchmark (issue 17): call set-ups per second through the lab's proxy, capture on.
 * sipp (Debian sip-tester) places SIP_BENCH_CALLS calls (INVITE, 100, 180, 200, ACK, BYE,
 * 200) offered at SIP_BENCH_RATE calls/s (default 2,000, the goal; at most 400 calls open) to a sipp uas that
 * registered as bob@hamburger.edu; the same sipp uac straight to the sipp uas, no proxy,
 * is the reference (what sipp itself manages on this machine). Interleaved rounds, medians.
 * Goal: ≥ 2,000 call set-ups/s through the proxy. Prints a table; exits 0 unless broken.
 *
 * Runs `netlab serve` with SIP on 25060 (UI 7760); sipp uas on 25070, uac on 25080/25081.
 *
 * A/B: `SIP_BENCH_BASE=DIR` (another build: its bin, out, resources, package.json) runs a lab of
 * that build beside this one (SIP on 25061, UI 7761, uac on 25082), each round placing the
 * same calls through both, the order mirrored every round; `SIP_BENCH_DIRECT=0` leaves out the
 * sipp-to-sipp reference; `SIP_BENCH_PROF=DIR` writes a `--cpu-prof` of this build's lab there.
 */
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropSnapshot, killAll, procStats, snapshotBuild, sleep } from './lib/lab.mjs';
import { startServeWith } from './lib/serve.mjs';

const LAB_PORT = 25060;
const UAS_PORT = 25070;
const UI_PORT = 7760;
const BASE = process.env.SIP_BENCH_BASE;
const DIRECT = process.env.SIP_BENCH_DIRECT !== '0';
const PROF = process.env.SIP_BENCH_PROF;
const CALLS = Math.max(100, Number(process.env.SIP_BENCH_CALLS ?? 10_000));
const RATE = Math.max(100, Number(process.env.SIP_BENCH_RATE ?? 2000));
const ROUNDS = Math.max(1, Number(process.env.SIP_BENCH_ROUNDS ?? 3));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function registerBob(labPort = LAB_PORT) {
  const s = dgram.createSocket('udp4');
  const text = [
    'REGISTER sip:hamburger.edu SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:25090;branch=z9hG4bKbench1', 'From: <sip:bob@hamburger.edu>;tag=b',
    'To: <sip:bob@hamburger.edu>', 'Call-ID: bench-register', 'CSeq: 1 REGISTER', `Contact: <sip:bob@127.0.0.1:${UAS_PORT}>`, 'Expires: 3600', 'Content-Length: 0', '', '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to REGISTER')), 3000);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      if (/^SIP\/2\.0 200/.test(m.toString())) resolve();
      else reject(new Error(m.toString().split('\r\n')[0]));
    });
    s.bind(0, '127.0.0.1', () => s.send(text, labPort, '127.0.0.1'));
  });
}

/** one sipp uac run to `target`: successful calls per second of wall time (sipp exits after its last call) */
function uac(target, localPort) {
  const screen = path.join(os.tmpdir(), `netlab-sip-bench-${process.pid}-${localPort}.txt`);
  const started = performance.now();
  const r = spawnSync('sipp', ['-sn', 'uac', target, '-s', 'bob', '-i', '127.0.0.1', '-p', String(localPort), '-m', String(CALLS), '-r', String(RATE), '-l', '400', '-nostdin', '-timeout', '60s', '-trace_screen', '-screen_file', screen], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'latin1', timeout: 120_000 });
  const seconds = (performance.now() - started) / 1000;
  const out = fs.existsSync(screen) ? fs.readFileSync(screen, 'latin1') : '';
  fs.rmSync(screen, { force: true });
  const ok = Number(/Successful call\s*\|[^|]*\|\s*(\d+)/.exec(out)?.[1] ?? 0);
  const failed = Number(/Failed call\s*\|[^|]*\|\s*(\d+)/.exec(out)?.[1] ?? 0);
  const retrans = [...out.matchAll(/(?:INVITE|BYE) ---------->\s+\d+\s+(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  if (process.env.SIP_BENCH_DEBUG) console.log(out.slice(0, 3000));
  if (!ok) throw new Error(`sipp uac to ${target}: no call succeeded (exit ${r.status}, ${r.signal ?? "no signal"}, after ${seconds.toFixed(1)} s)\n${out.slice(-2000)}\n${r.stderr}`);
  return { rate: ok / seconds, ok, failed, retrans, seconds };
}

async function main() {
  if (spawnSync('sipp', ['-v']).error) {
    console.log('sip bench: sipp is not installed (apt-get install sip-tester) — skipped');
    return;
  }
  await snapshotBuild();
  const baseBin = BASE ? await snapshotBuild(path.resolve(BASE)) : null;
  const nodeArgs = PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(PROF)] : [];
  const labs = { lab: await startServeWith({ label: 'sip', ports: { sip: LAB_PORT }, uiPort: UI_PORT, nodeArgs }) };
  if (baseBin) labs.base = await startServeWith({ label: 'sip-base', ports: { sip: LAB_PORT + 1 }, uiPort: UI_PORT + 1, bin: baseBin });
  const targets = { lab: [LAB_PORT, 25080], base: [LAB_PORT + 1, 25082], direct: [UAS_PORT, 25081] };
  const arms = [...Object.keys(labs), ...(DIRECT ? ['direct'] : [])];
  const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(UAS_PORT), '-nostdin'], { stdio: 'ignore' });
  const rows = [];
  const load0 = os.loadavg()[0];
  try {
    await sleep(300);
    for (const which of Object.keys(labs)) {
      await registerBob(targets[which][0]);
      uac(`127.0.0.1:${targets[which][0]}`, targets[which][1]); // warm up
    }
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? arms : [...arms].reverse();
      const row = { round };
      for (const which of order) {
        const lab = labs[which];
        const cpu0 = lab ? procStats(lab.pid) : null;
        row[which] = uac(`127.0.0.1:${targets[which][0]}`, targets[which][1]);
        if (cpu0) row[`${which}CpuUs`] = ((procStats(lab.pid).cpuMs - cpu0.cpuMs) * 1000) / row[which].ok;
      }
      rows.push(row);
    }
  } finally {
    uas.kill('SIGTERM');
    for (const lab of Object.values(labs)) await lab.stop();
    dropSnapshot();
  }
  const cell = (r, w) => (r[w] ? `${r[w].rate.toFixed(0)} (${r[w].failed}, ${r[w].retrans})${r[`${w}CpuUs`] !== undefined ? ` ${r[`${w}CpuUs`].toFixed(0)} µs` : ''}` : '-');
  console.log(`${CALLS} calls per run, sipp uac at up to ${RATE}/s, 400 open at most; 127.0.0.1, lab capture on; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}\n`);
  const names = { lab: 'proxy', base: 'proxy (base build)', direct: 'direct' };
  console.log(`round   ${arms.map((w) => `${names[w]} calls/s (failed, retrans) lab CPU/call`.padEnd(48)).join('')}`);
  for (const r of rows) console.log(`${String(r.round).padEnd(8)}${arms.map((w) => cell(r, w).padEnd(48)).join('')}`);
  const med = (w) => median(rows.map((r) => r[w].rate));
  const medCpu = (w) => median(rows.map((r) => r[`${w}CpuUs`] ?? 0));
  console.log(`median  ${arms.map((w) => `${med(w).toFixed(0)}${labs[w] ? ` ${medCpu(w).toFixed(0)} µs` : ''}`.padEnd(48)).join('')}`);
  console.log(`\nthrough the proxy: ${med('lab').toFixed(0)} call set-ups/s (goal ≥ 2,000)${DIRECT ? `; ${(med('lab') / med('direct')).toFixed(2)}× sipp to sipp direct` : ''}`);
  if (BASE) console.log(`lab CPU per call: ${medCpu('lab').toFixed(0)} µs, base build ${medCpu('base').toFixed(0)} µs (${(medCpu('lab') / medCpu('base')).toFixed(2)}×)`);
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
