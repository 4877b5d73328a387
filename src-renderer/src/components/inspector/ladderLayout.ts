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

/** An idle stretch cut out of the time axis (the user was typing, not the network). */
export interface LadderBreak {
  y: number;
  ms: number;
}

export interface LadderLayout {
  arrows: LadderArrow[];
  notes: LadderNote[];
  breaks: LadderBreak[];
  height: number;
  pxPerMs: number;
  /** items left out past the cap (the window is centred on the focused message) */
  omitted: number;
  /** how many items the connection has in this view */
  total: number;
}

export const LADDER_TOP = 10;
/** Label text (12 px monospace): its height above the baseline, and the clearance kept from the lines. */
const LABEL_ASCENT = 9;
const LABEL_CLEAR = 2;
/**
 * An arrow's drop (a message takes time to cross, as in Kurose & Ross Fig. 2.7): the full
 * drop when the pane has room, flatter down to MIN_SLANT when it has not, so that the 13
 * messages of the SMTP session of §2.3.1 fit the default inspector without scrolling.
 */
const MAX_SLANT = 12;
/** the height of a note's pill (LadderDiagram draws it) */
export const NOTE_H = 14;
const MIN_SLANT = 2;
/**
 * Items stay at least this far apart: the drop, a line of label above the arrow with its
 * clearance from its own line (see labelBaseline), and 1 px to the arrow before.
 */
export function minGapFor(slant: number): number {
  return slant + LABEL_ASCENT + LABEL_CLEAR + 1;
}
const MAX_ITEMS = 400;
/** Time scale: 100 ms of delay is 50 px of slant and spacing. */
const PX_PER_MS = 0.5;
/** Longer idle gaps are cut to BREAK_PX and marked. */
const MAX_GAP_PX = 140;
const BREAK_PX = 34;

/**
 * Lays the connection out with the steepest drop whose diagram fits `room` px (the pane's
 * height under the header), or the flattest one if none does: then the pane scrolls.
 */
export function layoutLadder(items: CaptureSummary[], kind: 'chunk' | 'message', focusId: number | null = null, room = Infinity): LadderLayout {
  let geo = layoutWith(items, kind, focusId, MAX_SLANT, PX_PER_MS);
  for (let slant = MAX_SLANT - 1; geo.height > room && slant >= MIN_SLANT; slant--) geo = layoutWith(items, kind, focusId, slant, PX_PER_MS);
  // still too tall: the idle time between messages (a busy machine's pauses, a slow link)
  // takes less room, down to order alone; the time stamps keep the real times
  for (const scale of TIME_SCALES) if (geo.height > room) geo = layoutWith(items, kind, focusId, MIN_SLANT, scale);
  return geo;
}

/** px per ms tried in turn when the flattest arrows still do not fit */
const TIME_SCALES = [PX_PER_MS / 2, PX_PER_MS / 5, PX_PER_MS / 20, 0];

function layoutWith(items: CaptureSummary[], kind: 'chunk' | 'message', focusId: number | null, slant: number, pxPerMs: number): LadderLayout {
  const chosen = items.filter(
    (m) => m.kind === 'event' || (m.dir !== 'none' && (m.transport === 'udp' || m.kind === kind || (kind === 'chunk' && m.whole === true))),
  );
  const total = chosen.length;
  const omitted = Math.max(0, total - MAX_ITEMS);
  let start = 0;
  if (omitted > 0 && focusId !== null) {
    const at = chosen.findIndex((m) => m.id >= focusId);
    if (at >= 0) start = Math.max(0, Math.min(total - MAX_ITEMS, at - MAX_ITEMS / 2));
  }
  const shown = chosen.slice(start, start + MAX_ITEMS);
  const arrows: LadderArrow[] = [];
  const notes: LadderNote[] = [];
  const breaks: LadderBreak[] = [];
  if (shown.length === 0) return { arrows, notes, breaks, height: LADDER_TOP + 40, pxPerMs, omitted, total };

  const t0 = shown[0].t;
  // The vertical axis is time (PX_PER_MS), except that items within a few ms stay
  // MIN_GAP apart, and long idle stretches are cut short with a break mark.
  const MIN_GAP = minGapFor(slant);
  let prevY = LADDER_TOP + 6 - MIN_GAP;
  let prevNote = false;
  let prevT = t0;
  let last: LadderArrow | null = null;
  let bottom = prevY;
  for (const m of shown) {
    const dt = m.t - t0;
    let gap = (m.t - prevT) * pxPerMs;
    if (gap > MAX_GAP_PX) {
      breaks.push({ y: prevY + Math.max(MIN_GAP, BREAK_PX) / 2 + 6, ms: m.t - prevT });
      gap = BREAK_PX + MIN_GAP / 2;
    }
    // below a note's pill (half of NOTE_H) an arrow's label needs its own line of room
    let y = prevY + Math.max(MIN_GAP + (prevNote ? NOTE_H / 2 : 0), gap);
    if (m.kind === 'event' || m.dir === 'none') {
      if (last) y = Math.max(y, last.y2 + 9);
      notes.push({ id: m.id, y, dt, label: m.summary });
    } else {
      // A reply leaves after the request it answers has arrived.
      if (last && last.dir !== m.dir) y = Math.max(y, last.y2 + 6);
      const arrow: LadderArrow = { id: m.id, dir: m.dir, y1: y, y2: y + slant, dt, label: m.summary, size: m.size };
      arrows.push(arrow);
      last = arrow;
    }
    prevY = y;
    prevNote = m.kind === 'event' || m.dir === 'none';
    prevT = m.t;
    bottom = Math.max(bottom, y, last ? last.y2 : 0);
  }
  return { arrows, notes, breaks, height: bottom + 10, pxPerMs, omitted, total };
}

/**
 * The baseline of an arrow's label, centred between the lifelines and `labelWidth` wide:
 * wholly above its own sloping line (its highest point under the label, less a clearance),
 * so the line never runs through the letters. With minGapFor's spacing, the arrow above
 * stays clear of the letters too.
 */
export function labelBaseline(a: Pick<LadderArrow, 'y1' | 'y2'>, span: number, labelWidth: number): number {
  const mid = (a.y1 + a.y2) / 2;
  const covered = Math.min(1, labelWidth / Math.max(1, span));
  return mid - ((a.y2 - a.y1) * covered) / 2 - LABEL_CLEAR;
}

/** Shortens a label to about `maxChars` characters. */
export function truncate(text: string, maxChars: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  if (oneLine.length <= maxChars) return oneLine;
  return oneLine.slice(0, Math.max(1, maxChars - 1)) + '…';
}
