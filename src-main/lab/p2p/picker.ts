/**
 * Piece selection, pure. Which piece to ask a given neighbour for next:
 *  - rarest first (Kurose & Ross §2.5.1): among pieces the neighbour has and we lack, the
 *    one fewest neighbours have, ties broken at random so peers spread out;
 *  - random, or in order (a streaming player's choice), for comparison;
 *  - endgame: when every missing piece the neighbour has is already being fetched from
 *    someone else, fetch one of those too, so a slow neighbour cannot hold up the end.
 */
export type PickStrategy = 'rarest-first' | 'random' | 'in-order';

export interface PickInput {
  strategy: PickStrategy;
  /** pieces we have, verified */
  have: readonly boolean[];
  /** pieces the neighbour has */
  neighbour: readonly boolean[];
  /** how many of our neighbours have each piece */
  availability: readonly number[];
  /** pieces being fetched now (from anyone) */
  inFlight: ReadonlySet<number>;
  /** in-flight pieces already asked of enough neighbours: not duplicated again in endgame */
  crowded?: ReadonlySet<number>;
  /** pieces this neighbour is already sending us (never picked twice for it) */
  fromThisNeighbour?: ReadonlySet<number>;
  random: () => number;
}

export interface Pick {
  piece: number;
  endgame: boolean;
}

export function pickPiece(p: PickInput): Pick | null {
  const wanted: number[] = [];
  const endgame: number[] = [];
  for (let i = 0; i < p.have.length; i++) {
    if (p.have[i] || !p.neighbour[i]) continue;
    if (p.fromThisNeighbour?.has(i)) continue;
    if (p.inFlight.has(i)) {
      if (!p.crowded?.has(i)) endgame.push(i);
    }
    else wanted.push(i);
  }
  const chosen = choose(wanted, p);
  if (chosen !== null) return { piece: chosen, endgame: false };
  // endgame only once nothing new remains anywhere: every missing piece is in flight
  const missingNotInFlight = p.have.some((h, i) => !h && !p.inFlight.has(i));
  if (missingNotInFlight || endgame.length === 0) return null;
  const e = choose(endgame, p);
  return e === null ? null : { piece: e, endgame: true };
}

function choose(candidates: number[], p: PickInput): number | null {
  if (candidates.length === 0) return null;
  if (p.strategy === 'in-order') return candidates[0];
  if (p.strategy === 'random') return candidates[Math.floor(p.random() * candidates.length)];
  let min = Infinity;
  let rarest: number[] = [];
  for (const i of candidates) {
    const a = p.availability[i] ?? 0;
    if (a < min) {
      min = a;
      rarest = [i];
    } else if (a === min) rarest.push(i);
  }
  return rarest[Math.floor(p.random() * rarest.length)];
}
