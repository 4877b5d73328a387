/**
 * The measured experiments of Kurose & Ross §2.2: fetching a base page and the objects it
 * references over non-persistent, persistent and pipelined connections under an emulated
 * RTT (§2.2.2); the caching example of §2.2.5 is caching-experiment.ts.
 * The RTT is the web server's link delay (half each way, applied at the capture tap). A TCP
 * handshake on loopback costs nothing, so the client waits one RTT after connecting — the
 * set-up the textbook counts.
 */
import type { ClientNames } from '../internet/names';
import type { HttpService } from './server/http-service';
import type { ProxyService } from './proxy/proxy-service';
import { HttpClientConnection, type ClientLabel } from './client';
import type { PersistenceOptions } from './web-schemas';
import type { ExperimentProgress, FetchMode, PersistenceResult, PersistenceRun } from './types';

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

async function fetchPage(host: ExperimentHost, mode: FetchMode, path: string, rttMs: number, fetched: (objects: number, total: number) => void): Promise<PersistenceRun> {
  const start = performance.now();
  let connections = 1;
  let objects = 1;
  let total = 1;
  const got = (): void => fetched(++objects, total);
  let c = await open(host, rttMs, mode);
  c.send([get(path, mode === 'non-persistent')]);
  const base = await c.next();
  const refs = referencedObjects(base.body.toString('utf8'), path);
  total = refs.length + 1;
  fetched(objects, total);
  if (mode === 'non-persistent') {
    c.close();
    for (const ref of refs) {
      c = await open(host, rttMs, mode);
      connections++;
      c.send([get(ref, true)]);
      await c.next();
      c.close();
      got();
    }
  } else if (mode === 'persistent') {
    for (const ref of refs) {
      c.send([get(ref, false)]);
      await c.next();
      got();
    }
    c.close();
  } else {
    c.send(refs.map((r) => get(r, false)));
    for (let i = 0; i < refs.length; i++) {
      await c.next();
      got();
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

export async function runPersistence(host: ExperimentHost, opts: PersistenceOptions, progress: (p: ExperimentProgress) => void = () => undefined): Promise<PersistenceResult> {
  const rttMs = opts.rttMs ?? 100;
  const path = opts.path ?? '/someDepartment/home.index';
  if (host.http.state !== 'running') throw new Error('the web server is not running: start it in the services rail');
  const oldLink = { ...host.http.link };
  const oldForce = host.http.settings.forceNonPersistent;
  host.http.settings.forceNonPersistent = false;
  await host.http.configure({ link: { delayMs: rttMs / 2, jitterMs: 0, lossRate: 0, reorderRate: 0, rateKbps: 0 } });
  try {
    const runs: PersistenceRun[] = [];
    const modes: FetchMode[] = ['non-persistent', 'persistent', 'pipelined'];
    for (const [i, mode] of modes.entries()) {
      const phase = `${mode} (${i + 1} of ${modes.length})`;
      progress({ experiment: 'persistence', phase, done: 0, total: 0 });
      runs.push(await fetchPage(host, mode, path, rttMs, (done, total) => progress({ experiment: 'persistence', phase, done, total })));
    }
    return { url: `http://${SITE}${path}`, rttMs, referenced: runs[0].objects - 1, runs };
  } finally {
    host.http.settings.forceNonPersistent = oldForce;
    await host.http.configure({ link: oldLink });
  }
}
