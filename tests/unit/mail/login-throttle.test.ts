/** The login throttle's counting on its own: the window, the lockout and its end, one address apart from another. */
import { describe, expect, it } from 'vitest';
import { LoginThrottle, minutes } from '../../../src-main/lab/mail/login-throttle';

describe('LoginThrottle', () => {
  const limits = { delayMs: 0, perConnection: 3, perAddress: 3, windowMs: 60_000, lockoutMs: 30_000 };

  it('counts failures inside the window only; the limit locks the address for lockoutMs, then counting starts over', () => {
    const t = new LoginThrottle(limits);
    expect(t.failed('10.0.0.1', 0)).toEqual({ failures: 1, lockedMs: 0 });
    expect(t.failed('10.0.0.1', 30_000)).toEqual({ failures: 2, lockedMs: 0 });
    // the first failure has left the window: still two, not three
    expect(t.failed('10.0.0.1', 60_500)).toEqual({ failures: 2, lockedMs: 0 });
    expect(t.failed('10.0.0.1', 61_000)).toEqual({ failures: 3, lockedMs: 30_000 });
    expect(t.lockedFor('10.0.0.1', 61_000)).toBe(30_000);
    expect(t.lockedFor('10.0.0.2', 61_000)).toBe(0);
    expect(t.lockedFor('10.0.0.1', 91_000)).toBe(0);
    expect(t.failed('10.0.0.1', 91_000)).toEqual({ failures: 1, lockedMs: 0 });
  });

  it('a guard counts its connection and its address; an IPv4-mapped address is the IPv4 one', async () => {
    const t = new LoginThrottle(limits);
    const a = t.guard('::ffff:127.0.0.9');
    expect(a.address).toBe('127.0.0.9');
    const notes: string[] = [];
    expect(await a.failed((n) => notes.push(n))).toEqual({ kind: 'retry' });
    expect(await t.guard('127.0.0.9').failed()).toEqual({ kind: 'retry' });
    expect(await a.failed()).toEqual({ kind: 'locked-out', failures: 3, ms: 30_000 });
    expect(a.lockedFor()).toBeGreaterThan(0);
    expect(notes).toEqual(['failed login 1 of 3 on this connection, 1 of 3 from 127.0.0.9 in 1 minute (SMTP, POP3 and IMAP): answered after 0 ms']);
    const b = new LoginThrottle({ ...limits, perAddress: 10 }).guard('127.0.0.1');
    await b.failed();
    await b.failed();
    expect(await b.failed()).toEqual({ kind: 'close-connection', failures: 3 });
  });

  it('words durations for replies', () => {
    expect([minutes(1500), minutes(1000), minutes(60_000), minutes(300_000)]).toEqual(['2 seconds', '1 second', '1 minute', '5 minutes']);
  });
});
