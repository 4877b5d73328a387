/**
 * Choking, pure (Kurose & Ross §2.5.1, BEP 3's "choking and optimistic unchoking"):
 * every 10 s a peer unchokes the four interested neighbours "feeding her bits at the
 * highest rate" (tit-for-tat; a seed, which receives nothing and has no one to reciprocate,
 * takes turns instead: the neighbours it has given least come first, so its upload spreads
 * over the swarm rather than going again and again to the same four), and
 * every 30 s it picks one more interested neighbour at random — the optimistic unchoke —
 * so newcomers get a first piece and better partners are found. A free-rider chokes all.
 * A leecher's regular slots that no feeder earns are not left empty while someone could
 * still turn out to feed it: they go, as spare slots, to interested neighbours that have
 * nothing it wants yet (newcomers) or that have unchoked it. A neighbour that has pieces it
 * wants and keeps it choked — a free-rider — never gets one.
 */
export interface ChokeCandidate {
  id: string;
  interested: boolean;
  /** bytes/s in the last window: received from them (leecher) or sent to them (seed) */
  rate: number;
  /** not fed us yet, but may still: it has nothing we want, or it has unchoked us */
  mayFeed?: boolean;
  /** bytes we have sent them so far (a seed's turns go to the least served first) */
  served?: number;
}

export interface ChokeInput {
  candidates: readonly ChokeCandidate[];
  slots: number;
  /** the current optimistic unchoke, if any */
  optimistic: string | null;
  /** true every third round (30 s): choose a new optimistic unchoke */
  rotate: boolean;
  random: () => number;
  freeRider?: boolean;
  /** a leecher reciprocates: only neighbours that fed it (rate > 0) win a regular slot;
   *  a seed, which is fed by nobody, fills its slots with whoever takes its data */
  reciprocate?: boolean;
  /** a seed takes turns: regular slots go to the neighbours served least so far, not the
   *  fastest takers (mainline BitTorrent's seed choking; BEP 16's super-seeding goes further) */
  turns?: boolean;
}

export interface ChokeDecision {
  /** the tit-for-tat slots, best first */
  regular: string[];
  /** a leecher's unearned regular slots, lent to neighbours that may still feed it */
  spare: string[];
  optimistic: string | null;
}

export function rechoke(input: ChokeInput): ChokeDecision {
  if (input.freeRider) return { regular: [], spare: [], optimistic: null };
  const interested = input.candidates.filter((c) => c.interested);
  // ties keep a random order so equal partners take turns
  const shuffled = shuffle(interested, input.random);
  const ranked = input.turns ? shuffled.sort((a, b) => (a.served ?? 0) - (b.served ?? 0)) : shuffled.sort((a, b) => b.rate - a.rate);
  const eligible = input.reciprocate ? ranked.filter((c) => c.rate > 0) : ranked;
  const regular = eligible.slice(0, input.slots).map((c) => c.id);
  const spare = input.reciprocate
    ? ranked
        .filter((c) => c.rate === 0 && c.mayFeed)
        .slice(0, input.slots - regular.length)
        .map((c) => c.id)
    : [];
  const others = ranked.filter((c) => !regular.includes(c.id) && !spare.includes(c.id)).map((c) => c.id);
  let optimistic = input.optimistic;
  if (input.rotate || optimistic === null || !others.includes(optimistic)) {
    const pool = input.rotate && optimistic !== null && others.length > 1 ? others.filter((id) => id !== optimistic) : others;
    optimistic = pool.length ? pool[Math.floor(input.random() * pool.length)] : null;
  }
  return { regular, spare, optimistic };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** A seeded generator (mulberry32): a swarm with the same seed makes the same choices. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
