/**
 * The measured experiments of Kurose & Ross §2.2: fetching a base page and the objects it
 * references over non-persistent connections (one at a time, then m in parallel),
 * persistent and pipelined ones under an emulated RTT (§2.2.2) and, for large objects, the
 * web server's link rate; the caching example of §2.2.5 is caching-experiment.ts.
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
import { english, msg, type LabText, type LabTextKey } from '../lab-text';

const PHASE_KEY: Record<FetchMode, LabTextKey> = {
  'non-persistent': 'webLab.phase.nonPersistent',
  parallel: 'webLab.phase.parallel',
  persistent: 'webLab.phase.persistent',
  pipelined: 'webLab.phase.pipelined',
};

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

/** Large objects in place of the page's images: the web server's objects of a given size (server/objects.ts). */
export function largeObject(ref: string, bytes: number): string {
  const name = (ref.split('/').pop() ?? 'object').replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40) || 'object';
  return `/_netlab/object/${name}?bytes=${bytes}`;
}

async function open(host: ExperimentHost, rttMs: number, mode: FetchMode): Promise<HttpClientConnection> {
  const c = await HttpClientConnection.connect(host.http.port, label(host, `experiment (${mode})`));
  await sleep(rttMs); // the TCP handshake's round trip
  return c;
}

interface Fetch {
  mode: FetchMode;
  path: string;
  rttMs: number;
  /** m, for 'parallel' */
  parallel: number;
  objectBytes: number;
  rateKbps: number;
}

/**
 * The textbook's response time of each way (Kurose & Ross §2.2.2): 2·RTT per object
 * without persistence, m of them at once with parallel connections, one RTT per object on a
 * persistent connection, about one for all when pipelined. Over a rate-limited link every
 * byte also takes its transmission time, L/R, once: parallel connections share the link.
 */
export function persistenceFormula(f: Pick<Fetch, 'mode' | 'rttMs' | 'parallel'>, n: number, transmissionMs: number): { ms: number; text: string; textI18n: LabText } {
  const m = f.parallel;
  const rounds = Math.ceil(n / m);
  const base: { ms: number; said: LabText } =
    f.mode === 'non-persistent'
      ? { ms: 2 * (n + 1) * f.rttMs, said: msg('webLab.formula.nonPersistent', { n }) }
      : f.mode === 'parallel'
        ? { ms: 2 * (1 + rounds) * f.rttMs, said: msg('webLab.formula.parallel', { n, m }) }
        : f.mode === 'persistent'
          ? { ms: (n + 2) * f.rttMs, said: msg('webLab.formula.persistent', { n }) }
          : { ms: 3 * f.rttMs, said: msg('webLab.formula.pipelined') };
  const said = transmissionMs <= 0 ? base.said : msg('webLab.formula.transmission', { base: base.said, ms: Math.round(transmissionMs) });
  return { ms: transmissionMs <= 0 ? base.ms : Math.round(base.ms + transmissionMs), text: english(said), textI18n: said };
}

/** One request on a connection of its own (non-persistent), closed after the response. */
async function fetchAlone(host: ExperimentHost, f: Fetch, target: string): Promise<number> {
  const c = await open(host, f.rttMs, f.mode);
  try {
    c.send([get(target, true)]);
    return (await c.next()).body.length;
  } finally {
    c.close();
  }
}

async function fetchPage(host: ExperimentHost, f: Fetch, fetched: (objects: number, total: number) => void): Promise<PersistenceRun> {
  const { mode, rttMs } = f;
  const start = performance.now();
  let connections = 1;
  let objects = 1;
  let total = 1;
  const got = (): void => fetched(++objects, total);
  let c = await open(host, rttMs, mode);
  c.send([get(f.path, mode === 'non-persistent' || mode === 'parallel')]);
  const base = await c.next();
  let bytes = base.body.length;
  const refs = referencedObjects(base.body.toString('utf8'), f.path).map((r) => (f.objectBytes > 0 ? largeObject(r, f.objectBytes) : r));
  total = refs.length + 1;
  fetched(objects, total);
  if (mode === 'non-persistent' || mode === 'parallel') {
    c.close();
    // m workers, each taking the next object: ⌈n/m⌉ rounds when the objects are alike
    const queue = [...refs];
    const worker = async (): Promise<void> => {
      for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
        connections++;
        const body = await fetchAlone(host, f, ref);
        bytes += body;
        got();
      }
    };
    await Promise.all(Array.from({ length: mode === 'parallel' ? f.parallel : 1 }, worker));
  } else if (mode === 'persistent') {
    for (const ref of refs) {
      c.send([get(ref, false)]);
      bytes += (await c.next()).body.length;
      got();
    }
    c.close();
  } else {
    c.send(refs.map((r) => get(r, false)));
    for (let i = 0; i < refs.length; i++) {
      bytes += (await c.next()).body.length;
      got();
    }
    c.close();
  }
  const measuredMs = performance.now() - start;
  const transmissionMs = f.rateKbps > 0 ? (bytes * 8) / f.rateKbps : 0;
  const formula = persistenceFormula(f, refs.length, transmissionMs);
  const parallel = mode === 'parallel' ? f.parallel : 1;
  return { mode, measuredMs: Math.round(measuredMs), formulaMs: formula.ms, formula: formula.text, formulaText: formula.textI18n, connections, objects, parallel, transmissionMs: Math.round(transmissionMs), bytes };
}

export async function runPersistence(host: ExperimentHost, opts: PersistenceOptions, progress: (p: ExperimentProgress) => void = () => undefined): Promise<PersistenceResult> {
  const rttMs = opts.rttMs ?? 100;
  const path = opts.path ?? '/someDepartment/home.index';
  const parallel = opts.parallel ?? 5;
  const objectBytes = opts.objectBytes ?? 0;
  const rateKbps = opts.rateKbps ?? 0;
  if (host.http.state !== 'running') throw new Error('the web server is not running: start it in the services rail');
  const oldLink = { ...host.http.link };
  const oldForce = host.http.settings.forceNonPersistent;
  host.http.settings.forceNonPersistent = false;
  await host.http.configure({ link: { delayMs: rttMs / 2, jitterMs: 0, lossRate: 0, reorderRate: 0, rateKbps } });
  try {
    const runs: PersistenceRun[] = [];
    const modes: FetchMode[] = ['non-persistent', 'parallel', 'persistent', 'pipelined'];
    for (const [i, mode] of modes.entries()) {
      const phaseText = msg(PHASE_KEY[mode], { ...(mode === 'parallel' ? { m: parallel } : {}), i: i + 1, n: modes.length });
      const phase = english(phaseText);
      progress({ experiment: 'persistence', phase, phaseText, done: 0, total: 0 });
      const f: Fetch = { mode, path, rttMs, parallel, objectBytes, rateKbps };
      runs.push(await fetchPage(host, f, (done, total) => progress({ experiment: 'persistence', phase, phaseText, done, total })));
    }
    return { url: `http://${SITE}${path}`, rttMs, referenced: runs[0].objects - 1, parallel, objectBytes, rateKbps, runs };
  } finally {
    host.http.settings.forceNonPersistent = oldForce;
    await host.http.configure({ link: oldLink });
  }
}
