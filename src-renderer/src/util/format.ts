import type { Direction } from '../api/types';

/** ms since lab start → "12.345" seconds. */
export function formatTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** A span of time for a diagram's stamps: "4.2 ms", "350 ms", "12.3 s". */
export function formatElapsed(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function directionArrow(dir: Direction): string {
  return dir === 'c2s' ? '→' : dir === 's2c' ? '←' : '·';
}

export function directionTitle(dir: Direction): string {
  return dir === 'c2s' ? 'client → server' : dir === 's2c' ? 'server → client' : 'capture event';
}

/*
 * Dates, clock times and counts in the UI's language (English), whatever the browser's
 * locale: one format for one thing everywhere (a de-DE browser reads "Dec 5, 2026, 07:16:59"
 * in the Mail list and in the message alike, not "5.12.2026" inside an English sentence).
 */
export const UI_LOCALE = 'en-US';
const DATE_TIME = new Intl.DateTimeFormat(UI_LOCALE, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const CLOCK = new Intl.DateTimeFormat(UI_LOCALE, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const COUNT = new Intl.NumberFormat(UI_LOCALE);

const toDate = (when: number | string | Date): Date | null => {
  const d = when instanceof Date ? when : new Date(typeof when === 'string' ? Date.parse(when) : when);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "Dec 5, 2026, 07:16:59"; a date string that does not parse is shown as it is. */
export function formatDateTime(when: number | string | Date): string {
  const d = toDate(when);
  return d ? DATE_TIME.format(d) : String(when);
}

/** "07:16:59" */
export function formatClock(when: number | string | Date): string {
  const d = toDate(when);
  return d ? CLOCK.format(d) : String(when);
}

/** "12,345" */
export function formatCount(n: number): string {
  return COUNT.format(n);
}
