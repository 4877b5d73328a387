/**
 * A small job limiter for the mail system's Maildir deliveries: at most `max` at once, the
 * rest in arrival order, and held back while `busy` says so (the spool is committing), for at
 * most MAX_HOLD_MS so that nothing starves.
 */
const MAX_HOLD_MS = 10_000;

/** Runs at most `max` async jobs at once, the rest in arrival order. */
export class Limiter {
  private active = 0;
  private waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  /** `busy`: hold jobs back while it says so (up to MAX_HOLD_MS, so nothing starves) */
  constructor(
    private max: number,
    private busy: () => boolean = () => false,
  ) {}

  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<void>((r) => {
      this.waiting.push(r);
      this.pump();
    }).then(async () => {
      try {
        return await job();
      } finally {
        this.active -= 1;
        this.pump();
      }
    });
  }

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
      this.active += 1;
      this.waiting.shift()?.();
    }
  }
}
