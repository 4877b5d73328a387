/**
 * A small job limiter for the mail system's Maildir deliveries: at most `max` at once, the
 * rest in arrival order, and held back while `busy` says so (the spool is committing), for at
 * most MAX_HOLD_MS so that nothing starves.
 */
const MAX_HOLD_MS = 10_000;

/** Runs at most `max` async jobs at once, the rest in arrival order (a job must not throw: its failure is its own to report). */
export class Limiter {
  private active = 0;
  private waiting: (() => Promise<unknown>)[] = [];
  private timer: NodeJS.Timeout | null = null;

  /** `busy`: hold jobs back while it says so (up to MAX_HOLD_MS, so nothing starves) */
  constructor(
    private max: number,
    private busy: () => boolean = () => false,
  ) {}

  /**
   * Queue `job`; it starts when a place is free and the hold is over. Nothing is built for a
   * job until it starts: while the spool commits, a burst of messages waits here as one
   * function each, not as a chain of promises the garbage collector copies again and again.
   */
  start(job: () => Promise<unknown>): void {
    this.waiting.push(job);
    this.pump();
  }

  private readonly finished = (): void => {
    this.active -= 1;
    this.pump();
  };

  private heldSince = -1;

  private pump(): void {
    if (this.timer || this.waiting.length === 0) return;
    const now = performance.now();
    if (this.busy() && (this.heldSince < 0 || now - this.heldSince < MAX_HOLD_MS)) {
      if (this.heldSince < 0) this.heldSince = now;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, 25);
      return;
    }
    this.heldSince = -1;
    while (this.active < this.max && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.active += 1;
      void job().then(this.finished, this.finished);
    }
  }
}
