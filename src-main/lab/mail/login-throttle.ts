/**
 * Password guessing, slowed and capped for SMTP AUTH, POP3 USER/PASS/APOP and IMAP LOGIN alike: the three
 * check the same passwords, so a guess counts the same whichever service it went to. One
 * throttle per mail system; one guard per connection.
 *
 * A wrong password is answered only after a delay, and a connection is closed after a few
 * of them. The delay alone does not stop a client that opens many connections at once, so
 * failures are also counted per client address (the socket's, never a lab name): past the
 * limit, that address gets no password checked for a while. Only the address is locked, not
 * the account — Bob's right password from another address still works (else anyone could
 * lock Bob out by guessing wrong).
 */

export interface LoginLimits {
  /** wait before answering a wrong password */
  delayMs: number;
  /** wrong passwords on one connection before the server closes it */
  perConnection: number;
  /** wrong passwords from one client address within `windowMs` before the address is locked out */
  perAddress: number;
  windowMs: number;
  /** how long a locked-out address gets no password checked */
  lockoutMs: number;
}

/** 1 s as POP3 already had, 3 per connection; 10 in 10 minutes locks the address for 5 minutes */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  delayMs: 1000,
  perConnection: 3,
  perAddress: 10,
  windowMs: 10 * 60_000,
  lockoutMs: 5 * 60_000,
};

/** what the session does after a wrong password */
export type LoginVerdict =
  | { kind: 'retry' }
  /** the connection had its `perConnection` wrong passwords */
  | { kind: 'close-connection'; failures: number }
  /** this failure locked the client address out for `ms` */
  | { kind: 'locked-out'; failures: number; ms: number };

interface AddressRecord {
  /** times of the failures still inside the window, oldest first */
  failures: number[];
  lockedUntil: number;
}

/** addresses kept at most (a LAN-bound lab could see many); the oldest are forgotten first */
const MAX_ADDRESSES = 10_000;

export class LoginThrottle {
  limits: LoginLimits;
  private addresses = new Map<string, AddressRecord>();

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.limits = limits;
  }

  /** one connection's guard; `address` is the socket's remote address */
  guard(address: string): LoginGuard {
    return new LoginGuard(this, address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, ''));
  }

  /** ms the address stays locked out (0: not locked) */
  lockedFor(address: string, now = Date.now()): number {
    const r = this.addresses.get(address);
    return r && r.lockedUntil > now ? r.lockedUntil - now : 0;
  }

  /** a wrong password from `address`: how many inside the window, and whether this one locked it out */
  failed(address: string, now = Date.now()): { failures: number; lockedMs: number } {
    let r = this.addresses.get(address);
    if (!r) {
      if (this.addresses.size >= MAX_ADDRESSES) this.forget(now);
      r = { failures: [], lockedUntil: 0 };
      this.addresses.set(address, r);
    }
    const since = now - this.limits.windowMs;
    while (r.failures.length > 0 && r.failures[0] <= since) r.failures.shift();
    r.failures.push(now);
    const failures = r.failures.length;
    if (failures >= this.limits.perAddress) {
      r.lockedUntil = now + this.limits.lockoutMs;
      // counting starts over once the lockout ends
      r.failures = [];
      return { failures, lockedMs: this.limits.lockoutMs };
    }
    return { failures, lockedMs: 0 };
  }

  /** drop addresses with nothing left to remember, then the oldest if still too many */
  private forget(now: number): void {
    const since = now - this.limits.windowMs;
    for (const [a, r] of this.addresses) {
      if (r.lockedUntil <= now && (r.failures.at(-1) ?? 0) <= since) this.addresses.delete(a);
    }
    for (const a of this.addresses.keys()) {
      if (this.addresses.size < MAX_ADDRESSES) break;
      this.addresses.delete(a);
    }
  }
}

/** The logins of one connection: its own count, and its address's in the throttle. */
export class LoginGuard {
  private failures = 0;

  constructor(
    private throttle: LoginThrottle,
    readonly address: string,
  ) {}

  /** before a password is checked: ms this address is still locked out for (0: go on) */
  lockedFor(): number {
    return this.throttle.lockedFor(this.address);
  }

  /**
   * A wrong password: counted at once (attempts in parallel are counted before any is
   * answered), then answered after the delay. `note` tells the inspector what happened.
   */
  async failed(note?: (text: string) => void): Promise<LoginVerdict> {
    const limits = this.throttle.limits;
    this.failures += 1;
    const { failures, lockedMs } = this.throttle.failed(this.address);
    note?.(
      `failed login ${this.failures} of ${limits.perConnection} on this connection, ` +
        `${failures} of ${limits.perAddress} from ${this.address} in ${minutes(limits.windowMs)} (SMTP, POP3 and IMAP): ` +
        `answered after ${limits.delayMs} ms`,
    );
    if (limits.delayMs > 0) await new Promise((r) => setTimeout(r, limits.delayMs));
    if (lockedMs > 0) return { kind: 'locked-out', failures, ms: lockedMs };
    if (this.failures >= limits.perConnection) return { kind: 'close-connection', failures: this.failures };
    return { kind: 'retry' };
  }
}

/** "5 minutes", "1 minute", "30 seconds": for replies and notes */
export function minutes(ms: number): string {
  if (ms < 60_000) {
    const s = Math.max(1, Math.ceil(ms / 1000));
    return `${s} second${s === 1 ? '' : 's'}`;
  }
  const m = Math.ceil(ms / 60_000);
  return `${m} minute${m === 1 ? '' : 's'}`;
}
