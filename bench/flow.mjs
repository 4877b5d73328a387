/**
 * The inspector's Flow graph with 10,000 messages (issue 14's goal: drawn in < 200 ms,
 * scrolling at p95 < 16 ms). The lab runs as a user runs it (`netlab serve`, capture on);
 * the traffic crosses several hosts: DNS queries through the local server to dns.umass.edu,
 * GETs through the proxy cache to gaia.cs.umass.edu, UDP echo datagrams to fill up.
 * Then, in Debian's Chromium without the vsync cap (a frame's rAF delta is its cost):
 * the click on Flow → its rows in the DOM → the frame after; then 300 wheel steps and 60
 * scrollbar jumps. Figures are informative: exit 1 only if something broke.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import dnsPacket from 'dns-packet';
import { callOnce, dropSnapshot, killAll, ROOT, sleep, snapshotBuild, startLab } from './lib/lab.mjs';
import { closeAll, openUdp, roundTrips } from './lib/load.mjs';
import { launch, newPage, scrollFrames } from './lib/browser.mjs';

// Ports: lab services 23070–23099, UI 7370 (never 12000/7070/7171, nor the other benches')
const UI_PORT = 7370;
const ECHO_PORT = 23070;
const SERVICE_IDS = ['dns-local', 'dns-root', 'dns-gtld', 'dns-edu', 'dns-org', 'dns-fr', 'dns-umass', 'dns-someschool', 'dns-hamburger', 'dns-crepes', 'dns-networkutopia', 'http', 'proxy', 'smtp', 'smtp-crepes', 'smtp-hamburger', 'smtp-networkutopia', 'pop3', 'tracker', 'program-tcp'];
const SERVICES = Object.fromEntries(SERVICE_IDS.map((id, i) => [id, 23071 + i]));
Object.assign(SERVICES, { 'tracker-udp': SERVICES.tracker, 'program-udp': SERVICES['program-tcp'] });
const TARGET = 10_000;
const DNS_QUERIES = 800;
const PROXY_GETS = 300;
const DRAWS = 5;
const FLOW_ROW = '[data-testid="flow-row"]';
const RESULTS = path.join(ROOT, 'tests', 'artifacts', 'bench-flow.json');

const log = (msg) => process.stderr.write(`[bench flow ${(performance.now() / 1000).toFixed(1)}s] ${msg}\n`);
function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
}
const fmt = (x, unit = ' ms') => (Number.isFinite(x) ? `${x.toFixed(1)}${unit}` : 'n/a');

/** `n` jobs, `width` at a time. */
async function pool(n, width, job) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await job(next++);
  }));
}

/** A query for a name under umass.edu: the local server asks dns.umass.edu (the walk is cached after the first). */
function dnsQueries(port) {
  const sock = dgram.createSocket('udp4');
  const waiting = new Map();
  sock.on('message', (msg) => {
    const id = msg.readUInt16BE(0);
    waiting.get(id)?.();
    waiting.delete(id);
  });
  const ask = (i) =>
    new Promise((resolve) => {
      const id = (i % 65000) + 1;
      const timer = setTimeout(resolve, 2000);
      waiting.set(id, () => (clearTimeout(timer), resolve()));
      sock.send(dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: `host${i}.cs.umass.edu` }] }), port, '127.0.0.1');
    });
  return pool(DNS_QUERIES, 8, ask).finally(() => sock.close());
}

/** GETs through the proxy cache to gaia, each a different URL so each is a miss. */
function proxyGets(port) {
  const get = (i) =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: `http://gaia.cs.umass.edu/?n=${i}`, headers: { Host: 'gaia.cs.umass.edu' }, agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', resolve);
      req.setTimeout(5000, () => req.destroy());
    });
  return pool(PROXY_GETS, 4, get);
}

/** Messages the Messages view (and so the flow graph) shows: framed messages and datagrams. */
async function messageCount(lab) {
  const list = await callOnce(lab, 'capture.list', { beforeId: Number.MAX_SAFE_INTEGER, limit: 100_000 });
  return list.filter((m) => m.kind === 'message' && m.dir !== 'none').length;
}

async function main() {
  await snapshotBuild();
  const lab = await startLab({ uiPort: UI_PORT, echoPort: ECHO_PORT, label: 'flow', services: SERVICES });
  const figures = { target: TARGET };
  let browser;
  let udp = [];
  try {
    log(`traffic: ${DNS_QUERIES} DNS queries, ${PROXY_GETS} GETs through the proxy`);
    await dnsQueries(SERVICES['dns-local']);
    await proxyGets(SERVICES.proxy);
    await sleep(300);
    const sofar = await messageCount(lab);
    const rts = Math.max(0, Math.ceil((TARGET - sofar) / 2));
    log(`${sofar} messages; ${rts} UDP echo round trips to reach ${TARGET}`);
    udp = await openUdp(ECHO_PORT, 1);
    await roundTrips('udp', udp, { total: rts });
    await sleep(300);
    figures.messages = await messageCount(lab);

    browser = await launch({ uncapped: true });
    const stored = (await callOnce(lab, 'capture.settings')).stored;
    const { page, errors } = await newPage(browser, { target: stored });
    await page.goto(lab.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench.marks.loaded !== undefined, null, { timeout: 60_000, polling: 50 });

    log(`flow graph: drawn ${DRAWS} times`);
    figures.draws = [];
    for (let i = 0; i < DRAWS; i++) {
      figures.draws.push(
        await page.evaluate(async (row) => {
          const t0 = performance.now();
          document.querySelector('[data-testid="inspector-view-flow"]').click();
          while (!document.querySelector(row)) await new Promise((r) => setTimeout(r, 0));
          const inDom = performance.now() - t0;
          // the frame that shows it: rAF runs before that paint, a task after it
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          return { inDom, painted: performance.now() - t0 };
        }, FLOW_ROW),
      );
      const info = await page.locator('[data-testid="flow-graph"]').getAttribute('aria-label');
      figures.shown = info;
      await page.click('[data-testid="inspector-view-list"]');
      await page.waitForSelector(FLOW_ROW, { state: 'detached' });
      await sleep(200);
    }
    // the reference, in the same page and the same minute: the message list's scrolling
    log('message list: scrolling (reference)');
    figures.listScroll = await scrollFrames(page, { steps: 300, px: 400, jumps: 60 });
    await page.click('[data-testid="inspector-view-flow"]');
    await page.waitForSelector(FLOW_ROW);
    log('flow graph: scrolling');
    figures.scroll = await scrollFrames(page, { steps: 300, px: 400, jumps: 60, row: FLOW_ROW });
    figures.pageErrors = errors;
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  } finally {
    await browser?.close();
    await closeAll('udp', udp);
    await lab.stop();
    dropSnapshot();
  }

  const first = figures.draws[0];
  const painted = figures.draws.map((d) => d.painted);
  const { wheel, jump, work, info } = figures.scroll;
  const lines = [
    '',
    `Flow graph: ${figures.shown}`,
    `  click → rows in the DOM, first draw       ${fmt(first.inDom)}`,
    `  click → frame painted, first draw          ${fmt(first.painted)}   goal < 200 ms  ${first.painted < 200 ? 'PASS' : 'OVER GOAL'}`,
    `  click → frame painted, median / max of ${DRAWS}   ${fmt(pct(painted, 50), '')} / ${fmt(Math.max(...painted))}`,
    `  scroll frame cost, ${wheel.length} wheel steps: p50 / p95   ${fmt(pct(wheel, 50), '')} / ${fmt(pct(wheel, 95))}   goal p95 < 16 ms  ${pct(wheel, 95) < 16 ? 'PASS' : 'OVER GOAL'}`,
    `  scroll frame cost, ${jump.length} scrollbar jumps: p50 / p95 / max   ${fmt(pct(jump, 50), '')} / ${fmt(pct(jump, 95), '')} / ${fmt(Math.max(...jump))}`,
    `  main-thread work per scroll step: p50 / p95   ${fmt(pct(work, 50), '')} / ${fmt(pct(work, 95))}`,
    `  the message list, same page (reference): wheel p50 / p95   ${fmt(pct(figures.listScroll.wheel, 50), '')} / ${fmt(pct(figures.listScroll.wheel, 95))}; work p50 / p95   ${fmt(pct(figures.listScroll.work, 50), '')} / ${fmt(pct(figures.listScroll.work, 95))}`,
    `  rows in the DOM: ${info.rowsInDom} of ${figures.messages.toLocaleString('en-US')} messages (${info.scrollHeight.toLocaleString('en-US')} px tall)`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify({ when: new Date().toISOString(), ...figures }, null, 1));
  process.stdout.write(`Results written to ${path.relative(ROOT, RESULTS)}\n`);
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
