/**
 * A peer's access link in one direction: jobs of n bytes pass one after another at `rate`
 * bytes per second (a token bucket with a small burst), so a peer's upload is shared by all
 * its connections as on a real access link. Rate 0 means no limit.
 */
export interface RateJob {
  size: number;
  run: () => void;
  tag?: unknown;
}

export class RateQueue {
  private queue: RateJob[] = [];
  private freeAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  queuedBytes = 0;

  constructor(
    public rate: number,
    private burstMs = 20,
    /** which job goes next: the lowest rank (ties in arrival order); none: first come, first served */
    private rank?: (job: RateJob) => number,
  ) {}

  push(job: RateJob): void {
    if (this.closed) return;
    if (this.rate <= 0 && this.queue.length === 0) {
      job.run();
      return;
    }
    this.queue.push(job);
    this.queuedBytes += job.size;
    this.pump();
  }

  /** Drop queued jobs (a choked neighbour's requests, a closed connection's data). */
  cancel(match: (job: RateJob) => boolean): void {
    this.queue = this.queue.filter((j) => {
      if (!match(j)) return true;
      this.queuedBytes -= j.size;
      return false;
    });
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private next(): RateJob {
    if (!this.rank || this.queue.length === 1) return this.queue.shift()!;
    let at = 0;
    let best = this.rank(this.queue[0]);
    for (let i = 1; i < this.queue.length; i++) {
      const r = this.rank(this.queue[i]);
      if (r < best) [at, best] = [i, r];
    }
    return this.queue.splice(at, 1)[0];
  }

  private pump(): void {
    if (this.timer) return;
    const now = performance.now();
    while (this.queue.length) {
      // the link is busy until freeAt; a job may start while it is at most burstMs ahead
      if (this.rate > 0 && this.freeAt - now > this.burstMs) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, this.freeAt - now - this.burstMs / 2);
        return;
      }
      const job = this.next();
      this.queuedBytes -= job.size;
      if (this.rate > 0) this.freeAt = Math.max(this.freeAt, now - this.burstMs) + (job.size / this.rate) * 1000;
      job.run();
      if (this.closed) return;
    }
  }
}
