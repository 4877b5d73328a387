/**
 * Traffic and counts checks, evaluated incrementally: each captured message is offered once,
 * as it arrives, and each check keeps only what it needs — per connection, the step of its
 * sequence it has reached — so the cost does not grow with the capture.
 *
 * A sequence is ordered steps on one connection (or one UDP flow): a message the client sends
 * matching the step's pattern, then, when the step has a reply, the server's next message
 * matching the reply's pattern. Other commands in between are let be (a NOOP, a typo the
 * server refused); a reply that does not match sends the step back to wait for its command.
 */
import type { CountsCheck, TrafficCheck } from './lab-file';
import { inScope, messageMatches, type SeenMessage } from './message-match';

export interface Satisfied {
  evidence: number[];
}

export interface Matcher {
  offer(m: SeenMessage): Satisfied | null;
  /** a connection closed: forget it */
  closed(conn: number): void;
}

const MAX_TRACKED = 2000;

export class SequenceMatcher implements Matcher {
  /** per connection: the step, and the protocol of the command awaiting its reply */
  private progress = new Map<number, { step: number; awaitingReply: boolean; evidence: number[]; protocol?: string }>();

  constructor(private check: TrafficCheck) {}

  offer(m: SeenMessage): Satisfied | null {
    if (m.dir === 'none' || !inScope(this.check, m)) return null;
    let p = this.progress.get(m.conn);
    if (!p) {
      if (m.dir !== 'c2s') return null;
      if (this.progress.size >= MAX_TRACKED) this.progress.delete(this.progress.keys().next().value!);
      p = { step: 0, awaitingReply: false, evidence: [] };
      this.progress.set(m.conn, p);
    }
    const step = this.check.steps[p.step];
    if (p.awaitingReply) {
      // a TLS record between an HTTP request and its response (a session ticket) is another layer, not the reply
      if (m.dir === 's2c' && m.protocol !== p.protocol) return null;
      if (m.dir !== 's2c') {
        // the client spoke again before the reply: a pipelined command or a retry; the same step may match it anew
        if (messageMatches(step, m)) p.evidence[p.evidence.length - 1] = m.id;
        return null;
      }
      p.awaitingReply = false;
      if (!messageMatches(step.reply, m)) {
        p.evidence.pop();
        return null;
      }
      p.evidence.push(m.id);
      p.step++;
    } else if (m.dir === 'c2s' && messageMatches(step, m)) {
      p.evidence.push(m.id);
      p.protocol = m.protocol;
      if (step.reply) p.awaitingReply = true;
      else p.step++;
    }
    if (p.step < this.check.steps.length) return null;
    this.progress.delete(m.conn);
    return { evidence: p.evidence };
  }

  closed(conn: number): void {
    this.progress.delete(conn);
  }
}

/** at least / at most N matching messages */
export class CountMatcher implements Matcher {
  private seen: number[] = [];

  constructor(private check: CountsCheck) {}

  get count(): number {
    return this.seen.length;
  }

  offer(m: SeenMessage): Satisfied | null {
    if (m.dir === 'none' || (this.check.dir && m.dir !== this.check.dir)) return null;
    if (!inScope(this.check, m) || !messageMatches(this.check.match, m)) return null;
    if (this.seen.length < 1000) this.seen.push(m.id);
    else this.seen.length++;
    return this.verdict();
  }

  /** at least `atLeast` (1 if not said) and no more than `atMost` */
  verdict(): Satisfied | null {
    const n = this.seen.length;
    if (n < (this.check.atLeast ?? 1)) return null;
    if (this.check.atMost !== undefined && n > this.check.atMost) return null;
    return { evidence: this.seen.filter((id) => id !== undefined).slice(0, 50) };
  }

  closed(): void {}
}
