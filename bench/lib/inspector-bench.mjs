/**
 * `npm run bench`, parts 2 and 3: 200,000 messages (BENCH_INSPECTOR_MESSAGES) — the lab core's memory holding them, the
 * inspector loading and rendering them in Chromium, scrolling frame times, and the live
 * ingest of 20,000 more. Part of bench/foundation.mjs, which passes its report in.
 */
import { callOnce, connectApi, procStats, sleep, startLab } from './lab.mjs';
import { closeAll, openTcp, roundTrips } from './load.mjs';
import { cdpMetrics, launch, marks, newPage, scrollFrames, SEL, startFrameRecorder, uiStored } from './browser.mjs';
import { dist, fmt, pct } from './figures.mjs';

// a line that one read delivers whole is one record (a message standing for its chunk):
// 2 records per round trip, one each way
const RECORDS_PER_RT = 2;
/** how many messages the capture holds before the page opens (the notes of the connections come on top) */
const MESSAGES = Number(process.env.BENCH_INSPECTOR_MESSAGES ?? 200_000);
if (!Number.isInteger(MESSAGES) || MESSAGES < 2_000) throw new Error(`BENCH_INSPECTOR_MESSAGES: a whole number of at least 2,000, not ${process.env.BENCH_INSPECTOR_MESSAGES}`);
const FILL_ROUND_TRIPS = Math.ceil((MESSAGES * 1.02) / RECORDS_PER_RT); // 51,000 for >= 100,000 stored
const LIVE_ROUND_TRIPS = 10_000; // 20,000 more records

/** the foundation bench's results, row and log, and its check that the services came up, passed in */
export async function benchInspector(browser, { ports, results, row, log, servicesRunning }) {
  const lab = await startLab({ uiPort: ports.ui, echoPort: ports.echo, limit: Math.max(300_000, 2 * FILL_ROUND_TRIPS + 2 * LIVE_ROUND_TRIPS + 10_000), label: 'inspector' });
  const mem = {};
  const ui = {};
  let sockets = [];
  let pinger = [];
  /** the uncapped browser, closed here even when the run fails */
  let fast = null;
  try {
    await servicesRunning(lab);
    await sleep(500);
    mem.idle = procStats(lab.pid);

    log(`filling the capture: ${FILL_ROUND_TRIPS} TCP round trips on 4 connections`);
    sockets = await openTcp(lab.echoPort, 4);
    pinger = await openTcp(lab.echoPort, 1); // opened now so its notes are part of the fill
    const fill = await roundTrips('tcp', sockets, { total: FILL_ROUND_TRIPS });
    await sleep(200);
    const settings = await callOnce(lab, 'capture.settings');
    await sleep(1000);
    mem.filled = procStats(lab.pid);
    mem.stored = settings.stored;
    mem.fillRtps = (fill.rts * 1000) / fill.ms;

    // the largest call the UI makes to load the history (a 20,000-row page): how big, how long
    // meanwhile one echo client keeps asking: its longest wait is how long the lab stalls
    await callOnce(lab, 'capture.configure', { enabled: false }); // the pings must not grow the capture
    const quiet = await roundTrips('tcp', pinger, { durationMs: 500 });
    const api = await connectApi(lab);
    let listed = false;
    const pings = roundTrips('tcp', pinger, { durationMs: 60_000, stop: () => listed });
    const t = performance.now();
    const list = await api.callRaw('capture.list', { beforeId: Number.MAX_SAFE_INTEGER, limit: 20_000 });
    ui.listCallMs = performance.now() - t;
    listed = true;
    ui.echoMaxGapQuietMs = quiet.maxGapMs;
    ui.echoMaxGapDuringListMs = (await pings).maxGapMs;
    await callOnce(lab, 'capture.configure', { enabled: true });
    ui.listMB = list.bytes / 1048576;
    ui.listCount = list.result.length;
    await api.close();
    await sleep(300);
    mem.afterList = procStats(lab.pid);

    // ---- first load in Chromium
    log(`inspector: loading ${settings.stored} messages in Chromium`);
    const { context, page, errors } = await newPage(browser, { target: settings.stored });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(lab.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench.marks.loaded !== undefined, null, { timeout: 60_000, polling: 50 });
    const m = await marks(page);
    ui.navToDomContentLoadedMs = m.domContentLoaded;
    ui.navToWsOpenMs = m.wsOpen;
    ui.navToHistoryFrameMs = m.bigFrame;
    ui.historyFrameMB = m.bigFrameSize / 1048576;
    ui.navToFirstPageMs = m.firstPage;
    ui.firstPageKB = m.firstPageSize / 1024;
    ui.historyPages = m.pages;
    ui.navToRailMs = m.rail;
    ui.navToFirstRowMs = m.row;
    ui.navToAllLoadedMs = m.loaded;
    ui.afterLoad = await cdpMetrics(cdp);
    mem.withUi = procStats(lab.pid);

    // the default view shows framed messages; switch to chunks + messages (all ~100k rows)
    const both = await page.$(SEL.kindBoth);
    if (both) {
      ui.switchToBothMs = await page.evaluate(async (sel) => {
        const shown = () => Number((/([\d.,\s\u00a0\u202f]+)shown/.exec(document.querySelector(sel.count)?.textContent ?? '')?.[1] ?? '0').replace(/\D/g, ''));
        const t0 = performance.now();
        document.querySelector(sel.kindBoth).click();
        while (shown() < window.__bench.stored()) await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - t0;
      }, SEL);
    } else results.notes.push(`no ${SEL.kindBoth} button: scrolled the default (framed messages) view`);
    ui.rowsShown = await page.evaluate((sel) => document.querySelector(sel.count)?.textContent?.trim(), SEL);

    log('inspector: scrolling (vsync-capped browser)');
    ui.scrollCapped = await scrollFrames(page, { steps: 300, px: 400, jumps: 60 });

    // ---- live ingest with the page open and following the tail
    log(`inspector: live ingest of ${LIVE_ROUND_TRIPS * RECORDS_PER_RT} messages`);
    const before = await uiStored(page);
    const stopFrames = await startFrameRecorder(page);
    const cdp0 = await cdpMetrics(cdp);
    const c0 = procStats(lab.pid);
    const t0 = performance.now();
    const live = await roundTrips('tcp', sockets, { total: LIVE_ROUND_TRIPS });
    const genDone = performance.now();
    await sleep(60); // one batch period, so the lab's count is final
    const target = (await callOnce(lab, 'capture.settings')).stored;
    await page.waitForFunction((n) => window.__bench.stored() >= n, target, { timeout: 60_000, polling: 'raf' });
    const caughtUp = performance.now();
    const c1 = procStats(lab.pid);
    const frames = await stopFrames();
    const cdp1 = await cdpMetrics(cdp);
    ui.live = {
      messages: target - before,
      generateMs: genDone - t0,
      generateRtps: (live.rts * 1000) / live.ms,
      catchUpMs: caughtUp - t0,
      lagAfterLastMs: caughtUp - genDone,
      labCpuMs: c1.cpuMs - c0.cpuMs,
      pageScriptMs: cdp1.scriptMs - cdp0.scriptMs,
      pageLayoutMs: cdp1.layoutMs - cdp0.layoutMs,
      pageStyleMs: cdp1.styleMs - cdp0.styleMs,
      pageTaskMs: cdp1.taskMs - cdp0.taskMs,
      frames: dist(frames),
    };
    mem.afterLive = procStats(lab.pid);
    ui.pageHeapMB = cdp1.heapMB;
    ui.pageErrors = errors;
    await context.close();

    // ---- true frame cost: the same page in a browser without the vsync cap
    log('inspector: scrolling (uncapped browser: rAF deltas = frame cost)');
    fast = await launch({ uncapped: true });
    const stored = (await callOnce(lab, 'capture.settings')).stored;
    const p2 = await newPage(fast, { target: stored });
    await p2.page.goto(lab.url, { waitUntil: 'commit' });
    await p2.page.waitForFunction(() => window.__bench.marks.loaded !== undefined, null, { timeout: 60_000, polling: 50 });
    ui.uncappedNavToAllLoadedMs = (await marks(p2.page)).loaded;
    if (await p2.page.$(SEL.kindBoth)) {
      await p2.page.click(SEL.kindBoth);
      await p2.page.waitForFunction(
        (sel) => /([\d,]+) shown \/ \1 stored/.test(document.querySelector(sel.count)?.textContent ?? ''),
        SEL,
        { timeout: 30_000 },
      );
    }
    ui.scrollUncapped = await scrollFrames(p2.page, { steps: 300, px: 400, jumps: 60 });
    await p2.context.close();
    await fast.close();
    fast = null;
    mem.end = procStats(lab.pid);
  } finally {
    await fast?.close().catch(() => undefined);
    await closeAll('tcp', [...sockets, ...pinger]);
    await lab.stop();
  }

  results.figures.memory = mem;
  results.figures.inspector = ui;
  const S3 = `3. Lab core resident memory (VmRSS of the \`netlab serve\` process)`;
  row(S3, 'idle, empty capture', fmt(mem.idle.rssMB, ' MB'));
  row(S3, `holding ${mem.stored.toLocaleString('en-US')} captured messages`, fmt(mem.filled.rssMB, ' MB'), '< 300 MB', mem.filled.rssMB < 300);
  row(S3, '  per message (filled − idle)', fmt(((mem.filled.rssMB - mem.idle.rssMB) * 1048576) / mem.stored, ' B', 0));
  row(S3, '  after one history page of 20,000', fmt(mem.afterList.rssMB, ' MB'));
  row(S3, '  with the UI attached, after live ingest', fmt(mem.afterLive.rssMB, ' MB'));
  row(S3, '  peak (VmHWM) over the whole run', fmt(mem.end.hwmMB, ' MB'));

  const S2 = `2. Inspector in Chromium with ${mem.stored.toLocaleString('en-US')} messages`;
  row(S2, 'fill rate (4 TCP conns, capture on, no UI)', fmt(mem.fillRtps, ' RT/s', 0));
  row(S2, `one 20,000-row history page, over WS from Node (${fmt(ui.listMB, ' MB')})`, fmt(ui.listCallMs, ' ms', 0));
  row(S2, '  longest echo reply wait meanwhile / when quiet', `${fmt(ui.echoMaxGapDuringListMs, '', 0)} / ${fmt(ui.echoMaxGapQuietMs, ' ms', 1)}`);
  row(S2, 'navigation → DOMContentLoaded / rail visible', `${fmt(ui.navToDomContentLoadedMs, '', 0)} / ${fmt(ui.navToRailMs, ' ms', 0)}`);
  row(S2, 'navigation → API socket open', fmt(ui.navToWsOpenMs, ' ms', 0));
  row(S2, `navigation → first history page received (${fmt(ui.firstPageKB, ' kB', 0)}; ${ui.historyPages ?? 0} pages in all)`, fmt(ui.navToFirstPageMs, ' ms', 0));
  row(S2, `  largest frame (${fmt(ui.historyFrameMB, ' MB')}) received`, fmt(ui.navToHistoryFrameMs, ' ms', 0));
  row(S2, 'navigation → first inspector row', fmt(ui.navToFirstRowMs, ' ms', 0), '< 500 ms', ui.navToFirstRowMs < 500);
  row(S2, 'navigation → all messages loaded (count)', fmt(ui.navToAllLoadedMs, ' ms', 0));
  row(S2, '  page main thread by then: task / script / layout / style', `${fmt(ui.afterLoad.taskMs, '', 0)} / ${fmt(ui.afterLoad.scriptMs, '', 0)} / ${fmt(ui.afterLoad.layoutMs, '', 0)} / ${fmt(ui.afterLoad.styleMs, ' ms', 0)}`);
  if (ui.switchToBothMs !== undefined) row(S2, 'switch view to chunks + messages (refilter)', fmt(ui.switchToBothMs, ' ms', 0));
  const up = ui.scrollUncapped;
  const cap = ui.scrollCapped;
  row(S2, 'scroll frame cost, 300 wheel steps: p50 / p95', `${fmt(pct(up.wheel, 50), '', 1)} / ${fmt(pct(up.wheel, 95), ' ms', 1)}`, 'p95 < 12 ms', pct(up.wheel, 95) < 12);
  row(S2, '  max', fmt(Math.max(...up.wheel), ' ms', 1));
  row(S2, 'scroll frame cost, 60 scrollbar jumps: p50 / p95 / max', `${fmt(pct(up.jump, 50), '', 1)} / ${fmt(pct(up.jump, 95), '', 1)} / ${fmt(Math.max(...up.jump), ' ms', 1)}`, 'p95 < 12 ms', pct(up.jump, 95) < 12);
  row(S2, 'main-thread work per scroll step: p50 / p95', `${fmt(pct(up.work, 50), '', 2)} / ${fmt(pct(up.work, 95), ' ms', 2)}`);
  row(S2, 'vsync-capped rAF delta, wheel: p50 / p95 / max', `${fmt(pct(cap.wheel, 50), '', 1)} / ${fmt(pct(cap.wheel, 95), '', 1)} / ${fmt(Math.max(...cap.wheel), ' ms', 1)}`);
  row(S2, '  frames over 1.5 vsync (dropped)', `${cap.wheel.filter((d) => d > 25).length} of ${cap.wheel.length}`);
  row(S2, `live ingest of ${ui.live.messages.toLocaleString('en-US')}: UI caught up after`, fmt(ui.live.catchUpMs, ' ms', 0));
  row(S2, '  generation took / UI lag after the last reply', `${fmt(ui.live.generateMs, '', 0)} / ${fmt(ui.live.lagAfterLastMs, ' ms', 0)}`);
  row(S2, '  frames during ingest (vsync): p50 / p95 / max', `${fmt(ui.live.frames.p50, '', 1)} / ${fmt(ui.live.frames.p95, '', 1)} / ${fmt(ui.live.frames.max, ' ms', 1)}`);
  row(S2, '  page script / layout / style during ingest', `${fmt(ui.live.pageScriptMs, '', 0)} / ${fmt(ui.live.pageLayoutMs, '', 0)} / ${fmt(ui.live.pageStyleMs, ' ms', 0)}`);
  row(S2, '  lab CPU during ingest', fmt(ui.live.labCpuMs, ' ms', 0));
  row(S2, 'page JS heap after ingest', fmt(ui.pageHeapMB, ' MB'));
  if (ui.pageErrors.length) results.notes.push(`page errors in the inspector run: ${[...new Set(ui.pageErrors)].join(' | ').slice(0, 400)}`);
  const i = up.info;
  results.notes.push(
    `scrolled ${i.scroller}: ${i.rowsInDom} rows in the DOM of ${Math.round(i.scrollHeight / 24).toLocaleString('en-US')} (${i.scrollHeight.toLocaleString('en-US')} px); first row id ${i.firstIdAtTop} → ${i.firstIdAfterWheel} after the wheel steps`,
  );
}

// ---------- main ----------
