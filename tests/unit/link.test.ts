import { describe, expect, it } from 'vitest';
import { LinkDirection, Transmitter } from '../../src-main/lab/link/link';
import { PERFECT_LINK } from '../../src-main/lab/link/profile';

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('link emulation', () => {
  it('loses about the configured share of datagrams', () => {
    const link = new LinkDirection(() => ({ ...PERFECT_LINK, lossRate: 0.3 }), seeded(7), () => 0);
    let lost = 0;
    for (let i = 0; i < 10_000; i++) if (!link.datagram(100).deliver) lost++;
    expect(lost / 10_000).toBeGreaterThan(0.27);
    expect(lost / 10_000).toBeLessThan(0.33);
  });

  it('adds the one-way delay and the transmission time of the rate limit', () => {
    // 8 kbit/s = 1 byte/ms: 100 bytes take 100 ms to send, plus 50 ms of propagation
    const link = new LinkDirection(() => ({ ...PERFECT_LINK, delayMs: 50, rateKbps: 8 }), Math.random, () => 0);
    expect(link.datagram(100)).toEqual({ deliver: true, afterMs: 150 });
    // the second waits for the first to leave the link
    expect(link.datagram(100)).toEqual({ deliver: true, afterMs: 250 });
  });

  it("shares one transmitter between a service's connections: the second waits for the first to leave the link", () => {
    const shared = new Transmitter();
    const profile = () => ({ ...PERFECT_LINK, delayMs: 50, rateKbps: 8 });
    const a = new LinkDirection(profile, Math.random, () => 0, shared);
    const b = new LinkDirection(profile, Math.random, () => 0, shared);
    expect(a.stream(100)).toBe(150);
    expect(b.stream(100)).toBe(250);
    // a sender in pieces may hand over the next once the link has sent this one, not after the delay
    expect(b.transmittedIn()).toBe(200);
    // links of their own do not wait for each other
    expect(new LinkDirection(profile, Math.random, () => 0).stream(100)).toBe(150);
  });

  it('keeps stream bytes in order even with jitter', () => {
    let now = 0;
    const link = new LinkDirection(() => ({ ...PERFECT_LINK, delayMs: 100 }), Math.random, () => now);
    const first = link.stream(10);
    now = 10;
    const second = link.stream(10);
    expect(first).toBe(100);
    expect(now + second).toBeGreaterThanOrEqual(first);
  });

  it('delivers stream data and the close in the order handed over, even when a later timer is shorter', async () => {
    // the event loop's clock lags the real one on a busy machine: the second delivery's timer
    // comes out shorter than the first's, as the FIN after the last response once did
    let now = 0;
    let delayMs = 30;
    const link = new LinkDirection(() => ({ ...PERFECT_LINK, delayMs }), Math.random, () => now);
    const order: string[] = [];
    expect(link.inOrder(10, (x) => order.push(x), 'response')).toBe(false);
    now = 25;
    delayMs = 0;
    link.inOrder(0, (x) => order.push(x), 'FIN');
    await new Promise((r) => setTimeout(r, 60));
    expect(order).toEqual(['response', 'FIN']);
    // nothing held: at once, no timer
    now = 100;
    expect(link.inOrder(0, (x) => order.push(x), 'now')).toBe(true);
    expect(order.at(-1)).toBe('now');
  });

  it('holds back some datagrams so later ones overtake them', () => {
    const link = new LinkDirection(() => ({ ...PERFECT_LINK, delayMs: 10, reorderRate: 1 }), () => 0, () => 0);
    const v = link.datagram(1);
    expect(v.deliver && v.afterMs).toBeGreaterThan(10);
  });
});
