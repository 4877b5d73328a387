/**
 * Where the flow graph draws things: the width of a host's lane, the x of its lifeline, an
 * arrow's shaft, head and label. Pure, from the pane's width and the number of hosts.
 */
import { flowLabel, type FlowArrow } from './flowLayout';
import { truncate } from './ladderLayout';

export const ROW_H = 24;
export const HEAD_H = 40;
export const TIME_W = 78;
const COL_MIN = 116;
const COL_MAX = 230;
/** the message column at the right (Wireshark's Comment), when there is room for it */
const SUMMARY_MIN = 200;
/** a character of the 12 px monospace labels (no text under 12 px, WCAG 1.4.4 habits) */
const CHAR_W = 7.3;
/** the arrow's line, under its label */
const Y = 17;

export interface FlowLabel {
  x: number;
  /** shortened to the room it has */
  text: string;
  full: string;
}

export function flowGeometry(width: number, hosts: number) {
  const n = Math.max(1, hosts);
  const colW = Math.round(Math.max(COL_MIN, Math.min(COL_MAX, (width - TIME_W - SUMMARY_MIN) / n)));
  const lanesW = n * colW;
  const summaryW = width - TIME_W - lanesW >= SUMMARY_MIN - 40 ? width - TIME_W - lanesW : 0;
  const xOf = (i: number): number => colW * (i + 0.5);
  return {
    colW,
    lanesW,
    summaryW,
    totalW: Math.max(width, TIME_W + lanesW + summaryW),
    xOf,
    /** The lifelines of a row: a background repeated once per lane, not an element per host and row. */
    laneStyle: {
      width: `${lanesW}px`,
      background: `linear-gradient(to right, transparent calc(50% - 0.75px), var(--ladder-line) calc(50% - 0.75px), var(--ladder-line) calc(50% + 0.75px), transparent calc(50% + 0.75px)) 0 0 / ${colW}px 100% repeat-x`,
    },
    /** The label over an arrow: centred on it, as long as the lanes on either side allow (its halo keeps it readable over a lifeline). */
    label(a: FlowArrow): FlowLabel {
      const x1 = xOf(a.from);
      const x2 = xOf(a.to);
      const mid = a.from === a.to ? x1 + 60 : (x1 + x2) / 2;
      const room = Math.min(Math.abs(x2 - x1) + colW * 1.6, 2 * Math.min(mid, lanesW - mid)) - 8;
      const full = a.tcp ?? flowLabel(a.m);
      return { x: mid, text: truncate(full, Math.max(6, Math.floor(room / CHAR_W))), full };
    },
    /** A message a host sends itself loops back to its own lifeline. */
    shaft(a: FlowArrow): string {
      const x1 = xOf(a.from);
      if (a.from === a.to) return `M ${x1} ${Y - 8} h 16 v 8 h -14`;
      return `M ${x1} ${Y} H ${xOf(a.to) + (a.to > a.from ? -6 : 6)}`;
    },
    head(a: FlowArrow): string {
      const right = a.to > a.from;
      const x = a.from === a.to ? xOf(a.to) + 2 : xOf(a.to) + (right ? -1 : 1);
      const d = right ? -8 : 8;
      return `${x},${Y} ${x + d},${Y - 4} ${x + d},${Y + 4}`;
    },
  };
}
