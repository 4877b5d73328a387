/**
 * One direction of a TCP connection put back in order from captured segments, as the
 * receiving socket would have read it (Kurose & Ross §3.5.2, RFC 9293 §3.10.7.4): bytes are
 * delivered at the next expected sequence number; a retransmission's bytes already
 * delivered are dropped; a segment ahead of a gap waits until the gap fills; SYN and FIN
 * each take one sequence number. A gap that never fills (a segment the capture missed) is
 * skipped when too much waits behind it, or at the end of the file, and reported.
 */

/** bytes waiting behind a gap before the gap is given up on */
const MAX_WAITING = 4 * 1024 * 1024;

/** a - b in 32-bit sequence space (RFC 9293 §3.4: comparisons modulo 2^32) */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export interface StreamSink {
  data(bytes: Buffer): void;
  /** the FIN, once every byte before it has been delivered */
  fin(): void;
  /** bytes the capture never saw: the stream goes on after them */
  gap(missing: number): void;
}

export class TcpDirection {
  /** the next sequence number expected (undefined until the SYN or the first segment) */
  private next: number | undefined;
  private waiting: { seq: number; bytes: Buffer }[] = [];
  private waitingBytes = 0;
  private finAt: number | undefined;
  finished = false;

  constructor(private readonly sink: StreamSink) {}

  segment(seq: number, syn: boolean, fin: boolean, payload: Buffer): void {
    if (syn) {
      this.next ??= (seq + 1) >>> 0;
      seq = (seq + 1) >>> 0;
    }
    this.next ??= seq;
    if (fin) this.finAt ??= (seq + payload.length) >>> 0;
    if (payload.length > 0) this.accept(seq, payload);
    this.drain();
  }

  /** The end of the file: what waits behind a gap is delivered after it. */
  end(): void {
    while (this.waiting.length) this.skipGap();
    if (this.finAt !== undefined && !this.finished) {
      this.finished = true;
      this.sink.fin();
    }
  }

  private accept(seq: number, payload: Buffer): void {
    const d = seqDiff(seq, this.next!);
    if (d <= 0) {
      // a retransmission, whole or in part: only the bytes not yet delivered count
      if (-d < payload.length) this.deliver(payload.subarray(-d));
      return;
    }
    this.waiting.push({ seq, bytes: payload });
    this.waitingBytes += payload.length;
    this.waiting.sort((a, b) => seqDiff(a.seq, b.seq));
    if (this.waitingBytes > MAX_WAITING) this.skipGap();
  }

  private deliver(bytes: Buffer): void {
    this.next = (this.next! + bytes.length) >>> 0;
    this.sink.data(bytes);
  }

  /** Segments that now start at or before the next expected byte, in order. */
  private drain(): void {
    while (this.waiting.length && seqDiff(this.waiting[0].seq, this.next!) <= 0) {
      const w = this.waiting.shift()!;
      this.waitingBytes -= w.bytes.length;
      const d = seqDiff(w.seq, this.next!);
      if (-d < w.bytes.length) this.deliver(w.bytes.subarray(-d));
    }
    if (!this.finished && this.finAt !== undefined && seqDiff(this.finAt, this.next!) <= 0 && this.waiting.length === 0) {
      this.finished = true;
      this.sink.fin();
    }
  }

  private skipGap(): void {
    const first = this.waiting[0];
    if (!first) return;
    this.sink.gap(seqDiff(first.seq, this.next!));
    this.next = first.seq;
    this.drain();
  }
}
