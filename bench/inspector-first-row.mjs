/**
 * The inspector's first row at 200,000 messages (issue 19 goal 3), two builds side by side:
 * `BENCH_BASE=<dir holding bin, out, resources, package.json>` is "before", this checkout's
 * build "after". Each build's lab is filled with the same echo capture, then the two pages
 * are opened in turn (rounds interleaved, the order mirrored each round) in Debian's
 * Chromium: navigation → DOMContentLoaded, socket open, first history page, first row, all
 * loaded; the page's main-thread script time by then.
 *   BENCH_ROUNDS (default 4), BENCH_INSPECTOR_MESSAGES (default 200,000),
 *   BENCH_PROFILE=<dir>: a CPU profile (.cpuprofile, for Chromium's DevTools) of each page
 *   from navigation to its first row, and the functions with the most self time printed;
 *   BENCH_TRACE=<dir>: a Chromium trace of the same span (the renderer's other threads too).
 * Without BENCH_BASE only this build is measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callOnce, dropSnapshot, killAll, procStats, sleep, snapshotBuild, startLab } from './lib/lab.mjs';
import { closeAll, openTcp, roundTrips } from './lib/load.mjs';
import { cdpMetrics, launch, marks, newPage } from './lib/browser.mjs';
import { fmt, median } from './lib/figures.mjs';

const BASE = process.env.BENCH_BASE;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const MESSAGES = Number(process.env.BENCH_INSPECTOR_MESSAGES ?? 200_000);
const PROFILE = process.env.BENCH_PROFILE;
/** BENCH_TRACE=<dir>: a Chromium trace (chrome://tracing, DevTools' Performance panel) of each page to its first row */
const TRACE = process.env.BENCH_TRACE;
const UI_PORT = Number(process.env.BENCH_FOUNDATION_UI_PORT ?? 7340);
const ECHO_PORT = Number(process.env.BENCH_FOUNDATION_ECHO_PORT ?? 23040);
const FILL = Math.ceil((MESSAGES * 1.02) / 2);

const log = (s) => console.error(`[first-row] ${s}`);

async function filledLab(bin, n, label) {
  const lab = await startLab({ uiPort: UI_PORT + n, echoPort: ECHO_PORT + n, limit: Math.max(300_000, 2 * FILL + 10_000), label, bin });
  const sockets = await openTcp(lab.echoPort, 4);
  await roundTrips('tcp', sockets, { total: FILL });
  await closeAll('tcp', sockets);
  await sleep(300);
  // the capture stays as it is while the pages open (no note of a closing socket comes later)
  await callOnce(lab, 'capture.configure', { enabled: false });
  const stored = (await callOnce(lab, 'capture.settings')).stored;
  return { lab, stored };
}

/** self time per function (ms) of a CPU profile, the largest first */
function selfTimes(profile, top = 18) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dts = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byNode.get(profile.samples[i]);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url || '')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dts[i + 1] ?? 0) / 1000);
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/** CPU time (ms) of each of the browser's renderer processes: on a busy machine the page's own
 *  CPU is steadier than the wall clock */
async function rendererCpu(bcdp) {
  const { processInfo } = await bcdp.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime * 1000]));
}
const cpuSince = (a, b) => [...b].reduce((sum, [pid, ms]) => sum + ms - (a.get(pid) ?? 0), 0);

async function openOnce(browser, arm, round) {
  const bcdp = await browser.newBrowserCDPSession();
  const { context, page, errors } = await newPage(browser, { target: arm.stored });
  const origin = new URL(arm.lab.url).origin;
  // the same origin first, so the profiler's renderer is the page's (no process swap on navigation)
  await page.goto(`${origin}/favicon.ico`).catch(() => undefined);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const before = await cdpMetrics(cdp);
  const cpu0 = await rendererCpu(bcdp);
  const lab0 = procStats(arm.lab.pid).cpuMs;
  if (TRACE) await browser.startTracing(page, { path: path.join(TRACE, `${arm.name}-${round}.json`), categories: ['devtools.timeline', 'v8', 'blink', 'toplevel', 'disabled-by-default-devtools.timeline'] });
  await page.goto(arm.lab.url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench.marks.row !== undefined, null, { timeout: 60_000, polling: 20 });
  if (TRACE) await browser.stopTracing();
  const cpu1 = await rendererCpu(bcdp);
  const lab1 = procStats(arm.lab.pid).cpuMs;
  const atRow = await cdpMetrics(cdp);
  let profile;
  if (PROFILE) profile = (await cdp.send('Profiler.stop')).profile;
  await page.waitForFunction(() => window.__bench.marks.loaded !== undefined, null, { timeout: 120_000, polling: 50 });
  const m = await marks(page);
  const after = await cdpMetrics(cdp);
  const cpu2 = await rendererCpu(bcdp);
  const lab2 = procStats(arm.lab.pid).cpuMs;
  await bcdp.detach();
  if (PROFILE) {
    // when each script and style sheet was asked for and came (a chunk waiting on the lab shows here)
    const res = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop().split('?')[0], Math.round(e.startTime), Math.round(e.responseEnd)]));
    log(`${arm.name} round ${round}: resources ${res.map(([n, a, b]) => `${n.slice(0, 24)} ${a}→${b}`).join(', ')}`);
  }
  await context.close();
  if (profile) {
    fs.mkdirSync(PROFILE, { recursive: true });
    fs.writeFileSync(path.join(PROFILE, `${arm.name}-${round}.cpuprofile`), JSON.stringify(profile));
    log(`${arm.name} round ${round}: self time to the first row`);
    for (const [k, ms] of selfTimes(profile)) log(`  ${ms.toFixed(1).padStart(7)} ms  ${k}`);
  }
  return {
    dcl: m.domContentLoaded,
    ws: m.wsOpen,
    firstPage: m.firstPage,
    row: m.row,
    loaded: m.loaded,
    pages: m.pages,
    // main-thread time (CDP's cumulative durations) by the first row and by all loaded
    // CPU time of the page's renderer and of the lab, to the first row and to all loaded
    pageCpuToRow: cpuSince(cpu0, cpu1),
    pageCpuToLoaded: cpuSince(cpu0, cpu2),
    labCpuToRow: lab1 - lab0,
    labCpuToLoaded: lab2 - lab0,
    taskToRow: atRow.taskMs - before.taskMs,
    scriptToRow: atRow.scriptMs - before.scriptMs,
    taskToLoaded: after.taskMs - before.taskMs,
    scriptToLoaded: after.scriptMs - before.scriptMs,
    errors,
  };
}

async function main() {
  if (TRACE) fs.mkdirSync(TRACE, { recursive: true });
  const arms = [];
  const mine = await snapshotBuild();
  if (BASE) arms.push({ name: 'before', bin: await snapshotBuild(path.resolve(BASE)) });
  arms.push({ name: 'after', bin: path.join(mine, 'bin', 'netlab.mjs') });
  for (const [i, arm] of arms.entries()) {
    log(`${arm.name}: filling a lab with ${FILL * 2} messages`);
    Object.assign(arm, await filledLab(arm.bin, i, `first-row-${arm.name}`));
    log(`${arm.name}: ${arm.stored} stored`);
  }
  const browser = await launch();
  const load = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? [...arms].reverse() : arms;
      for (const arm of order) {
        load.push(os.loadavg()[0]);
        const x = await openOnce(browser, arm, r);
        (arm.runs ??= []).push(x);
        log(`${arm.name} round ${r}: dcl ${fmt(x.dcl, '', 0)} ws ${fmt(x.ws, '', 0)} page ${fmt(x.firstPage, '', 0)} row ${fmt(x.row, '', 0)} loaded ${fmt(x.loaded, ' ms', 0)}; page CPU to row ${fmt(x.pageCpuToRow, '', 0)}, lab ${fmt(x.labCpuToRow, '', 0)}; main thread to row ${fmt(x.taskToRow, '', 0)} (script ${fmt(x.scriptToRow, '', 0)}), to loaded ${fmt(x.taskToLoaded, '', 0)} (script ${fmt(x.scriptToLoaded, ' ms', 0)})${x.errors.length ? ` errors: ${x.errors.join(' | ').slice(0, 300)}` : ''}`);
        await sleep(300);
      }
    }
  } finally {
    await browser.close();
    for (const arm of arms) await arm.lab?.stop();
  }
  const keys = ['dcl', 'ws', 'firstPage', 'row', 'loaded', 'pageCpuToRow', 'labCpuToRow', 'pageCpuToLoaded', 'labCpuToLoaded', 'taskToRow', 'scriptToRow', 'taskToLoaded', 'scriptToLoaded'];
  console.log(`\ninspector first row, ${arms[0].stored.toLocaleString('en-US')} messages, medians of ${ROUNDS} interleaved rounds; 1-min load average ${fmt(Math.min(...load), '', 1)}–${fmt(Math.max(...load), '', 1)}`);
  console.log(`| measure (ms after navigation) | ${arms.map((a) => a.name).join(' | ')} |`);
  console.log(`| --- | ${arms.map(() => '---:').join(' | ')} |`);
  for (const k of keys) console.log(`| ${k} | ${arms.map((a) => `${fmt(median(a.runs.map((x) => x[k])), '', 0)} (${a.runs.map((x) => fmt(x[k], '', 0)).join(', ')})`).join(' | ')} |`);
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
try {
  await main();
} finally {
  killAll();
  dropSnapshot();
}
