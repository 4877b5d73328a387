/**
 * `node bench/capture-ui.mjs BASE`: what an open inspector (the UI subscriber) costs the lab,
 * this checkout's build against another build BASE (a directory holding its bin, out,
 * resources and package.json: a copy of a checkout before a change), side by side: a lab of
 * each, echo round trips on persistent TCP / UDP, 1 and 4 clients; per workload the arms
 * capture off, capture on, capture on + UI subscriber on this build, and capture off and on +
 * UI on BASE's, each 4 windows a round, the order mirrored so drift falls on every arm alike.
 * Each arm's figure is the median of its windows: lab CPU µs per round trip from /proc (trust
 * it on a busy machine) and round trips a second; costs are against the same build's capture
 * off. Not part of `npm run bench` (it needs a second build). Exits 0 whatever the speed.
 *
 * Knobs: BENCH_WINDOW_MS (1500), BENCH_CAPTURE_UI_ROUNDS (1), BENCH_CAPTURE_UI_WORKLOADS
 * (tcpx1,tcpx4,udpx1,udpx4), BENCH_CAPTURE_UI_PORT / _ECHO_PORT (UI 7380–7381, echo 23080–23081).
 */
import path from 'node:path';
import { connectApi, dropSnapshot, killAll, procStats, sleep, snapshotBuild, startLab } from './lib/lab.mjs';
import { closeAll, openTcp, openUdp, roundTrips } from './lib/load.mjs';
import { startSubscriber } from './lib/subscriber.mjs';
import { fmt, median } from './lib/figures.mjs';

const BASE = process.argv[2];
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 1500);
const ROUNDS = Number(process.env.BENCH_CAPTURE_UI_ROUNDS ?? 1);
const WORKLOADS = (process.env.BENCH_CAPTURE_UI_WORKLOADS ?? 'tcpx1,tcpx4,udpx1,udpx4').split(',');
const UI = Number(process.env.BENCH_CAPTURE_UI_PORT ?? 7380);
const ECHO = Number(process.env.BENCH_CAPTURE_UI_ECHO_PORT ?? 23080);
/** [lab, capture, UI subscriber]: the three arms on each build */
const ARMS = { off: ['new', false, false], on: ['new', true, false], ui: ['new', true, true], 'base off': ['base', false, false], 'base on': ['base', true, false], 'base ui': ['base', true, true] };
const ORDER = ['off', 'base off', 'on', 'base on', 'ui', 'base ui', 'base ui', 'ui', 'base on', 'on', 'base off', 'off'];
const log = (msg) => process.stderr.write(`[bench capture-ui ${(performance.now() / 1000).toFixed(1)}s] ${msg}\n`);

async function window(lab, kind, sockets, capture, ui) {
  const api = await connectApi(lab);
  await api.call('capture.configure', { enabled: capture });
  await api.call('capture.clear');
  await api.close();
  const sub = ui ? await startSubscriber(lab) : null;
  await sleep(100);
  const c0 = procStats(lab.pid);
  const r = await roundTrips(kind, sockets, { durationMs: WINDOW_MS });
  const c1 = procStats(lab.pid);
  const got = sub ? await sub.stop() : null;
  return { rtps: (r.rts * 1000) / r.ms, cpuUsPerRt: ((c1.cpuMs - c0.cpuMs) * 1000) / r.rts, uiMessages: got?.messages ?? 0, uiMB: (got?.bytes ?? 0) / 1048576 };
}

async function main() {
  if (!BASE) throw new Error('usage: node bench/capture-ui.mjs BASE_BUILD_DIR (bin, out, resources, package.json of the build to compare with)');
  await snapshotBuild();
  const baseBin = await snapshotBuild(path.resolve(BASE));
  const labs = {
    new: await startLab({ uiPort: UI, echoPort: ECHO, label: 'capture-ui-new' }),
    base: await startLab({ uiPort: UI + 1, echoPort: ECHO + 1, label: 'capture-ui-base', bin: baseBin }),
  };
  const lines = [];
  try {
    for (const key of WORKLOADS) {
      const [kind, n] = [key.slice(0, 3), Number(key.slice(4))];
      log(`${key}: ${ROUNDS} round(s) of ${ORDER.length} windows`);
      const sockets = {};
      for (const [name, lab] of Object.entries(labs)) {
        sockets[name] = kind === 'tcp' ? await openTcp(lab.echoPort, n) : await openUdp(lab.echoPort, n);
        await roundTrips(kind, sockets[name], { durationMs: 500 }); // warm-up
      }
      const arms = Object.fromEntries(Object.keys(ARMS).map((a) => [a, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const arm of ORDER) {
          const [which, capture, ui] = ARMS[arm];
          arms[arm].push(await window(labs[which], kind, sockets[which], capture, ui));
        }
      }
      for (const [name, lab] of Object.entries(labs)) await closeAll(kind, sockets[name]);
      const m = (arm, k) => median(arms[arm].map((w) => w[k]));
      const cpu = (arm, ref) => (m(arm, 'cpuUsPerRt') / m(ref, 'cpuUsPerRt') - 1) * 100;
      const thr = (arm, ref) => (1 - m(arm, 'rtps') / m(ref, 'rtps')) * 100;
      lines.push(`${key} (${arms.off.length} windows per arm)`);
      for (const arm of Object.keys(ARMS)) {
        const ref = arm.startsWith('base') ? 'base off' : 'off';
        const cost = arm === ref ? '' : `  cost: CPU/RT ${fmt(cpu(arm, ref), ' %').padStart(7)}, throughput ${fmt(thr(arm, ref), ' %').padStart(7)}`;
        const ui = ARMS[arm][2] ? `  (UI got ${fmt(m(arm, 'uiMB'), ' MB')} per window)` : '';
        lines.push(`  ${arm.padEnd(9)} ${fmt(m(arm, 'cpuUsPerRt'), ' µs/RT', 1).padStart(11)} ${fmt(m(arm, 'rtps'), ' RT/s', 0).padStart(12)}${cost}${ui}`);
      }
      lines.push(`  UI subscriber on top of capture (this build): CPU/RT ${fmt(cpu('ui', 'on'), ' %')}`);
      log(lines.slice(-7).join('\n'));
    }
  } finally {
    await labs.new.stop();
    await labs.base.stop();
  }
  console.log(lines.join('\n'));
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    dropSnapshot();
    process.exit(130);
  });
}
try {
  await main();
} catch (err) {
  console.error(err);
  killAll();
  process.exitCode = 1;
} finally {
  dropSnapshot();
}
