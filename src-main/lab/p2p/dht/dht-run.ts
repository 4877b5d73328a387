/**
 * Running a DHT scenario: the ring laid out, the keys stored through the protocol, the churn
 * schedule played (peers leave abruptly, join through the protocol), time for the pings to
 * notice, then the lookups — each with its hops, messages and time — and a GET of every stored
 * key to count what was lost. The same run backs `netlab dht FILE.yaml` and the DHT view.
 */
import type { LinkProfile } from '../../api';
import type { CaptureStore } from '../../capture/store';
import { seededRandom } from '../choker';
import { windowed } from './dht-layout';
import { DhtRing } from './dht-ring';
import type { DhtScenario } from './dht-scenario';
import type { DhtLookup, DhtResult, DhtTotals } from './dht-types';
import { hashKey, keyOf, ringSize } from './ring-math';
import { english, msg, type LabText } from '../../lab-text';

export interface RunHooks {
  port?: number;
  store?: CaptureStore | null;
  /** the service's link profile, applied on every hop */
  link?: () => LinkProfile;
  /** worker threads a big headless run may spread its peers over (1: none) */
  threads?: number;
  /** the ring as soon as it is up (the view draws it), and each step's news */
  ring?(ring: DhtRing): void;
  /** the English line (the CLI prints it) and its catalogue message (the view shows it in the UI's language) */
  status?(text: string, said?: LabText): void;
  lookup?(l: DhtLookup): void;
}

export function scenarioPeerIds(s: DhtScenario): number[] {
  if (Array.isArray(s.peers)) return s.peers;
  const ids = new Set<number>();
  for (let i = 0; ids.size < s.peers.count; i++) ids.add(hashKey(`peer-${s.peers.seed}-${i}`, s.bits));
  return [...ids];
}

/** a status line: its English and its message */
function status(hooks: RunHooks, said: LabText): void {
  hooks.status?.(english(said), said);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function totals(lookups: readonly DhtLookup[]): DhtTotals {
  const ok = lookups.filter((l) => l.ok);
  const ms = ok.map((l) => l.ms).sort((a, b) => a - b);
  const messages = ok.reduce((n, l) => n + l.messages, 0);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    lookups: lookups.length,
    failed: lookups.length - ok.length,
    messages,
    meanHops: ok.length ? round(ok.reduce((n, l) => n + l.hops, 0) / ok.length) : 0,
    meanMessages: ok.length ? round(messages / ok.length) : 0,
    medianMs: ms.length ? round(ms[Math.floor(ms.length / 2)]) : 0,
  };
}

/** lookups many at a time (a window), so 10,000 take a second, not a minute */
export async function askMany(ring: DhtRing, asks: readonly { key: number; from?: number }[], window = 64, each?: (l: DhtLookup) => void): Promise<DhtLookup[]> {
  const spread = ring.askSpread(asks, window);
  if (spread) {
    const out = await spread;
    if (each) out.forEach(each);
    return out;
  }
  return windowed(asks.length, window, (i) => {
    const a = asks[i];
    const asked = ring.ask('LOOKUP', a.key, a.from !== undefined && ring.has(a.from) ? a.from : undefined);
    return each ? asked.then((l) => (each(l), l)) : asked;
  });
}

export async function runDhtScenario(s: DhtScenario, hooks: RunHooks = {}): Promise<DhtResult> {
  const random = seededRandom(s.seed);
  const ids0 = scenarioPeerIds(s);
  // threads only where nothing watches the peers one by one: no capture, no link, no view, and
  // more lookups than the ring traces hop by hop (a worker's peers are not traced)
  const threads = !hooks.store && !hooks.link && !hooks.ring && ids0.length >= 200 && s.randomLookups > 1000 ? (hooks.threads ?? 1) : 1;
  const ring = await DhtRing.create(ids0, { threads, bits: s.bits, shortcuts: s.shortcuts, replication: s.replication, pingMs: s.pingInterval, misses: s.misses, port: hooks.port ?? 0, store: hooks.store, link: hooks.link });
  hooks.ring?.(ring);
  const churn: DhtResult['churn'] = [];
  try {
    status(hooks, msg('p2pLab.dht.storing', { n: s.keys.length }));
    const stored = new Map<number, string>();
    for (const k of s.keys) {
      const text = typeof k === 'object' ? String(k.key) : String(k);
      const key = keyOf(text, s.bits) as number;
      const value = typeof k === 'object' ? k.value : `value-of-${text}`;
      const a = await ring.ask('PUT', key, undefined, value);
      if (a.ok) stored.set(key, value);
    }
    const t0 = Date.now();
    for (const e of [...s.churn].sort((a, b) => a.at - b.at)) {
      await sleep(Math.max(0, e.at - (Date.now() - t0)));
      const at = Date.now() - t0;
      try {
        if (e.leave !== undefined) ring.leave(e.leave);
        else await ring.join(e.join);
        const said = e.leave !== undefined ? msg('p2pLab.dht.peerLeft', { id: e.leave }) : msg('p2pLab.dht.peerJoined', { id: e.join as number });
        churn.push({ at, event: english(said) });
        status(hooks, said);
      } catch (err) {
        churn.push({ at, event: (err as Error).message });
        hooks.status?.((err as Error).message);
      }
    }
    // the pings notice a departure after `misses` rounds, a few more let the repairs spread, and
    // with shortcuts each finger is looked up again (one per round)
    if (s.churn.length) await sleep(s.pingInterval * (s.misses + 4 + (s.shortcuts ? s.bits + 2 : 0)));
    status(hooks, msg('p2pLab.dht.lookingUp'));
    const ids = ring.sortedIds();
    const asks = s.lookups.map((l) => {
      const o = typeof l === 'object' ? l : { key: l };
      return { key: keyOf(String(o.key), s.bits) as number, from: o.from };
    });
    for (let i = 0; i < s.randomLookups; i++) asks.push({ key: Math.floor(random() * ringSize(s.bits)), from: ids[Math.floor(random() * ids.length)] });
    ring.tracing = s.randomLookups <= 1000;
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const lookups = await askMany(ring, asks, s.lookupWindow);
    const seconds = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // the view lists them in the scenario's order (they were asked many at a time)
    for (const l of lookups.slice(0, 100)) hooks.lookup?.(l);
    const lost: number[] = [];
    for (const [key, value] of stored) {
      const got = await ring.ask('GET', key, undefined, undefined, 5);
      if (got.value !== value) lost.push(key);
    }
    status(hooks, msg('p2pLab.dht.done', { lookups: lookups.length, lost: lost.length }));
    return {
      name: s.name,
      bits: s.bits,
      shortcuts: s.shortcuts,
      replication: s.replication,
      peers: ring.sortedIds(),
      lookups,
      totals: { ...totals(lookups), seconds: Math.round(seconds * 1000) / 1000, cpuMs: Math.round((cpu.user + cpu.system) / 1000), threads: ring.threadCount },
      textbook: ring.textbook(),
      keysStored: stored.size,
      keysLost: lost,
      churn,
    };
  } finally {
    if (!hooks.ring) ring.close();
  }
}
