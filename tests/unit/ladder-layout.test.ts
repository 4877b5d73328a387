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

const CHAR_W = 6.7;
const ASCENT = 9;
/** the y of an arrow's line at x, between lifelines at xc and xs */
const lineAt = (a: LadderArrow, x: number, xc: number, xs: number): number => {
  const f = (x - xc) / (xs - xc);
  return a.dir === 'c2s' ? a.y1 + (a.y2 - a.y1) * f : a.y2 - (a.y2 - a.y1) * f;
};

describe('ladder labels', () => {
  for (const width of [260, 420, 700]) {
    it(`sit above their own line and below the arrow before, lifelines ${width} px apart`, () => {
      const { arrows } = layoutLadder(items, 'message');
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
          if (i > 0) expect(lineAt(arrows[i - 1], x, xc, xs), `#${a.id} the arrow before clears its letters`).toBeLessThan(base - ASCENT - 1);
        }
      });
    });
  }
});
