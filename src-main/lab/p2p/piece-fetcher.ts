/**
 * A peer's downloading bookkeeping: which pieces are being fetched from whom, the blocks of
 * each that arrived, how many neighbours have each piece, and the request pipeline of every
 * unchoked connection. Piece choice itself is the pure picker (picker.ts); a complete piece
 * goes to `verified` or `failed` after its SHA-1 check.
 */
import { blockKey, type PeerConnection } from './connection';
import { pickPiece, type PickStrategy } from './picker';
import { pieceSize, sha1, type TorrentMeta } from './torrent';
import { BLOCK_SIZE, type WireMessage } from './wire';

/** at most this many requests outstanding per unchoked connection (12 × 16 KiB) */
export const PIPELINE = 12;
const MIN_PIPELINE = 4;
/** endgame: neighbours asked for the same piece at once (the first asked and one more) */
const ENDGAME_SENDERS = 2;

interface ActivePiece {
  received: Uint8Array;
  missing: number;
  owners: Set<PeerConnection>;
  senders: Set<PeerConnection>;
}

export interface FetcherOwner {
  meta: TorrentMeta;
  strategy: PickStrategy;
  random: () => number;
  data: Buffer;
  have: boolean[];
  verified(index: number): void;
  failed(index: number, senders: PeerConnection[]): void;
}

export class PieceFetcher {
  readonly availability: number[];
  private active = new Map<number, ActivePiece>();

  constructor(private o: FetcherOwner) {
    this.availability = new Array<number>(o.meta.pieceHashes.length).fill(0);
  }

  /** Keep up to PIPELINE requests outstanding on an unchoked connection. */
  fill(c: PeerConnection): void {
    if (c.closed || c.peerChoking || !c.amInterested) return;
    // about half a second of what this neighbour has been sending, so requests do not sit
    // for seconds in a slow uploader's queue (and a fast one is never starved)
    const depth = Math.min(PIPELINE, Math.max(MIN_PIPELINE, Math.ceil((c.rateIn * 0.5) / BLOCK_SIZE) + 2));
    while (c.requests.size < depth) {
      if (c.queue.length === 0 && !this.assign(c)) return;
      const b = c.queue.shift()!;
      const piece = this.active.get(b.index);
      if (!piece || piece.received[b.begin / BLOCK_SIZE]) continue;
      c.requests.set(blockKey(b), b);
      c.send({ type: 'request', ...b });
    }
  }

  private assign(c: PeerConnection): boolean {
    const inFlight = new Set<number>();
    const crowded = new Set<number>();
    for (const [i, p] of this.active) {
      if (p.owners.size === 0) continue;
      inFlight.add(i);
      // endgame asks a piece of at most ENDGAME_SENDERS neighbours at once, counting the owners
      // `c` would not take over (as fast as it or faster): when the rest of the swarm is done and
      // dozens of idle neighbours each ask for the same few blocks, the copies fill our download
      // link and the blocks we lack queue behind them
      let keep = 0;
      for (const o of p.owners) if (o.rateIn >= c.rateIn) keep++;
      if (keep >= ENDGAME_SENDERS) crowded.add(i);
    }
    const pick = pickPiece({
      strategy: this.o.strategy,
      have: this.o.have,
      neighbour: c.has,
      availability: this.availability,
      inFlight,
      crowded,
      fromThisNeighbour: c.pieces,
      random: this.o.random,
    });
    // endgame duplicates a piece another neighbour is sending: only for a neighbour that would
    // otherwise sit idle, not to top up a pipeline that still holds its own requests (in a file
    // of few pieces endgame starts early, and every duplicate block is upload capacity lost)
    if (!pick || (pick.endgame && c.requests.size > 0)) return false;
    const size = pieceSize(this.o.meta, pick.piece);
    let p = this.active.get(pick.piece);
    if (!p) {
      const blocks = Math.ceil(size / BLOCK_SIZE);
      p = { received: new Uint8Array(blocks), missing: blocks, owners: new Set(), senders: new Set() };
      this.active.set(pick.piece, p);
    }
    if (pick.endgame) this.takeOver(c, pick.piece, p);
    p.owners.add(c);
    c.pieces.add(pick.piece);
    for (let begin = 0; begin < size; begin += BLOCK_SIZE) {
      if (!p.received[begin / BLOCK_SIZE]) c.queue.push({ index: pick.piece, begin, length: Math.min(BLOCK_SIZE, size - begin) });
    }
    return true;
  }

  /**
   * Endgame without duplicated bytes where it can: a neighbour that would sit idle takes over the
   * piece's requests from owners that have been sending slower than it (each is cancelled there,
   * so its upload link never carries the block), rather than asking for the same blocks twice.
   * The slower owner keeps the piece marked as its own, so it is not asked for it again.
   */
  private takeOver(c: PeerConnection, index: number, p: ActivePiece): void {
    for (const o of p.owners) {
      if (o.rateIn >= c.rateIn) continue;
      for (const [k, r] of o.requests) {
        if (r.index !== index) continue;
        o.requests.delete(k);
        o.send({ type: 'cancel', ...r });
      }
      o.queue = o.queue.filter((b) => b.index !== index);
      p.owners.delete(o);
    }
  }

  /** The neighbour choked us or left: its pieces go back to the pool, received blocks kept. */
  release(c: PeerConnection): void {
    for (const i of c.pieces) this.active.get(i)?.owners.delete(c);
    c.pieces.clear();
    c.requests.clear();
    c.queue = [];
  }

  received(c: PeerConnection, m: Extract<WireMessage, { type: 'piece' }>): void {
    const key = blockKey(m);
    const asked = c.requests.get(key);
    if (!asked || asked.length !== m.block.length) return; // not asked for (or cancelled): ignored
    c.requests.delete(key);
    c.windowIn += m.block.length;
    c.totalIn += m.block.length;
    const p = this.active.get(m.index);
    const blockIndex = m.begin / BLOCK_SIZE;
    if (p && !p.received[blockIndex]) {
      m.block.copy(this.o.data, m.index * this.o.meta.pieceLength + m.begin);
      p.received[blockIndex] = 1;
      p.missing--;
      p.senders.add(c);
      // BEP 3's endgame: a block that arrives is cancelled at everyone else it was asked of, so
      // their upload links never carry it and our download link is not filled with copies
      if (p.owners.size > 1) this.cancelElsewhere(c, key, p);
      if (p.missing === 0) this.verify(m.index, p);
    }
    if (!c.closed) this.fill(c);
  }

  private cancelElsewhere(from: PeerConnection, key: number, p: ActivePiece): void {
    for (const o of p.owners) {
      const r = o === from ? undefined : o.requests.get(key);
      if (!r) continue;
      o.requests.delete(key);
      o.send({ type: 'cancel', ...r });
    }
  }

  private verify(index: number, p: ActivePiece): void {
    const start = index * this.o.meta.pieceLength;
    const bytes = this.o.data.subarray(start, start + pieceSize(this.o.meta, index));
    this.active.delete(index);
    for (const c of p.owners) {
      c.pieces.delete(index);
      for (const [k, r] of c.requests) {
        if (r.index === index) {
          c.requests.delete(k);
          c.send({ type: 'cancel', ...r }); // endgame: the others need not send it now
        }
      }
      c.queue = c.queue.filter((b) => b.index !== index);
    }
    if (!sha1(bytes).equals(this.o.meta.pieceHashes[index])) {
      this.o.failed(index, [...p.senders]);
      for (const c of p.owners) this.fill(c);
      return;
    }
    this.o.verified(index);
  }
}
