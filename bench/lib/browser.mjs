/**
 * Debian's Chromium driven by playwright-core, and the in-page probes: when the rail and
 * the inspector rows first appear, what the inspector's count says, and frame times.
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS as ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
/** Without a vsync cap, rAF deltas measure what a frame costs instead of the 16.7 ms cadence. */
const UNCAPPED = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

export const SEL = {
  rail: '[data-testid="service-row-echo-tcp"]',
  inspector: '[data-testid="inspector"]',
  row: '[data-testid="inspector-row"]',
  count: '[data-testid="inspector-count"]',
  /** shown while older history still pages in */
  historyLoading: '[data-testid="inspector-history-loading"]',
  kindBoth: '[data-testid="inspector-kind-both"]',
};

export function launch({ uncapped = false } = {}) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: uncapped ? [...ARGS, ...UNCAPPED] : ARGS });
}

/**
 * Runs in the page before its own scripts: notes (performance.now()) when the rail row and
 * the first inspector row enter the DOM, and when the inspector's stored count reaches
 * `__bench.target` (or `window.__benchTarget`, set by a later init script).
 */
function watch(sel) {
  const marks = {};
  const bench = { marks, target: undefined };
  window.__bench = bench;
  const storedCount = () => {
    const text = document.querySelector(sel.count)?.textContent ?? '';
    const m = /([\d.,\s\u00a0\u202f]+)stored/.exec(text);
    return m ? Number(m[1].replace(/\D/g, '')) : -1;
  };
  bench.stored = storedCount;
  const check = () => {
    const now = performance.now();
    if (marks.rail === undefined && document.querySelector(sel.rail)) marks.rail = now;
    if (marks.row === undefined && document.querySelector(sel.row)) marks.row = now;
    const target = bench.target ?? window.__benchTarget;
    // the count is the whole capture's from the first page: loaded once no older page is still to come
    if (target !== undefined && marks.loaded === undefined && storedCount() >= target && !document.querySelector(sel.historyLoading)) marks.loaded = now;
  };
  // when the lab's socket opened, when its biggest frame and the first page of history (a
  // binary frame whose first byte is 2, or 3 for the opening page with the settings and
  // connections: src-main/lab/capture/batch-frame.ts) arrived
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => (marks.wsOpen ??= performance.now()));
      this.addEventListener('message', (e) => {
        const binary = e.data instanceof ArrayBuffer;
        const size = typeof e.data === 'string' ? e.data.length : binary ? e.data.byteLength : 0;
        const kind = binary && size > 0 ? new Uint8Array(e.data, 0, 1)[0] : 0;
        if (kind === 2 || kind === 3) {
          marks.pages = (marks.pages ?? 0) + 1;
          if (marks.firstPage === undefined) {
            marks.firstPage = performance.now();
            marks.firstPageSize = size;
          }
        }
        if (size > (marks.bigFrameSize ?? 100_000)) {
          marks.bigFrameSize = size;
          marks.bigFrame = performance.now();
        }
      });
    }
  };
  const observer = new MutationObserver(check);
  const start = () => observer.observe(document, { childList: true, subtree: true, characterData: true });
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
  bench.stop = () => observer.disconnect();
}

/** A fresh context (no cache, no stored layout); `target`: the stored count to wait for. */
export async function newPage(browser, { target } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(watch, SEL);
  if (target !== undefined) await context.addInitScript((t) => (window.__benchTarget = t), target);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, errors };
}

export function marks(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      ...window.__bench.marks,
      timeOrigin: performance.timeOrigin,
      domContentLoaded: nav?.domContentLoadedEventEnd,
      responseEnd: nav?.responseEnd,
    };
  });
}

export function uiStored(page) {
  return page.evaluate(() => window.__bench.stored());
}

/**
 * Frame times while scrolling the inspector's list (or, with `row`, the scroller holding
 * those rows: the flow graph's): one scroll step per animation frame.
 */
export function scrollFrames(page, { steps, px, jumps, row = SEL.row }) {
  return page.evaluate(
    async ({ sel, steps, px, jumps }) => {
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const root = document.querySelector(sel.inspector);
      let el = root?.querySelector(sel.row) ?? null;
      while (el && el !== root) {
        const s = getComputedStyle(el);
        if ((s.overflowY === 'auto' || s.overflowY === 'scroll') && el.scrollHeight > el.clientHeight) break;
        el = el.parentElement;
      }
      if (!el || el === root) throw new Error('no scrollable element holds the inspector rows');
      const firstId = () => Number(root.querySelector(sel.row)?.dataset.id ?? NaN);
      const info = {
        scroller: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`,
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
        rowsInDom: root.querySelectorAll(sel.row).length,
      };
      window.__bench.stop();
      el.scrollTop = 0;
      for (let i = 0; i < 10; i++) await frame();
      info.firstIdAtTop = firstId();

      // wheel-like: scrollTop += px each frame
      const wheel = [];
      await frame();
      let last = performance.now();
      for (let i = 0; i < steps; i++) {
        el.scrollTop += px;
        await frame();
        const now = performance.now();
        wheel.push(now - last);
        last = now;
      }
      await frame();
      info.firstIdAfterWheel = firstId();

      // scrollbar drags: a far position each frame
      const jump = [];
      let seed = 7;
      const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      await frame();
      last = performance.now();
      for (let i = 0; i < jumps; i++) {
        el.scrollTop = Math.floor(rand() * (el.scrollHeight - el.clientHeight));
        await frame();
        const now = performance.now();
        jump.push(now - last);
        last = now;
      }

      // the main-thread share of one step: scroll handler + Vue update + style + layout
      // (paint and raster are not in it: they are in the frame times above)
      const work = [];
      el.scrollTop = 0;
      await frame();
      for (let i = 0; i < 100; i++) {
        const t0 = performance.now();
        el.scrollTop += px;
        el.dispatchEvent(new Event('scroll'));
        await Promise.resolve();
        await Promise.resolve();
        void root.querySelector(sel.row)?.offsetTop;
        work.push(performance.now() - t0);
        await frame();
      }
      info.rowsInDomAfter = root.querySelectorAll(sel.row).length;
      el.scrollTop = el.scrollHeight; // back to the tail: the list follows new messages again
      await frame();
      await frame();
      return { info, wheel, jump, work };
    },
    { sel: { ...SEL, row }, steps, px, jumps },
  );
}

/** Record rAF deltas until `stop()`; for frames while live messages arrive. */
export async function startFrameRecorder(page) {
  await page.evaluate(() => {
    const rec = { deltas: [], on: true };
    window.__frames = rec;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      rec.deltas.push(now - last);
      last = now;
      if (rec.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(() => {
      last = performance.now();
      requestAnimationFrame(tick);
    });
  });
  return () =>
    page.evaluate(() => {
      window.__frames.on = false;
      return window.__frames.deltas;
    });
}

/** CDP's cumulative main-thread timings of the page (seconds → ms). */
export async function cdpMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  return {
    taskMs: m.TaskDuration * 1000,
    scriptMs: m.ScriptDuration * 1000,
    layoutMs: m.LayoutDuration * 1000,
    styleMs: m.RecalcStyleDuration * 1000,
    heapMB: m.JSHeapUsedSize / 1048576,
    nodes: m.Nodes,
  };
}
