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

/**
 * The finger table packed for routing: the starts and the nodes' ids in two arrays side by side
 * (a cache line or three), where walking the table object by object touched two scattered
 * objects per finger, and a ring of 1,000 peers has 24,000 of them.
 */
export interface PackedFingers {
  starts: Float64Array;
  ids: Float64Array;
  nodes: readonly PeerRef[];
}

/** k in the closed arc [a, b] (just b when a == b): finger (start a, node b) holds k */
const holds = (k: number, a: number, b: number): boolean => k === a || (a !== b && inArc(k, a, b));

/**
 * Packed, the fingers that can change a route: a finger naming the same peer as one before it,
 * whose keys [start, node] lie within that one's, is left out — the walk would meet the earlier
 * one first for each of those keys, and as the farthest peer before a key it is the same peer.
 * On a ring much sparser than 2^n (1,000 peers on 24 bits) the first dozen fingers all name the
 * successor: the walk goes over half as many.
 */
export function packFingers(fingers: readonly Finger[]): PackedFingers {
  const kept: Finger[] = [];
  for (const f of fingers) {
    if (!kept.some((k) => k.node.id === f.node.id && holds(f.start, k.start, k.node.id))) kept.push(f);
  }
  return { starts: Float64Array.from(kept, (f) => f.start), ids: Float64Array.from(kept, (f) => f.node.id), nodes: kept.map((f) => f.node) };
}

export function nextHop(key: number, self: number, succ: PeerRef, fingers: readonly Finger[] | null): PeerRef {
  return nextHopPacked(key, self, succ, fingers ? packFingers(fingers) : null);
}

export function nextHopPacked(key: number, self: number, succ: PeerRef, fingers: PackedFingers | null): PeerRef {
  if (!fingers || fingers.nodes.length === 0 || inArc(key, self, succ.id)) return succ;
  const { starts, ids } = fingers;
  let best = -1;
  for (let i = 0; i < ids.length; i++) {
    const start = starts[i];
    const node = ids[i];
    // node is the successor of start: a key in [start, node] is its
    if (node !== self && holds(key, start, node)) return fingers.nodes[i];
    if (strictlyBetween(node, self, key) && (best < 0 || strictlyBetween(ids[best], self, node))) best = i;
  }
  return best < 0 ? succ : fingers.nodes[best];
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
