/**
 * Whom a peer serves (Kurose & Ross §2.5.1): its upload slots over time. The decision of
 * each 10-second round is the pure choker (choker.ts); between rounds a slot that frees up —
 * a newcomer's interest, a neighbour that no longer wants anything — is given at once rather
 * than left idle until the next round, by a seed to anyone, by a leecher to a neighbour that
 * has fed it or may still. A seed has nothing to reciprocate: it takes turns, one chunk's
 * worth to each interested neighbour before anyone gets a second (as BEP 16's super-seeding
 * means to), so early on every leecher soon holds a chunk it can trade. It counts, for the
 * swarm's report, the rounds each neighbour won a tit-for-tat slot while this peer was
 * downloading.
 */
import { rechoke } from './choker';
import type { PeerConnection } from './connection';
import type { PeerConfig } from './peer-config';

export interface SlotOwner {
  readonly config: PeerConfig;
  readonly conns: ReadonlySet<PeerConnection>;
  readonly seeding: boolean;
  /** block bytes sent to each neighbour (by peer id hex) */
  readonly uploadedTo: ReadonlyMap<string, number>;
  /** drop the queued uploads to a neighbour just choked */
  dropUploads(c: PeerConnection): void;
}

export class UploadSlots {
  /** rechoke rounds (while downloading) in which each neighbour won a tit-for-tat slot */
  readonly regularSlots = new Map<string, number>();
  leechingRounds = 0;
  private optimistic: string | null = null;
  private round = 0;
  private lastRechoke = performance.now();
  /** a seed's turns: bytes sent to each neighbour since it was last unchoked */
  private turn = new WeakMap<PeerConnection, number>();

  constructor(private p: SlotOwner) {}

  private get slots(): number {
    return this.p.config.slots ?? 4;
  }

  isOptimistic(c: PeerConnection): boolean {
    return this.optimistic === c.key;
  }

  interested(c: PeerConnection): void {
    if (this.p.config.freeRider || !c.amChoking) return;
    if (this.mayHaveSlot(c) && this.unchokedCount() < this.slots) this.unchoke(c);
    else if (this.optimistic === null) {
      // an empty optimistic slot is filled at once (a newcomer needs its first chunks)
      this.optimistic = c.key;
      this.unchoke(c);
    }
  }

  notInterested(c: PeerConnection): void {
    if (c.amChoking || this.isOptimistic(c) || this.p.config.freeRider || this.unchokedCount() >= this.slots) return;
    for (const o of this.p.conns) {
      if (o.remoteId && o.peerInterested && o.amChoking && this.mayHaveSlot(o)) {
        this.unchoke(o);
        return;
      }
    }
  }

  /** Every 10 s (scaled): tit-for-tat; every third round a new optimistic unchoke. */
  rechokeRound(): void {
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.lastRechoke) / 1000);
    this.lastRechoke = now;
    for (const c of this.p.conns) {
      // a short memory (half the last estimate) smooths the lumps of 16 KiB blocks in a scaled-down window
      c.rateIn = (c.rateIn + c.windowIn / seconds) / 2;
      c.rateOut = (c.rateOut + c.windowOut / seconds) / 2;
      c.windowIn = 0;
      c.windowOut = 0;
    }
    const seeding = this.p.seeding;
    const ready = [...this.p.conns].filter((c) => c.remoteId);
    const decision = rechoke({
      candidates: ready.map((c) => ({ id: c.key, interested: c.peerInterested, rate: seeding ? c.rateOut : c.rateIn, mayFeed: mayFeed(c), served: this.served(c) })),
      slots: this.slots,
      optimistic: this.optimistic,
      rotate: this.round++ % 3 === 0,
      random: this.p.config.random,
      freeRider: this.p.config.freeRider,
      reciprocate: !seeding,
      turns: seeding,
    });
    this.optimistic = decision.optimistic;
    if (!seeding) {
      this.leechingRounds++;
      for (const c of ready) {
        if (c.remoteId && decision.regular.includes(c.key)) {
          const id = c.remoteId.toString('hex');
          this.regularSlots.set(id, (this.regularSlots.get(id) ?? 0) + 1);
        }
      }
    }
    const open = new Set([...decision.regular, ...decision.spare, ...(decision.optimistic ? [decision.optimistic] : [])]);
    for (const c of ready) {
      if (open.has(c.key) && c.amChoking) this.unchoke(c);
      else if (!open.has(c.key) && !c.amChoking) {
        c.send({ type: 'choke' });
        this.p.dropUploads(c);
      }
    }
  }

  /** A block went to `c`. A seed whose neighbour has had a chunk's worth this turn hands the
   *  slot to the interested neighbour it has served least, if one waits. */
  sent(c: PeerConnection, bytes: number): void {
    if (!this.p.seeding || this.p.config.freeRider) return;
    const turn = (this.turn.get(c) ?? 0) + bytes;
    this.turn.set(c, turn);
    if (turn < this.p.config.meta.pieceLength) return;
    let next: PeerConnection | null = null;
    let least = Infinity;
    let ties = 0;
    for (const o of this.p.conns) {
      if (!o.remoteId || !o.peerInterested || !o.amChoking || o.closed) continue;
      const served = this.served(o);
      if (served < least) [next, least, ties] = [o, served, 1];
      // ties at random, so equals take turns in no fixed order
      else if (served === least && this.p.config.random() * ++ties < 1) next = o;
    }
    // nobody waits, or only neighbours served more than `c` even after this turn: `c` starts another
    if (!next || least > this.served(c)) {
      this.turn.set(c, 0);
      return;
    }
    c.send({ type: 'choke' });
    this.p.dropUploads(c);
    if (this.optimistic === c.key) this.optimistic = next.key;
    this.unchoke(next);
  }

  private unchoke(c: PeerConnection): void {
    this.turn.set(c, 0);
    c.send({ type: 'unchoke' });
  }

  /** block bytes sent to `c` so far */
  served(c: PeerConnection): number {
    return this.p.uploadedTo.get(c.remoteHex) ?? 0;
  }

  /** unchoked neighbours that still want data: one that lost interest holds no slot */
  private unchokedCount(): number {
    let n = 0;
    for (const c of this.p.conns) if (!c.amChoking && c.peerInterested) n++;
    return n;
  }

  /** a seed serves anyone; a leecher a neighbour that fed it or may still (choker.ts) */
  private mayHaveSlot(c: PeerConnection): boolean {
    return this.p.seeding || c.totalIn > 0 || mayFeed(c);
  }
}

/** not fed us yet, but may still: it has nothing we want, or it has unchoked us */
function mayFeed(c: PeerConnection): boolean {
  return !c.amInterested || !c.peerChoking;
}
