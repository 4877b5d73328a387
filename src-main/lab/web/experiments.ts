/**
 * The measured experiments of Kurose & Ross §2.2: fetching a base page and the objects it
 * references over non-persistent, persistent and pipelined connections under an emulated
 * RTT (§2.2.2), and the caching example of §2.2.5 with and without the proxy's cache.
 * The RTT is the web server's link delay (half each way, applied at the capture tap). A TCP
 * handshake on loopback costs nothing, so the client waits one RTT after connecting — the
 * set-up the textbook counts. The caching experiment flushes the proxy's cache before each
 * run and after the last.
 */
import type { ClientNames } from '../internet/names';
import type { HttpService } from './server/http-service';
import type { ProxyService } from './proxy/proxy-service';
import { HttpClientConnection, type ClientLabel } from './client';
import type { CachingOptions, PersistenceOptions } from './web-schemas';
import type { CachingResult, CachingRun, FetchMode, PersistenceResult, PersistenceRun } from './types';

export interface ExperimentHost {
  http: HttpService;
  proxy: ProxyService;
  names: ClientNames;
}

const SITE = 'www.someschool.edu';
const SITE_ADDRESS = '192.0.2.10';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function label(host: ExperimentHost, client: string, serverName = SITE, virtualAddress = SITE_ADDRESS, virtualPort = 80): ClientLabel {
  return { names: host.names, client: { name: client }, server: { name: serverName, virtualAddress, virtualPort } };
}

/** The images a page references, as paths on the same site. */
export function referencedObjects(html: string, basePath: string): string[] {
  const dir = basePath.slice(0, basePath.lastIndexOf('/') + 1);
  const out: string[] = [];
  for (const m of html.matchAll(/<img\b[^>]*\bsrc\s*=\s*"([^"]+)"/gi)) {
    const src = m[1];
    if (/^[a-z]+:/i.test(src)) continue;
    out.push(src.startsWith('/') ? src : dir + src);
  }
  return out;
}

const get = (target: string, close: boolean) => ({ method: 'GET', target, headers: [['Host', SITE], ...(close ? [['Connection', 'close']] : [])] as [string, string][] });

async function open(host: ExperimentHost, rttMs: number, mode: FetchMode): Promise<HttpClientConnection> {
  const c = await HttpClientConnection.connect(host.http.port, label(host, `experiment (${mode})`));
  await sleep(rttMs); // the TCP handshake's round trip
  return c;
}

async function fetchPage(host: ExperimentHost, mode: FetchMode, path: string, rttMs: number): Promise<PersistenceRun> {
  const start = performance.now();
  let connections = 1;
  let objects = 1;
  let c = await open(host, rttMs, mode);
  c.send([get(path, mode === 'non-persistent')]);
  const base = await c.next();
  const refs = referencedObjects(base.body.toString('utf8'), path);
  if (mode === 'non-persistent') {
    c.close();
    for (const ref of refs) {
      c = await open(host, rttMs, mode);
      connections++;
      c.send([get(ref, true)]);
      await c.next();
      c.close();
      objects++;
    }
  } else if (mode === 'persistent') {
    for (const ref of refs) {
      c.send([get(ref, false)]);
      await c.next();
      objects++;
    }
    c.close();
  } else {
    c.send(refs.map((r) => get(r, false)));
    for (let i = 0; i < refs.length; i++) {
      await c.next();
      objects++;
    }
    c.close();
  }
  const measuredMs = performance.now() - start;
  const n = refs.length;
  const formula =
    mode === 'non-persistent'
      ? { ms: 2 * (n + 1) * rttMs, text: `2·RTT per object: 2·(${n}+1)·RTT` }
      : mode === 'persistent'
        ? { ms: (n + 2) * rttMs, text: `RTT (set-up) + (${n}+1)·RTT, one per object` }
        : { ms: 3 * rttMs, text: 'RTT (set-up) + RTT (base) + ~1 RTT for all objects' };
  return { mode, measuredMs: Math.round(measuredMs), formulaMs: formula.ms, formula: formula.text, connections, objects };
}

export async function runPersistence(host: ExperimentHost, opts: PersistenceOptions): Promise<PersistenceResult> {
  const rttMs = opts.rttMs ?? 100;
  const path = opts.path ?? '/someDepartment/home.index';
  if (host.http.state !== 'running') throw new Error('the web server is not running: start it in the services rail');
  const oldLink = { ...host.http.link };
  const oldForce = host.http.settings.forceNonPersistent;
  host.http.settings.forceNonPersistent = false;
  await host.http.configure({ link: { delayMs: rttMs / 2, jitterMs: 0, lossRate: 0, reorderRate: 0, rateKbps: 0 } });
  try {
    const runs: PersistenceRun[] = [];
    for (const mode of ['non-persistent', 'persistent', 'pipelined'] as FetchMode[]) runs.push(await fetchPage(host, mode, path, rttMs));
    return { url: `http://${SITE}${path}`, rttMs, referenced: runs[0].objects - 1, runs };
  } finally {
    host.http.settings.forceNonPersistent = oldForce;
    await host.http.configure({ link: oldLink });
  }
}

/** A request sequence over distinct objects in which 40% of the requests repeat an earlier one. */
export function cachingSequence(objects: string[], requests: number): string[] {
  const seq: string[] = [];
  let next = 0;
  for (let i = 0; i < requests; i++) {
    if ((i % 5 === 2 || i % 5 === 4) && seq.length) seq.push(seq[(i * 7) % seq.length]);
    else seq.push(objects[next++ % objects.length]);
  }
  return seq;
}

async function throughProxy(host: ExperimentHost, cache: boolean, seq: string[], delayS: number): Promise<CachingRun> {
  await host.proxy.configureProxy({ cacheEnabled: cache });
  host.proxy.flush();
  const samplesMs: number[] = [];
  for (const path of seq) {
    const start = performance.now();
    const c = await HttpClientConnection.connect(host.proxy.port, label(host, 'experiment browser', 'proxy cache', undefined, undefined));
    c.send([{ method: 'GET', target: `http://${SITE}${path}`, headers: [['Host', SITE], ['Connection', 'close']] }]);
    await c.next();
    c.close();
    samplesMs.push(Math.round(performance.now() - start));
  }
  const st = host.proxy.status();
  const h = st.requests ? (st.hits + st.revalidated) / st.requests : 0;
  const avgMs = samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length;
  // the textbook's LAN and access delays (0.01 s each) beside the emulated Internet delay
  const miss = delayS + 0.01;
  const formulaMs = ((1 - h) * miss + h * 0.01) * 1000;
  const f = (x: number): string => String(Math.round(x * 100) / 100);
  const formula = cache ? `${f(1 - h)}·${f(miss)} s + ${f(h)}·0.01 s` : `Internet delay + access delay = ${f(miss)} s`;
  return { cache, requests: seq.length, hitRate: h, avgMs: Math.round(avgMs), formulaMs: Math.round(formulaMs), formula, samplesMs };
}

export async function runCaching(host: ExperimentHost, opts: CachingOptions): Promise<CachingResult> {
  const internetDelayMs = opts.internetDelayMs ?? 2000;
  const accessKbps = opts.accessKbps ?? 15_000;
  const requests = opts.requests ?? 10;
  if (host.proxy.state !== 'running' || host.http.state !== 'running') throw new Error('the proxy and the web server must both be running');
  const old = { ...host.proxy.settings };
  const oldMaxAge = host.http.settings.maxAgeSec;
  // objects stay fresh for the whole run, so a repeat is a hit (no revalidation)
  host.http.settings.maxAgeSec = 3600;
  await host.proxy.configureProxy({ internetDelayMs, accessKbps });
  try {
    const objects = ['/someDepartment/home.index', ...Array.from({ length: 10 }, (_, i) => `/someDepartment/images/pic${i + 1}.png`)];
    const seq = cachingSequence(objects, requests);
    const runs = [await throughProxy(host, true, seq, internetDelayMs / 1000), await throughProxy(host, false, seq, internetDelayMs / 1000)];
    return { internetDelayMs, accessKbps, runs };
  } finally {
    host.http.settings.maxAgeSec = oldMaxAge;
    await host.proxy.configureProxy(old);
    // the runs filled the cache under the experiment's settings: leave it empty, not misleading
    host.proxy.flush();
  }
}
