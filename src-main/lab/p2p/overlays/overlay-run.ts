/**
 * Running a search-overlays scenario: the three overlays built on the same peers, files and
 * topology (overlay-net.ts), then each query asked of each overlay in turn — one at a time, so
 * the messages it cost are counted exactly — and the first hit fetched over HTTP. The same run
 * backs `netlab overlay FILE.yaml`, the Overlays view and the terminal's `overlay query`.
 */
import http from 'node:http';
import type { LinkProfile } from '../../api';
import type { CaptureStore } from '../../capture/store';
import { OverlayNet } from './overlay-net';
import type { OverlayScenario } from './overlay-scenario';
import { edgeCount, floodFormula } from './overlay-topology';
import type { OverlayHit, OverlayKind, OverlayQuery, OverlayResult, OverlayTotals } from './overlay-types';
import { english, msg, type LabText } from '../../lab-text';

export interface OverlayRunHooks {
  port?: number;
  indexPort?: number;
  store?: CaptureStore | null;
  /** the service's link profile, on every Gnutella link */
  link?: () => LinkProfile;
  /** the net as soon as it is up: given it, the caller keeps it (and closes it) */
  net?(net: OverlayNet): void;
  /** the English line (the CLI prints it) and its catalogue message (the view shows it in the UI's language) */
  status?(text: string, said?: LabText): void;
  query?(q: OverlayQuery): void;
}

/** an HTTP GET of the hit from the asker's own address; the bytes received */
export function download(h: OverlayHit, localAddress?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: h.ip, port: h.port, path: `/get/${h.index}/${encodeURIComponent(h.name)}`, localAddress, agent: false }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

/** ask one overlay for a file, from peer `from`: its hits and what it cost */
export async function askOverlay(net: OverlayNet, kind: OverlayKind, from: number, words: string, fetch = false, loads?: Map<string, number>): Promise<OverlayQuery> {
  if (!net.scenario.overlays.includes(kind)) throw new Error(`this scenario does not build ${kind} (overlays: ${net.scenario.overlays.join(', ')})`);
  await net.quiet();
  net.resetCounts();
  const ttl = net.scenario.ttl;
  const asker = net.peers[from];
  const t0 = performance.now();
  let hits: OverlayHit[] = [];
  let formula: number | undefined;
  let reached: number | undefined;
  if (kind === 'napster') {
    hits = await asker.searchIndex(asker.napsterLink!, 'index', words, 1);
  } else if (kind === 'gnutella') {
    const ask = asker.router.originate(words, false, ttl);
    await net.quiet();
    hits = ask.hits;
    ({ messages: formula, reached } = floodFormula(net.graph, from, ttl));
  } else {
    const sn = net.parent[from];
    const f = floodFormula(net.superGraph, net.superIds.indexOf(sn), ttl);
    reached = f.reached;
    if (sn === from) {
      const local = asker.childIndex.search(words).map((e) => ({ ...e, hops: 0 }));
      const ask = asker.router.originate(words, true, ttl);
      await net.quiet();
      hits = [...local, ...ask.hits];
      formula = f.messages;
    } else {
      const lines = await asker.searchIndex(asker.superNodeLink!, `p${sn}`, words, 1);
      const remote = new Map(net.peers[sn].lastRemote.map((h) => [`${h.ip}:${h.port}/${h.index}`, h.hops]));
      hits = lines.map((h) => ({ ...h, hops: 1 + (remote.get(`${h.ip}:${h.port}/${h.index}`) ?? 0) }));
      formula = 1 + f.messages;
    }
  }
  await net.quiet();
  const ms = performance.now() - t0;
  let busiest = { node: '', load: 0 };
  for (const [node, load] of net.load) {
    if (load > busiest.load) busiest = { node, load };
    loads?.set(node, (loads.get(node) ?? 0) + load);
  }
  const q: OverlayQuery = {
    overlay: kind,
    file: words,
    from: asker.name,
    found: hits.length > 0,
    hits,
    messages: net.counts.query + net.counts.answer,
    queryMessages: net.counts.query,
    answerMessages: net.counts.answer,
    hops: hits.length ? Math.min(...hits.map((h) => h.hops)) : 0,
    busiest,
    ...(formula !== undefined ? { formula, reached } : {}),
    ms: Math.round(ms * 100) / 100,
  };
  if (fetch && hits.length) {
    const first = [...hits].sort((a, b) => a.hops - b.hops)[0];
    q.downloaded = await download(first, net.loopback === 'distinct' ? asker.address : undefined).catch(() => -1);
  }
  return q;
}

/** per overlay; `loads`: each node's messages over all of that overlay's queries */
export function overlayTotals(queries: readonly OverlayQuery[], loads: ReadonlyMap<OverlayKind, ReadonlyMap<string, number>>): OverlayTotals[] {
  const kinds = [...new Set(queries.map((q) => q.overlay))];
  const round = (x: number): number => Math.round(x * 100) / 100;
  return kinds.map((overlay) => {
    const qs = queries.filter((q) => q.overlay === overlay);
    const found = qs.filter((q) => q.found);
    let top = { node: '', load: 0 };
    for (const [node, load] of loads.get(overlay) ?? []) if (load > top.load) top = { node, load };
    return {
      overlay,
      queries: qs.length,
      found: found.length,
      meanMessages: qs.length ? round(qs.reduce((n, q) => n + q.messages, 0) / qs.length) : 0,
      meanHops: found.length ? round(found.reduce((n, q) => n + q.hops, 0) / found.length) : 0,
      busiestLoad: top.load,
      busiestNode: top.node,
    };
  });
}

export function describeNet(net: OverlayNet): Omit<OverlayResult, 'queries' | 'totals'> {
  const s = net.scenario;
  return {
    name: s.name,
    ttl: s.ttl,
    peers: net.peers.map((p, i) => ({ name: p.name, address: p.address, port: p.port, files: p.files.length, superNode: p.superNode, neighbours: net.graph[i].map((j) => `p${j}`), parent: `p${net.parent[i]}` })),
    edges: edgeCount(net.graph),
    superEdges: edgeCount(net.superGraph),
    index: { address: net.index.address, port: net.index.port },
  };
}

/** a status line: its English and its message */
function status(hooks: OverlayRunHooks, said: LabText): void {
  hooks.status?.(english(said), said);
}

export async function runOverlayScenario(s: OverlayScenario, hooks: OverlayRunHooks = {}): Promise<OverlayResult> {
  status(hooks, msg('p2pLab.overlays.starting', { n: s.peers }));
  const net = await OverlayNet.build(s, { port: hooks.port ?? 0, indexPort: hooks.indexPort ?? 0, store: hooks.store, link: hooks.link });
  hooks.net?.(net);
  try {
    const queries: OverlayQuery[] = [];
    const loads = new Map<OverlayKind, Map<string, number>>();
    const asks = s.queries.map((q) => (typeof q === 'string' ? { file: q, from: 0 } : q));
    for (const kind of s.overlays as OverlayKind[]) {
      status(hooks, msg('p2pLab.overlays.asking', { kind }));
      loads.set(kind, new Map());
      for (const a of asks) {
        const q = await askOverlay(net, kind, a.from, a.file, s.download, loads.get(kind));
        queries.push(q);
        hooks.query?.(q);
      }
    }
    status(hooks, msg('p2pLab.overlays.done', { n: queries.length, overlays: s.overlays.join(', ') }));
    return { ...describeNet(net), queries, totals: overlayTotals(queries, loads) };
  } finally {
    if (!hooks.net) net.close();
  }
}
