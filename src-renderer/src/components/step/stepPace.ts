/** Step mode's playback pace: a multiple of the captured timing, or one message a second. */
import type { CaptureSummary } from '../../api/types';

export const SPEEDS = [
  { id: '0.5x', label: '0.5×', factor: 0.5 },
  { id: '1x', label: '1×', factor: 1 },
  { id: '2x', label: '2×', factor: 2 },
  { id: '5x', label: '5×', factor: 5 },
  { id: '1ps', label: '1 msg/s', factor: 0 },
] as const;
export type SpeedId = (typeof SPEEDS)[number]['id'];

/** a long idle time in the capture is played as this at most (the stamps keep the real times) */
export const MAX_GAP_MS = 2000;
/** and a burst no faster than this, so each message is seen */
const MIN_GAP_MS = 60;

/** How long to wait before showing `next` after `cur`, at `speed`. */
export function playDelay(cur: CaptureSummary, next: CaptureSummary, speed: SpeedId): number {
  const s = SPEEDS.find((x) => x.id === speed) ?? SPEEDS[1];
  if (s.factor === 0) return 1000;
  return Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, (next.t - cur.t) / s.factor));
}
