/**
 * What a ring's peers share wherever they run (the lab's thread or a worker thread,
 * dht-threads.ts): the stable layout each peer is told at the start, a lookup's answer as the
 * run reports it, and many lookups with a window of them in flight.
 */
import type { PeerRef } from './dht-codec';
import type { DhtEndpoint } from './dht-endpoint';
import type { DhtLookup } from './dht-types';
import type { RequestKind } from './requests';
import { fingerTable } from './routing';

/** Peer i of the sorted ids told its predecessor, two successors and fingers, as the ring is when stable. */
export function layOutPeer(e: DhtEndpoint, i: number, ids: readonly number[], refs: ReadonlyMap<number, PeerRef>, shortcuts: boolean, bits: number): void {
  const p = e.peer;
  const at = (k: number): PeerRef => refs.get(ids[(i + k + ids.length) % ids.length])!;
  p.pred = at(-1);
  p.succ = ids.length === 1 ? [at(0)] : ids.length === 2 ? [at(1)] : [at(1), at(2)];
  if (shortcuts) p.fingers = fingerTable(ids[i], bits, refs, ids);
  // a ring of one: the peer is its own predecessor and holds every key
  if (ids.length === 1) p.pred = null;
}

/** A query asked at a peer of this thread, as the run reports it (the path: as far as it was traced). */
export async function lookupAt(origin: DhtEndpoint, kind: RequestKind, key: number, value: string | undefined, retries: number, trace?: (qid: string) => number[] | undefined): Promise<DhtLookup> {
  const a = await origin.peer.request(kind, key, value, retries);
  const path = (a.qid ? trace?.(a.qid) : undefined) ?? [origin.self.id];
  const l: DhtLookup = { key, from: origin.self.id, responsible: a.peer?.id ?? null, hops: a.hops, messages: a.messages, ms: Math.round(a.ms * 1000) / 1000, path, ok: a.ok };
  if (a.value !== undefined) l.value = a.value;
  return l;
}

/**
 * n jobs, `window` of them in flight at a time, results in the jobs' order; the first failure
 * fails the lot. Each job's end starts the next from its own callback (no loop of awaits: one
 * promise per job, where a thread asks thousands a second).
 */
export function windowed<T>(n: number, window: number, job: (i: number) => Promise<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const out: T[] = new Array(n);
    let next = 0;
    let done = 0;
    let failed = false;
    const fail = (err: unknown): void => {
      failed = true;
      reject(err);
    };
    const start = (): void => {
      const i = next++;
      let p: Promise<T>;
      try {
        p = job(i);
      } catch (err) {
        return fail(err);
      }
      p.then((v) => {
        out[i] = v;
        if (++done === n) resolve(out);
        else if (next < n && !failed) start();
      }, fail);
    };
    if (n === 0) return resolve(out);
    for (let k = Math.min(Math.max(1, window), n); k > 0; k--) start();
  });
}
