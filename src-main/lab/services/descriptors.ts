/**
 * The process's file descriptors, shared by every lab listener. Each accepted connection
 * takes one; when they run out, accept() fails for every service at once, and so do the
 * UI bridge, Maildir writes and zone reads. So the listeners together stop accepting short
 * of the limit, keeping a reserve for the lab itself: a flood of connections to one
 * service is refused by that service, and the rest of the lab keeps working.
 *
 * Node has no setrlimit, and needs none here: when it starts, Node itself raises its soft
 * limit to the hard one (its platform init), so `netlab serve` started from a shell with
 * `ulimit -n 256` has the hard limit to spend (tests/unit/descriptors.test.ts checks it).
 * The limit is only read here, whatever it turned out to be, so the desktop shell gets the
 * same reserve below its own limit.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** kept for the lab itself, whatever the limit: the bridge, its browser tabs, files, programs */
const MIN_RESERVE = 64;
/** a large limit needs no more than this kept back */
const MAX_RESERVE = 1024;

/** The soft limit on open files of this process, or null where there is none to read (Windows). */
export function softDescriptorLimit(): number | null {
  if (process.platform === 'win32') return null;
  try {
    if (process.platform === 'linux') {
      const m = /^Max open files\s+(\d+|unlimited)/m.exec(fs.readFileSync('/proc/self/limits', 'latin1'));
      if (m) return m[1] === 'unlimited' ? null : Number(m[1]);
    }
    // a child inherits the limits: its shell's `ulimit -n` is ours
    const out = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'latin1', timeout: 2000 }).trim();
    return /^\d+$/.test(out) ? Number(out) : null;
  } catch {
    return null;
  }
}

export class DescriptorBudget {
  private used = 0;
  private limit: number | null | undefined;

  /** `limit`: the process's soft limit (read from the system on first use when not given) */
  constructor(limit?: number | null) {
    this.limit = limit;
  }

  private soft(): number | null {
    if (this.limit === undefined) this.limit = softDescriptorLimit();
    return this.limit;
  }

  /** descriptors kept back from the listeners: a quarter of the limit, within MIN/MAX_RESERVE */
  get reserve(): number {
    const limit = this.soft();
    return limit === null ? 0 : Math.min(MAX_RESERVE, Math.max(MIN_RESERVE, Math.floor(limit / 4)));
  }

  /** connections all lab listeners may hold at once */
  get budget(): number {
    const limit = this.soft();
    return limit === null ? Infinity : Math.max(0, limit - this.reserve);
  }

  get inUse(): number {
    return this.used;
  }

  /** A connection was accepted (it holds a descriptor until `closed`); false if it is over the budget. */
  open(): boolean {
    this.used += 1;
    return this.used <= this.budget;
  }

  closed(): void {
    this.used -= 1;
  }

  /** tests: pretend the process has this soft limit (null: none; undefined: read the system's again) */
  setLimit(limit: number | null | undefined): void {
    this.limit = limit;
  }
}

/** the one budget of this process */
export const descriptors = new DescriptorBudget();
