/**
 * SIP benchmark (issue 17): call set-ups per second through the lab's proxy, capture on.
 * sipp (Debian sip-tester) places SIP_BENCH_CALLS calls (INVITE, 100, 180, 200, ACK, BYE,
 * 200) offered at SIP_BENCH_RATE calls/s (default 2,000, the goal; at most 400 calls open) to a sipp uas that
 * registered as bob@hamburger.edu; the same sipp uac straight to the sipp uas, no proxy,
 * is the reference (what sipp itself manages on this machine). Interleaved rounds, medians.
 * Goal: ≥ 2,000 call set-ups/s through the proxy. Prints a table; exits 0 unless broken.
 *
 * Runs `netlab serve` with SIP on 25060 (UI 7760); sipp uas on 25070, uac on 25080/25081.
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
const CALLS = Math.max(100, Number(process.env.SIP_BENCH_CALLS ?? 10_000));
const RATE = Math.max(100, Number(process.env.SIP_BENCH_RATE ?? 2000));
const ROUNDS = Math.max(1, Number(process.env.SIP_BENCH_ROUNDS ?? 3));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function registerBob() {
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
    s.bind(0, '127.0.0.1', () => s.send(text, LAB_PORT, '127.0.0.1'));
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
  const lab = await startServeWith({ label: 'sip', ports: { sip: LAB_PORT }, uiPort: UI_PORT });
  const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(UAS_PORT), '-nostdin'], { stdio: 'ignore' });
  const rows = [];
  try {
    await sleep(300);
    await registerBob();
    uac(`127.0.0.1:${LAB_PORT}`, 25080); // warm up
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? ['lab', 'direct'] : ['direct', 'lab'];
      const row = { round };
      for (const which of order) {
        const cpu0 = which === 'lab' ? procStats(lab.pid) : null;
        row[which] = which === 'lab' ? uac(`127.0.0.1:${LAB_PORT}`, 25080) : uac(`127.0.0.1:${UAS_PORT}`, 25081);
        if (cpu0) row.labCpuUs = ((procStats(lab.pid).cpuMs - cpu0.cpuMs) * 1000) / row.lab.ok;
      }
      rows.push(row);
    }
  } finally {
    uas.kill('SIGTERM');
    await lab.stop();
    dropSnapshot();
  }
  console.log(`${CALLS} calls per run, sipp uac at up to ${RATE}/s, 400 open at most; 127.0.0.1, lab capture on\n`);
  console.log('round   proxy calls/s   (failed, retrans)   direct calls/s   (failed, retrans)   lab CPU µs/call');
  for (const r of rows) {
    console.log(`${String(r.round).padEnd(8)}${r.lab.rate.toFixed(0).padEnd(16)}${`(${r.lab.failed}, ${r.lab.retrans})`.padEnd(20)}${r.direct.rate.toFixed(0).padEnd(17)}${`(${r.direct.failed}, ${r.direct.retrans})`.padEnd(20)}${r.labCpuUs?.toFixed(0) ?? '-'}`);
  }
  const l = median(rows.map((r) => r.lab.rate));
  const d = median(rows.map((r) => r.direct.rate));
  console.log(`median  ${l.toFixed(0).padEnd(16)}${''.padEnd(20)}${d.toFixed(0).padEnd(17)}${''.padEnd(20)}${median(rows.map((r) => r.labCpuUs ?? 0)).toFixed(0)}`);
  console.log(`\nthrough the proxy: ${l.toFixed(0)} call set-ups/s (goal ≥ 2,000); ${(l / d).toFixed(2)}× sipp to sipp direct`);
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
