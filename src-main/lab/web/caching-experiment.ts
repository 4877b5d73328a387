/**
 * The caching example of Kurose & Ross §2.2.5 as the textbook poses it: an institution's
 * browsers make `a` requests a second (at random, Poisson) for objects of L bits from origin
 * servers an Internet delay away; every response crosses the access link of rate R, one FIFO
 * queue (the proxy's shared access link, proxy/origin.ts). Three options are run, one after
 * the other, over the same request sequence: the 15 Mbps link (La/R ≈ 1: the queue, and the
 * delay, grow through the run), a 100 Mbps link (≈ 2 s + msecs), and the 15 Mbps link with
 * the proxy's cache, a fraction h of the requests for objects it holds (0.6·2.01 + 0.4·0.01
 * ≈ 1.21 s).
 *
 * Scaled to run in well under a minute, as the swarm is: time runs `timeFactor` times faster
 * (the Internet delay and the gaps between requests are divided by it, rates multiplied),
 * and sizes and rates are divided by `sizeDivisor` together — L/R and La/R are unchanged.
 * Delays are reported in textbook seconds.
 */
import { HttpClientConnection } from './client';
import { header } from './head';
import type { ExperimentHost } from './experiments';
import type { CachingOptions } from './web-schemas';
import type { CachingOption, CachingResult, ExperimentProgress } from './types';
import { PROXY_HOST } from './proxy/origin';
import { english, msg, type LabText } from '../lab-text';

const SITE = 'www.someschool.edu';
/** the objects a fraction h of the requests ask for again: in the cache before the run */
const POPULAR = 10;
/** the textbook's LAN delay, and what a hit costs in its formula (seconds) */
const LAN_S = 0.01;

type Model = Required<CachingOptions>;
const DEFAULTS: Model = {
  requestsPerSec: 15,
  objectKbit: 1000,
  accessMbps: 15,
  fastMbps: 100,
  internetDelayMs: 2000,
  hitRate: 0.4,
  durationS: 20,
  timeFactor: 2,
  sizeDivisor: 16,
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** A small seeded generator (mulberry32): every run, and every option, sees the same requests. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Request times (Poisson arrivals at `perSec`) within `durationS`, and the object each asks for. */
export function cachingPlan(m: Pick<Model, 'requestsPerSec' | 'durationS' | 'hitRate'>, seed = 2025): { timesS: number[]; objects: string[] } {
  const rnd = random(seed);
  const timesS: number[] = [];
  const objects: string[] = [];
  for (let t = -Math.log(1 - rnd()) / m.requestsPerSec; t < m.durationS; t += -Math.log(1 - rnd()) / m.requestsPerSec) {
    timesS.push(Math.round(t * 1000) / 1000);
    objects.push(rnd() < m.hitRate ? `popular-${Math.floor(rnd() * POPULAR)}` : `object-${objects.length}`);
  }
  return { timesS, objects };
}

async function fetchThroughProxy(host: ExperimentHost, name: string, bytes: number): Promise<{ ms: number; hit: boolean }> {
  const start = performance.now();
  const c = await HttpClientConnection.connect(host.proxy.port, { names: host.names, client: { name: 'institution browser' }, server: { name: PROXY_HOST } });
  try {
    c.send([{ method: 'GET', target: `http://${SITE}/_netlab/object/${name}?bytes=${bytes}`, headers: [['Host', SITE], ['Connection', 'close']] }]);
    const res = await c.next();
    if (res.status !== 200) throw new Error(`the proxy answered ${res.status} for ${name}: ${res.body.toString('utf8').slice(0, 200)}`);
    return { ms: performance.now() - start, hit: header(res.headers, 'x-cache') === 'HIT' };
  } finally {
    c.close();
  }
}

interface Variant {
  id: CachingOption['id'];
  labelText: LabText;
  accessMbps: number;
  cache: boolean;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

async function runOption(
  host: ExperimentHost,
  m: Model,
  plan: { timesS: number[]; objects: string[] },
  v: Variant,
  progress: (done: number) => void,
): Promise<CachingOption> {
  const bytes = objectBytes(m);
  const kbps = (v.accessMbps * 1000 * m.timeFactor) / m.sizeDivisor;
  host.proxy.configureProxy({ cacheEnabled: v.cache, internetDelayMs: m.internetDelayMs / m.timeFactor, accessKbps: kbps });
  host.proxy.flush();
  // the cache option starts warm: the popular objects are in it, as in a cache that has been serving a while
  if (v.cache) await Promise.all(Array.from({ length: POPULAR }, (_, i) => fetchThroughProxy(host, `popular-${i}`, bytes)));
  const before = host.proxy.status().accessBytes;
  const start = performance.now();
  let done = 0;
  const results = plan.timesS.map(async (t, i) => {
    await sleep(start + (t * 1000) / m.timeFactor - performance.now());
    const r = await fetchThroughProxy(host, plan.objects[i], bytes);
    progress(++done);
    return r;
  });
  const measured = await Promise.all(results);
  const crossedBits = (host.proxy.status().accessBytes - before) * 8;
  const delaysS = measured.map((r) => round((r.ms * m.timeFactor) / 1000));
  const fifth = Math.max(1, Math.floor(delaysS.length / 5));
  const a = m.requestsPerSec;
  const L = m.objectKbit / 1000;
  const d = m.internetDelayMs / 1000;
  const miss = d + LAN_S;
  const rho = (a * L) / v.accessMbps;
  const f = (x: number): string => String(round(x, 2));
  const textbookText: LabText = v.cache
    ? msg('webLab.caching.withCache', { missShare: f(1 - m.hitRate), missS: f(miss), hitShare: f(m.hitRate), lanS: String(LAN_S), totalS: f((1 - m.hitRate) * miss + m.hitRate * LAN_S), rho: f((1 - m.hitRate) * rho) })
    : rho >= 0.95
      ? msg('webLab.caching.unbounded', { a: f(a), L: f(L), R: f(v.accessMbps), rho: f(rho) })
      : msg('webLab.caching.bounded', { rho: f(rho), d: f(d), missS: f(miss) });
  const textbook = { s: v.cache ? (1 - m.hitRate) * miss + m.hitRate * LAN_S : rho >= 0.95 ? null : miss, text: english(textbookText) };
  return {
    id: v.id,
    label: english(v.labelText),
    labelText: v.labelText,
    accessMbps: v.accessMbps,
    cache: v.cache,
    intensity: round(crossedBits / (kbps * 1000 * (m.durationS / m.timeFactor)), 2),
    requests: measured.length,
    hitRate: round(measured.filter((r) => r.hit).length / Math.max(1, measured.length)),
    avgS: round(mean(delaysS)),
    firstS: round(mean(delaysS.slice(0, fifth))),
    lastS: round(mean(delaysS.slice(-fifth))),
    textbookS: textbook.s === null ? null : round(textbook.s),
    textbook: textbook.text,
    textbookText,
    delaysS,
  };
}

export function objectBytes(m: Pick<Model, 'objectKbit' | 'sizeDivisor'>): number {
  return Math.max(1, Math.round((m.objectKbit * 1000) / 8 / m.sizeDivisor));
}

export async function runCaching(host: ExperimentHost, opts: CachingOptions, progress: (p: ExperimentProgress) => void = () => undefined): Promise<CachingResult> {
  const m: Model = { ...DEFAULTS, ...opts };
  if (host.proxy.state !== 'running' || host.http.state !== 'running') throw new Error('the proxy and the web server must both be running');
  const old = { ...host.proxy.settings };
  const plan = cachingPlan(m);
  const variants: Variant[] = [
    { id: 'access-15', labelText: msg('webLab.option.access', { mbps: m.accessMbps }), accessMbps: m.accessMbps, cache: false },
    { id: 'access-100', labelText: msg('webLab.option.access', { mbps: m.fastMbps }), accessMbps: m.fastMbps, cache: false },
    { id: 'cache', labelText: msg('webLab.option.cache', { mbps: m.accessMbps }), accessMbps: m.accessMbps, cache: true },
  ];
  const started = performance.now();
  try {
    const options: CachingOption[] = [];
    for (const [i, v] of variants.entries()) {
      const phaseText = msg('webLab.phase.option', { option: v.labelText, i: i + 1, n: variants.length });
      const phase = english(phaseText);
      let last = 0;
      progress({ experiment: 'caching', phase, phaseText, done: 0, total: plan.timesS.length });
      options.push(
        await runOption(host, m, plan, v, (done) => {
          // a few times a second is enough for a progress bar
          const now = performance.now();
          if (now - last < 200 && done < plan.timesS.length) return;
          last = now;
          progress({ experiment: 'caching', phase, phaseText, done, total: plan.timesS.length });
        }),
      );
    }
    return {
      model: { requestsPerSec: m.requestsPerSec, objectKbit: m.objectKbit, internetDelayMs: m.internetDelayMs, hitRate: m.hitRate, durationS: m.durationS },
      scale: { timeFactor: m.timeFactor, sizeDivisor: m.sizeDivisor, objectBytes: objectBytes(m), wallSeconds: Math.round((performance.now() - started) / 100) / 10 },
      timesS: plan.timesS,
      options,
    };
  } finally {
    host.proxy.configureProxy(old);
    // the runs filled the cache under the experiment's settings: leave it empty, not misleading
    host.proxy.flush();
  }
}
