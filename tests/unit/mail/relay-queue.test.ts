/**
 * The relay queue's turns: it keeps its connections busy, starts the next due message when one
 * ends, does not poll while every connection is taken, and sets one timer for the soonest retry.
 * The lab internet is played by the test: its MX lookups answer when the test says, and no
 * host answers on port 25 (a temporary failure), so no message leaves the queue by accident.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RelayQueue, type RelayDeps } from '../../../src-main/lab/mail/relay-queue';

function queueWithHeldLookups(concurrency: number) {
  const lookups: (() => void)[] = [];
  const deps: RelayDeps = {
    mx: () => new Promise((resolve) => lookups.push(() => resolve([]))),
    dial: async (host) => ({ ok: false, error: `no answer from ${host}` }),
    note: () => () => undefined,
    helo: () => 'mail.crepes.fr',
    finished: () => undefined,
    changed: () => undefined,
  };
  const queue = new RelayQueue(deps, { baseMs: 1000, maxMs: 30_000, maxAgeMs: 3600_000, concurrency });
  const add = (n: number) => {
    for (let i = 0; i < n; i++) queue.add({ id: `m${i}`, domain: 'hamburger.edu', from: 'alice@crepes.fr', rcpts: ['bob@hamburger.edu'], data: Buffer.from('Subject: hi\r\n\r\nhi\r\n'), created: Date.now() });
  };
  return { queue, lookups, add };
}

describe('relay queue turns', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts no more than its connections, and nothing polls while they are all taken', async () => {
    const { queue, lookups, add } = queueWithHeldLookups(2);
    add(5);
    await vi.advanceTimersByTimeAsync(0);
    expect(lookups).toHaveLength(2);
    expect(queue.list().filter((e) => e.state === 'sending')).toHaveLength(2);
    // both connections busy: no timer waits to look at the queue again
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(lookups).toHaveLength(2);
    queue.stop();
  });

  it('gives a freed connection to the next due message, then waits for the soonest retry', async () => {
    const { queue, lookups, add } = queueWithHeldLookups(2);
    add(3);
    await vi.advanceTimersByTimeAsync(0);
    lookups[0]();
    await vi.advanceTimersByTimeAsync(0);
    // the first attempt failed (no answer on port 25): its connection went to the third message
    expect(lookups).toHaveLength(3);
    const first = queue.list().find((e) => e.id === 'm0')!;
    expect(first).toMatchObject({ state: 'queued', attempts: 1, lastError: 'no answer from hamburger.edu' });
    lookups[1]();
    lookups[2]();
    await vi.advanceTimersByTimeAsync(0);
    // all three wait for their retry, a second later (RFC 5321 §4.5.4.1 backoff): one timer for them
    expect(queue.list().every((e) => e.state === 'queued' && e.attempts === 1)).toBe(true);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(lookups).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(lookups).toHaveLength(5);
    queue.stop();
  });
});
