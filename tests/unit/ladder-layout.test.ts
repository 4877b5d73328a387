import { describe, expect, it } from 'vitest';
import type { CaptureSummary } from '../../src-main/lab/api-types';
import { labelBaseline, layoutLadder, type LadderArrow } from '../../src-renderer/src/components/inspector/ladderLayout';

/** The SMTP dialogue of §2.3.1, 13 messages, each a fraction of a millisecond after the last (loopback). */
const SMTP: [CaptureSummary['dir'], string][] = [
  ['s2c', '220 mail.hamburger.edu ESMTP'],
  ['c2s', 'EHLO crepes.fr'],
  ['s2c', '250-mail.hamburger.edu Hello crepes.fr'],
  ['c2s', 'MAIL FROM:<alice@crepes.fr>'],
  ['s2c', '250 2.1.0 Sender ok'],
  ['c2s', 'RCPT TO:<bob@hamburger.edu>'],
  ['s2c', '250 2.1.5 Recipient ok'],
  ['c2s', 'DATA'],
  ['s2c', '354 Enter mail, end with "." on a line by itself'],
  ['c2s', 'message: Do you like ketchup? How about pickles? (2 lines, 54 B)'],
  ['s2c', '250 2.0.0 Message accepted for delivery'],
  ['c2s', 'QUIT'],
  ['s2c', '221 mail.hamburger.edu closing connection'],
];
const items: CaptureSummary[] = SMTP.map(([dir, summary], i) => ({
  id: i + 1,
  t: 1000 + i * 0.4,
  service: 'smtp',
  protocol: 'smtp',
  conn: 1,
  transport: 'tcp',
  dir,
  kind: 'message',
  size: summary.length,
  summary,
}));

const CHAR_W = 6.4;
const ASCENT = 8;
/** below the baseline: descenders and the label's halo */
const DESCENT = 3;
/** the y of an arrow's line at x, between lifelines at xc and xs */
const lineAt = (a: LadderArrow, x: number, xc: number, xs: number): number => {
  const f = (x - xc) / (xs - xc);
  return a.dir === 'c2s' ? a.y1 + (a.y2 - a.y1) * f : a.y2 - (a.y2 - a.y1) * f;
};

describe('ladder labels', () => {
  for (const [width, room] of [[260, Infinity], [420, Infinity], [700, Infinity], [160, 200], [300, 200], [420, 200]]) {
    it(`sit above their own line and below the arrow before, lifelines ${width} px apart, ${room} px of room`, () => {
      const { arrows } = layoutLadder(items, 'message', null, room);
      expect(arrows).toHaveLength(13);
      const xc = 110;
      const xs = xc + width;
      const chars = Math.floor((width - 24) / CHAR_W);
      arrows.forEach((a, i) => {
        const w = Math.min(a.label.length, chars) * CHAR_W;
        const base = labelBaseline(a, width, w);
        const left = (xc + xs) / 2 - w / 2;
        const right = (xc + xs) / 2 + w / 2;
        for (const x of [left, (left + right) / 2, right]) {
          expect(lineAt(a, x, xc, xs), `#${a.id} own line under its label`).toBeGreaterThan(base + 1);
          if (i > 0) expect(lineAt(arrows[i - 1], x, xc, xs), `#${a.id} the arrow before clears its letters`).toBeLessThan(base - ASCENT);
        }
        if (i > 0) {
          const prev = arrows[i - 1];
          const prevBase = labelBaseline(prev, width, Math.min(prev.label.length, chars) * CHAR_W);
          expect(base - ASCENT, `#${a.id} label below the label before`).toBeGreaterThan(prevBase + DESCENT);
        }
      });
    });
  }
});

describe('ladder height', () => {
  it('keeps the full drop when the pane has room', () => {
    const geo = layoutLadder(items, 'message');
    expect(geo.arrows.every((a) => a.y2 - a.y1 === 12)).toBe(true);
  });

  it('flattens the arrows so the 13 messages of §2.3.1 fit 205 px (about the default inspector room at 1440×900)', () => {
    const geo = layoutLadder(items, 'message', null, 205);
    expect(geo.height).toBeLessThanOrEqual(205);
    const drop = geo.arrows[0].y2 - geo.arrows[0].y1;
    expect(drop).toBeGreaterThanOrEqual(2);
    expect(drop).toBeLessThan(12);
  });

  it('on a busy machine (tens of ms between the replies) takes less room per ms before it scrolls, keeping the real times', () => {
    const slow = items.map((m, i) => ({ ...m, t: 1000 + i * 45 }));
    const roomy = layoutLadder(slow, 'message');
    expect(roomy.height).toBeGreaterThan(205);
    const geo = layoutLadder(slow, 'message', null, 205);
    expect(geo.height).toBeLessThanOrEqual(205);
    expect(geo.pxPerMs).toBeLessThan(roomy.pxPerMs);
    expect(geo.arrows.at(-1)!.dt).toBe(12 * 45);
    const ys = geo.arrows.map((a) => a.y1);
    expect(ys.every((y, i) => i === 0 || y > ys[i - 1])).toBe(true);
  });

  it('scrolls rather than squeezing labels together when even the flattest drop does not fit', () => {
    const geo = layoutLadder(items, 'message', null, 100);
    expect(geo.height).toBeGreaterThan(100);
    expect(geo.arrows[0].y2 - geo.arrows[0].y1).toBe(2);
  });
});
