/**
 * The receiving softphone's side of an RTP stream (pure; the clock is handed in):
 * - RFC 3550's receiver statistics: packets expected from the sequence numbers (A.1/A.3),
 *   lost, and the interarrival jitter estimator J += (|D| − J)/16 (§6.4.1, A.8);
 * - a playout buffer, Kurose & Ross §9.3 (Peterson & Davie's playout buffer): each packet is
 *   played at its playout time p = t + q. Fixed playout keeps q constant; adaptive playout
 *   estimates the network delay d and its deviation v (d ← (1−u)d + u(r−t), v ← (1−u)v +
 *   u|r−t−d|, u = 0.01) and at the start of each talkspurt sets q = d + K·v (K = 4). A packet
 *   that arrives after its playout time is late: as good as lost to the listener.
 * The sender's and receiver's clocks are the lab's one clock (the textbook assumes them
 * synchronised), so r − t is the real one-way delay.
 */
import { SAMPLE_RATE } from './rtp';
import type { PlayoutSettings, ReceiverPoint, ReceiverTotals } from './voip-types';

export type { PlayoutMode, PlayoutSettings } from './voip-types';

const U = 0.01;
const K = 4;
export const MAX_POINTS = 300;

export class RtpReceiver {
  /** the series the VoIP tab plots, one point a second */
  readonly points: ReceiverPoint[] = [];
  private baseSeq = -1;
  private maxSeq = 0;
  private cycles = 0;
  private received = 0;
  private late = 0;
  private jitter = 0; // timestamp units
  private lastTransit: number | null = null;
  private d = 0;
  private v = 0;
  private q: number;
  private spurtStart = true;
  private startedAt = 0;
  private bucket: { second: number; expected0: number; received: number; late: number; delaySum: number } | null = null;
  /** for the next receiver report: expected and received at the last one (RFC 3550 A.3) */
  private prior = { expected: 0, received: 0 };

  constructor(
    public settings: PlayoutSettings,
    /** the sender's clock at timestamp 0, ms */
    private senderEpoch: number,
    private clockRate = SAMPLE_RATE,
  ) {
    this.q = settings.fixedMs;
  }

  /** a packet arrived at `now` (ms on the lab's clock) */
  packet(seq: number, timestamp: number, marker: boolean, now: number): { late: boolean; playAt: number } {
    if (this.baseSeq < 0) {
      this.baseSeq = seq;
      this.maxSeq = seq;
      this.startedAt = now;
    } else {
      const delta = (seq - this.maxSeq + 0x10000) & 0xffff;
      if (delta > 0 && delta < 0x8000) {
        if (seq < this.maxSeq) this.cycles += 0x10000;
        this.maxSeq = seq;
      }
    }
    this.received++;
    const sentAt = this.senderEpoch + (timestamp / this.clockRate) * 1000;
    const delay = now - sentAt;
    // A.8: transit in timestamp units; D is the difference between consecutive transits
    const transit = (now / 1000) * this.clockRate - timestamp;
    if (this.lastTransit !== null) this.jitter += (Math.abs(transit - this.lastTransit) - this.jitter) / 16;
    this.lastTransit = transit;
    if (this.received === 1) {
      this.d = delay;
      this.v = 0;
    } else {
      this.d = (1 - U) * this.d + U * delay;
      this.v = (1 - U) * this.v + U * Math.abs(delay - this.d);
    }
    if (marker || this.spurtStart) {
      this.q = this.settings.mode === 'fixed' ? this.settings.fixedMs : Math.max(1, this.d + K * this.v);
      this.spurtStart = false;
    }
    const playAt = sentAt + this.q;
    const late = now > playAt;
    if (late) this.late++;
    this.account(now, delay, late);
    return { late, playAt };
  }

  /** a new talkspurt begins with the next packet (silence was sent as nothing) */
  talkspurt(): void {
    this.spurtStart = true;
  }

  get expected(): number {
    return this.baseSeq < 0 ? 0 : this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  totals(): ReceiverTotals {
    return { received: this.received, expected: this.expected, lost: Math.max(0, this.expected - this.received), late: this.late, jitterMs: (this.jitter / this.clockRate) * 1000, playoutMs: this.q };
  }

  /** the figures of a receiver report block (RFC 3550 §6.4.1, A.3), and the interval begins again */
  report(): { fractionLost: number; cumulativeLost: number; highestSeq: number; jitter: number } {
    const expected = this.expected;
    const expectedInterval = expected - this.prior.expected;
    const receivedInterval = this.received - this.prior.received;
    this.prior = { expected, received: this.received };
    const lostInterval = expectedInterval - receivedInterval;
    return { fractionLost: expectedInterval > 0 && lostInterval > 0 ? lostInterval / expectedInterval : 0, cumulativeLost: expected - this.received, highestSeq: this.cycles + this.maxSeq, jitter: this.jitter };
  }

  private account(now: number, delay: number, late: boolean): void {
    const second = Math.floor((now - this.startedAt) / 1000);
    if (this.bucket && this.bucket.second !== second) this.close(this.bucket);
    if (!this.bucket || this.bucket.second !== second) this.bucket = { second, expected0: this.expected - 1, received: 0, late: 0, delaySum: 0 };
    this.bucket.received++;
    this.bucket.delaySum += delay;
    if (late) this.bucket.late++;
  }

  /** the second in progress, closed (the stream ended or a point is wanted now) */
  flush(): void {
    if (this.bucket) this.close(this.bucket);
    this.bucket = null;
  }

  private close(b: { second: number; expected0: number; received: number; late: number; delaySum: number }): void {
    const expected = this.expected - b.expected0;
    this.points.push({ t: b.second, expected, received: b.received, lost: Math.max(0, expected - b.received), late: b.late, jitterMs: (this.jitter / this.clockRate) * 1000, playoutMs: this.q, delayMs: b.received ? b.delaySum / b.received : 0 });
    if (this.points.length > MAX_POINTS) this.points.shift();
  }
}
