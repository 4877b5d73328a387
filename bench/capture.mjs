/**
 * `npm run bench -- capture`: the capture's pcapng out and in (issue 14), on the built lab
 * run as a user runs it (`netlab serve` in a child process), the capture holding 200,000
 * messages (100,000 TCP echo round trips first):
 *   a. Export → pcapng of all of them as the browser downloads it (GET /export/capture.pcapng,
 *      written while it is read): time to the last byte, and the lab's RSS growth while it
 *      runs, sampled from /proc every 10 ms (goal: < 3 s, RSS grows < 50 MB)
 *   b. the same through the API (`capture.exportPcapng`, the whole file in base64, as a
 *      script asks for it; the desktop app writes the pieces of (a) to the file it saves), for comparison
 *   c. that file opened as a trace (trace.begin / piece / open): time and RSS growth
 *   d. a display filter over all of them (capture.match), median of 5 (goal < 300 ms): one on
 *      the stream every row has, one on protocol fields (decoded only for their protocol)
 *   e. live pcapng writing (`serve --pcapng FILE`) against capture alone: TCP echo round trips
 *      on three labs side by side, windows interleaved and mirrored: capture alone (A), a second
 *      lab capture alone (A', the A/A noise floor) and writing (B); the lab's CPU per round trip
 *      from /proc and the throughput, A/B beside A/A (goal: costs < 5 %)
 * RSS only grows back slowly after a peak, so (a) runs first. Figures are informative: exits
 * 0 whatever the speed, 1 only if something broke. Results: a table on stdout and the
 * `capture` entry of tests/artifacts/bench-results.json.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { connectApi, dropSnapshot, killAll, procStats, ROOT, sleep, snapshotBuild, startLab } from './lib/lab.mjs';
import { closeAll, openTcp, roundTrips } from './lib/load.mjs';
import { fmt, median } from './lib/figures.mjs';

// Ports: lab services 23070–23073, UI 7370–7373 (the other benches use 23010–23060 / 7310–7360);
// BENCH_CAPTURE_UI_PORT / BENCH_CAPTURE_ECHO_PORT move the base
const PORTS = { ui: Number(process.env.BENCH_CAPTURE_UI_PORT ?? 7370), echo: Number(process.env.BENCH_CAPTURE_ECHO_PORT ?? 23070) };
const ROUND_TRIPS = Number(process.env.BENCH_CAPTURE_ROUND_TRIPS ?? 100_000);
const RESULTS = path.join(ROOT, 'tests', 'artifacts', 'bench-results.json');
const PIECE = 768 * 1024;
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 1500);
// BENCH_CAPTURE_PARTS=e: only the live pcapng cost (part e), not the 200,000-message export
const PARTS = process.env.BENCH_CAPTURE_PARTS ?? 'abcde';
// BENCH_CAPTURE_ROUNDS: how many times part e's 12 interleaved windows (4 per arm) run (medians over all)
const LIVE_ROUNDS = Number(process.env.BENCH_CAPTURE_ROUNDS ?? 1);

const results = {};
const rows = [];
const log = (msg) => process.stderr.write(`[bench capture ${(performance.now() / 1000).toFixed(1)}s] ${msg}\n`);
const row = (name, value, goal = '', pass = undefined) => rows.push({ name, value, goal, mark: pass === undefined ? '' : pass ? 'PASS' : 'OVER GOAL' });

/** Run `work` while sampling the lab's RSS: its time, and how far RSS rose above where it started. */
async function watched(lab, work) {
  const before = procStats(lab.pid).rssMB;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, procStats(lab.pid).rssMB);
  }, 10);
  const t0 = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - t0;
    peak = Math.max(peak, procStats(lab.pid).rssMB);
    return { value, ms, rssBeforeMB: before, rssPeakMB: peak, rssGrowthMB: peak - before };
  } finally {
    clearInterval(timer);
  }
}

/** GET the export as a browser does (the token in a cookie), counting the bytes, keeping the file. */
function download(lab, file) {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file);
    const req = http.get({ host: '127.0.0.1', port: lab.uiPort, path: '/export/capture.pcapng', headers: { Cookie: `netlab_token_${lab.uiPort}=${lab.token}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET /export/capture.pcapng: ${res.statusCode}`));
        res.resume();
        return;
      }
      let bytes = 0;
      res.on('data', (d) => (bytes += d.length));
      res.pipe(out);
      out.on('finish', () => resolve(bytes));
    });
    req.on('error', reject);
  });
}

async function main() {
  await snapshotBuild();
  if (PARTS.includes('a')) await exportParts();
  try {
    if (PARTS.includes('e')) await livePcapngCost();
    report();
  } finally {
    dropSnapshot();
  }
}

async function exportParts() {
  const lab = await startLab({ uiPort: PORTS.ui, echoPort: PORTS.echo, limit: 200_000, label: 'capture' });
  const api = await connectApi(lab);
  const dir = fs.mkdtempSync(path.join(lab.dir, 'out-'));
  try {
    log(`filling the capture: ${ROUND_TRIPS} TCP round trips on 4 connections`);
    const sockets = await openTcp(lab.echoPort, 4);
    await roundTrips('tcp', sockets, { total: ROUND_TRIPS });
    await closeAll('tcp', sockets);
    await sleep(500);
    results.stored = (await api.call('capture.settings')).stored;
    log(`${results.stored} messages stored; exporting by download`);

    const file = path.join(dir, 'all.pcapng');
    const streamed = await watched(lab, () => download(lab, file));
    results.download = { ms: streamed.ms, bytes: streamed.value, rssBeforeMB: streamed.rssBeforeMB, rssPeakMB: streamed.rssPeakMB, rssGrowthMB: streamed.rssGrowthMB };
    row(`a. Export → pcapng, ${fmt(results.stored, '', 0)} messages (download): time`, fmt(streamed.ms / 1000, ' s', 2), '< 3 s', streamed.ms < 3000);
    row('   lab RSS growth during it', fmt(streamed.rssGrowthMB, ' MB'), '< 50 MB', streamed.rssGrowthMB < 50);
    row('   file size', fmt(streamed.value / 1048576, ' MB'));

    log('exporting through the API (base64)');
    const whole = await watched(lab, async () => (await api.callRaw('capture.exportPcapng', {})).bytes);
    results.api = { ms: whole.ms, frameBytes: whole.value, rssGrowthMB: whole.rssGrowthMB };
    row('b. the same through the API (base64, for scripts): time', fmt(whole.ms / 1000, ' s', 2));
    row('   lab RSS growth during it', fmt(whole.rssGrowthMB, ' MB'));

    log('opening the exported file as a trace');
    const bytes = fs.readFileSync(file);
    const opened = await watched(lab, async () => {
      const { upload } = await api.call('trace.begin', 'all.pcapng', bytes.length);
      for (let at = 0; at < bytes.length; at += PIECE) await api.call('trace.piece', upload, at, bytes.subarray(at, at + PIECE).toString('base64'));
      return api.call('trace.open', upload);
    });
    results.open = { ms: opened.ms, rssGrowthMB: opened.rssGrowthMB, messages: opened.value.messages, packets: opened.value.packets };
    row(`c. Open capture file… (${fmt(bytes.length / 1048576, ' MB')}, ${fmt(opened.value.packets, '', 0)} packets): time`, fmt(opened.ms / 1000, ' s', 2));
    row('   lab RSS growth during it', fmt(opened.rssGrowthMB, ' MB'));
    row('   messages read back', fmt(opened.value.messages, '', 0));

    await api.call('trace.close');
    results.filter = {};
    for (const filter of ['tcp.stream == 3', 'http.status == 304 || dns.flags.rd == 0']) {
      const times = [];
      let matched = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        matched = (await api.call('capture.match', { filter }, 0)).length;
        times.push(performance.now() - t0);
      }
      const ms = median(times);
      results.filter[filter] = { ms, matched };
      row(`d. display filter \`${filter}\` over ${fmt(results.stored, '', 0)}: ${fmt(matched, '', 0)} match`, fmt(ms, ' ms', 0), '< 300 ms', ms < 300);
    }
  } finally {
    await api.close();
    await lab.stop();
  }
}

/** One window of TCP echo round trips on a lab: round trips a second, the lab's CPU per round trip. */
async function echoWindow(lab) {
  const sockets = await openTcp(lab.echoPort, 1);
  await roundTrips('tcp', sockets, { durationMs: 300 });
  const c0 = procStats(lab.pid);
  const r = await roundTrips('tcp', sockets, { durationMs: WINDOW_MS });
  const c1 = procStats(lab.pid);
  for (const s of sockets) s.destroy();
  return { rtps: (r.rts * 1000) / r.ms, cpuUsPerRt: ((c1.cpuMs - c0.cpuMs) * 1000) / r.rts };
}

/** part e's arms: capture alone (A), a second lab of the same build, capture alone too (A',
 *  the noise floor: what two identical labs differ by on this machine now), and writing (B).
 *  Each arm 4 windows a round, the order mirrored so drift falls on all three alike. */
const LIVE_ORDER = ['plain', 'twin', 'live', 'live', 'twin', 'plain', 'twin', 'live', 'plain', 'plain', 'live', 'twin'];

async function livePcapngCost() {
  log(`live pcapng writing: three labs (A, A', B), ${LIVE_ROUNDS} round(s) of ${LIVE_ORDER.length} interleaved windows`);
  const plain = await startLab({ uiPort: PORTS.ui + 1, echoPort: PORTS.echo + 1, label: 'capture-plain' });
  const twin = await startLab({ uiPort: PORTS.ui + 3, echoPort: PORTS.echo + 3, label: 'capture-twin' });
  const dir = fs.mkdtempSync(path.join(plain.dir, 'live-'));
  const file = path.join(dir, 'live.pcapng');
  const writing = await startLab({ uiPort: PORTS.ui + 2, echoPort: PORTS.echo + 2, label: 'capture-live', extraArgs: ['--pcapng', file] });
  const labs = { plain, twin, live: writing };
  try {
    const arms = { plain: [], twin: [], live: [] };
    const perRound = [];
    for (let round = 0; round < LIVE_ROUNDS; round++) {
      const these = { plain: [], twin: [], live: [] };
      for (const arm of LIVE_ORDER) {
        const w = await echoWindow(labs[arm]);
        arms[arm].push(w);
        these[arm].push(w);
      }
      const m = (arm) => median(these[arm].map((w) => w.cpuUsPerRt));
      perRound.push({ aa: (m('twin') / m('plain') - 1) * 100, ab: (m('live') / m('plain') - 1) * 100 });
      log(`round ${round + 1}: lab CPU/RT A ${fmt(m('plain'), ' µs', 1)}, A' ${fmt(m('twin'), ' µs', 1)}, B ${fmt(m('live'), ' µs', 1)}`);
    }
    const f = (arm, k) => median(arms[arm].map((w) => w[k]));
    const cpu = (arm) => (f(arm, 'cpuUsPerRt') / f('plain', 'cpuUsPerRt') - 1) * 100;
    const rt = (arm) => (1 - f(arm, 'rtps') / f('plain', 'rtps')) * 100;
    const fileMB = fs.statSync(file).size / 1048576;
    const arm = (name) => ({ rtps: f(name, 'rtps'), cpuUsPerRt: f(name, 'cpuUsPerRt'), windows: arms[name] });
    results.livePcapng = {
      rounds: LIVE_ROUNDS,
      windowMs: WINDOW_MS,
      plain: arm('plain'),
      twin: arm('twin'),
      live: arm('live'),
      cpuCostPct: cpu('live'),
      throughputCostPct: rt('live'),
      noiseCpuPct: cpu('twin'),
      noiseThroughputPct: rt('twin'),
      perRound,
      fileMB,
    };
    const n = arms.plain.length;
    row(`e. live pcapng, TCP echo, ${n} windows per arm (${LIVE_ROUNDS} round(s), interleaved): lab CPU per round trip`, '');
    row(`   A  capture alone`, `${fmt(f('plain', 'cpuUsPerRt'), ' µs', 1)} ${fmt(f('plain', 'rtps'), ' RT/s', 0)}`);
    row(`   A' capture alone, a second lab (noise floor)`, `${fmt(f('twin', 'cpuUsPerRt'), ' µs', 1)} ${fmt(f('twin', 'rtps'), ' RT/s', 0)}`);
    row(`   B  capture + live pcapng (${fmt(fileMB, ' MB')} written)`, `${fmt(f('live', 'cpuUsPerRt'), ' µs', 1)} ${fmt(f('live', 'rtps'), ' RT/s', 0)}`);
    row(`   A/A: A' vs A, lab CPU per RT, pooled medians (noise floor)`, fmt(cpu('twin'), ' %'));
    row(`   A/B: B vs A, lab CPU per RT, pooled medians (the cost)`, fmt(cpu('live'), ' %'), '< 5 %', cpu('live') < 5);
    row(`   A/A: A' vs A, throughput`, fmt(rt('twin'), ' %'));
    row(`   A/B: B vs A, throughput`, fmt(rt('live'), ' %'), '< 5 %', rt('live') < 5);
    // each round's arms ran minutes apart from the other rounds' but seconds from each other:
    // the median of the rounds' own ratios leaves the drift between rounds out
    const aaRound = median(perRound.map((r) => r.aa));
    const abRound = median(perRound.map((r) => r.ab));
    results.livePcapng.noiseCpuPctRounds = aaRound;
    results.livePcapng.cpuCostPctRounds = abRound;
    row(`   per round, CPU: A/A ${perRound.map((r) => fmt(r.aa, '%')).join(' ')} | A/B ${perRound.map((r) => fmt(r.ab, '%')).join(' ')}`, '');
    row(`   A/A, median of the rounds' ratios (noise floor)`, fmt(aaRound, ' %'));
    row(`   A/B, median of the rounds' ratios (the cost)`, fmt(abRound, ' %'), '< 5 %', abRound < 5);
  } finally {
    await writing.stop();
    await twin.stop();
    await plain.stop();
  }
}

function report() {
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) console.log(`${r.name.padEnd(w)}  ${r.value.padStart(22)}  ${r.goal.padEnd(9)} ${r.mark}`);
  let all = {};
  try {
    all = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
  } catch {
    /* the first bench of the run */
  }
  all.capture = { when: new Date().toISOString(), ...results };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify(all, null, 2) + '\n');
}

main().catch((err) => {
  console.error(err);
  killAll();
  dropSnapshot();
  process.exit(1);
});
