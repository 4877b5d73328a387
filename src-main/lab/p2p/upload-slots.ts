/**
 * Whom a peer serves (Kurose & Ross §2.5.1): its upload slots over time. The decision of
 * each 10-second round is the pure choker (choker.ts); between rounds a slot that frees up —
 * a newcomer's interest, a neighbour that no longer wants anything — is given at once rather
 * than left idle until the next round, by a seed to anyone, by a leecher to a neighbour that
 * has fed it or may still. It counts, for the swarm's report, the rounds each neighbour won
 * a tit-for-tat slot while this peer was downloading.
 */
import { rechoke } from './choker';
import type { PeerConnection } from './connection';
import type { PeerConfig } from './peer-config';

export interface SlotOwner {
  readonly config: PeerConfig;
  readonly conns: ReadonlySet<PeerConnection>;
  readonly seeding: boolean;
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

  constructor(private p: SlotOwner) {}

  private get slots(): number {
    return this.p.config.slots ?? 4;
  }

  isOptimistic(c: PeerConnection): boolean {
    return this.optimistic === c.key;
  }

  interested(c: PeerConnection): void {
    if (this.p.config.freeRider || !c.amChoking) return;
    if (this.mayHaveSlot(c) && this.unchokedCount() < this.slots) c.send({ type: 'unchoke' });
    else if (this.optimistic === null) {
      // an empty optimistic slot is filled at once (a newcomer needs its first chunks)
      this.optimistic = c.key;
      c.send({ type: 'unchoke' });
    }
  }

  notInterested(c: PeerConnection): void {
    if (c.amChoking || this.isOptimistic(c) || this.p.config.freeRider || this.unchokedCount() >= this.slots) return;
    for (const o of this.p.conns) {
      if (o.remoteId && o.peerInterested && o.amChoking && this.mayHaveSlot(o)) {
        o.send({ type: 'unchoke' });
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
      candidates: ready.map((c) => ({ id: c.key, interested: c.peerInterested, rate: seeding ? c.rateOut : c.rateIn, mayFeed: mayFeed(c) })),
      slots: this.slots,
      optimistic: this.optimistic,
      rotate: this.round++ % 3 === 0,
      random: this.p.config.random,
      freeRider: this.p.config.freeRider,
      reciprocate: !seeding,
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
      if (open.has(c.key) && c.amChoking) c.send({ type: 'unchoke' });
      else if (!open.has(c.key) && !c.amChoking) {
        c.send({ type: 'choke' });
        this.p.dropUploads(c);
      }
    }
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
