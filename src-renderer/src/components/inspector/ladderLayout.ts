import type { CaptureSummary } from '../../api/types';

/** Geometry of a ladder diagram (Kurose & Ross Fig. 2.7 style), computed apart from drawing. */
export interface LadderArrow {
  id: number;
  dir: 'c2s' | 's2c';
  y1: number;
  y2: number;
  /** ms since the first item */
  dt: number;
  label: string;
  size: number;
}

export interface LadderNote {
  id: number;
  y: number;
  dt: number;
  label: string;
}

export interface LadderLayout {
  arrows: LadderArrow[];
  notes: LadderNote[];
  height: number;
  pxPerMs: number;
  /** items left out past the cap */
  omitted: number;
}

export const LADDER_TOP = 74;
const MIN_GAP = 26;
const SLANT = 16;
const MAX_ITEMS = 400;

export function layoutLadder(items: CaptureSummary[], kind: 'chunk' | 'message', linkDelayMs: number): LadderLayout {
  const chosen = items.filter(
    (m) => m.kind === 'event' || (m.dir !== 'none' && (m.transport === 'udp' || m.kind === kind)),
  );
  const omitted = Math.max(0, chosen.length - MAX_ITEMS);
  const shown = chosen.slice(0, MAX_ITEMS);
  const arrows: LadderArrow[] = [];
  const notes: LadderNote[] = [];
  if (shown.length === 0) return { arrows, notes, height: LADDER_TOP + 40, pxPerMs: 0, omitted };

  const t0 = shown[0].t;
  const span = Math.max(1, shown[shown.length - 1].t - t0);
  // Proportional time, scaled so the diagram stays a readable height; MIN_GAP keeps
  // messages that were sent within the same millisecond apart.
  const pxPerMs = Math.min(2, Math.max(0.04, (shown.length * MIN_GAP * 1.2) / span));
  const slant = SLANT + Math.min(200, linkDelayMs * pxPerMs);

  let cursor = LADDER_TOP + 10;
  let last: LadderArrow | null = null;
  for (const m of shown) {
    const dt = m.t - t0;
    let y = Math.max(LADDER_TOP + 10 + dt * pxPerMs, cursor);
    if (m.kind === 'event' || m.dir === 'none') {
      notes.push({ id: m.id, y: y + 6, dt, label: m.summary });
      cursor = y + MIN_GAP;
      continue;
    }
    // A reply leaves after the request it answers has arrived.
    if (last && last.dir !== m.dir) y = Math.max(y, last.y2 + 6);
    const arrow: LadderArrow = { id: m.id, dir: m.dir, y1: y, y2: y + slant, dt, label: m.summary, size: m.size };
    arrows.push(arrow);
    last = arrow;
    cursor = y + MIN_GAP;
  }
  const bottom = Math.max(cursor, last ? last.y2 : 0) + 30;
  return { arrows, notes, height: bottom, pxPerMs, omitted };
}

/** Shortens a label to about `maxChars` characters. */
export function truncate(text: string, maxChars: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  if (oneLine.length <= maxChars) return oneLine;
  return oneLine.slice(0, Math.max(1, maxChars - 1)) + '…';
}
