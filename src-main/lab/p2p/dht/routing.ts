/**
 * Where a peer sends a query it is not responsible for (K&R §2.5.2). Successors only: the
 * next peer clockwise, N/2 messages on average. With shortcuts (Chord's finger table,
 * finger i = successor(id + 2^i)): straight to a finger known to hold the key, else to the
 * farthest finger that does not pass it, halving the distance each time — O(log N).
 */
import type { PeerRef } from './dht-codec';
import { inArc, ringSize, strictlyBetween, successorOf } from './ring-math';

export interface Finger {
  /** id + 2^i on the ring */
  start: number;
  node: PeerRef;
}

/** A peer is responsible for the keys in (predecessor, itself]. */
export function isResponsible(key: number, self: number, pred: number | null): boolean {
  return pred === null || inArc(key, pred, self);
}

export function nextHop(key: number, self: number, succ: PeerRef, fingers: readonly Finger[] | null): PeerRef {
  if (!fingers || fingers.length === 0 || inArc(key, self, succ.id)) return succ;
  let best: PeerRef | null = null;
  for (const f of fingers) {
    // f.node is the successor of f.start: a key in [start, node] is its
    if (f.node.id !== self && (key === f.start || (f.start !== f.node.id && inArc(key, f.start, f.node.id)))) return f.node;
    if (strictlyBetween(f.node.id, self, key) && (!best || strictlyBetween(best.id, self, f.node.id))) best = f.node;
  }
  return best ?? succ;
}

/** The finger table as it is when the ring is stable (what Chord's fix_fingers converges to). */
export function fingerTable(self: number, bits: number, peers: ReadonlyMap<number, PeerRef>, sortedIds: readonly number[]): Finger[] {
  const out: Finger[] = [];
  for (let i = 0; i < bits; i++) {
    const start = (self + 2 ** i) % ringSize(bits);
    out.push({ start, node: peers.get(successorOf(start, sortedIds))! });
  }
  return out;
}
