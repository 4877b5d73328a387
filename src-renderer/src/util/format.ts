import type { Direction } from '../api/types';
import { currentLocale, INTL_TAG, type Locale } from '../i18n/locale';
import { t } from '../i18n';

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
  return t(dir === 'c2s' ? 'common.dir.c2s' : dir === 's2c' ? 'common.dir.s2c' : 'common.dir.event');
}

/*
 * Dates, clock times and counts in the UI's language (the switch in the header), whatever the
 * browser's own locale: one format for one thing everywhere (a de-DE browser reads
 * "Dec 5, 2026, 07:16:59" in the Mail list and in the message alike, not "5.12.2026" inside an
 * English sentence; in Chinese, "2026年12月5日 07:16:59"). Each formatter is made once per
 * language, when first used: a date format costs the page's first paint tens of milliseconds
 * (the inspector's count, the first thing formatted, needs only the number format).
 */
type Formats = { dateTime: Intl.DateTimeFormat; clock: Intl.DateTimeFormat; count: Intl.NumberFormat };
const made = new Map<Locale, Partial<Formats>>();
const MAKE: { [K in keyof Formats]: (tag: string) => Formats[K] } = {
  dateTime: (tag) => new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  clock: (tag) => new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  count: (tag) => new Intl.NumberFormat(tag),
};
function fmt<K extends keyof Formats>(kind: K): Formats[K] {
  const l = currentLocale.value;
  let f = made.get(l);
  if (!f) made.set(l, (f = {}));
  return (f[kind] ??= MAKE[kind](INTL_TAG[l]));
}

/** the BCP 47 tag of the UI's language, for the odd Intl call a view makes itself */
export function uiLocaleTag(): string {
  return INTL_TAG[currentLocale.value];
}

const toDate = (when: number | string | Date): Date | null => {
  const d = when instanceof Date ? when : new Date(typeof when === 'string' ? Date.parse(when) : when);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "Dec 5, 2026, 07:16:59"; a date string that does not parse is shown as it is. */
export function formatDateTime(when: number | string | Date): string {
  const d = toDate(when);
  return d ? fmt('dateTime').format(d) : String(when);
}

/** "07:16:59" */
export function formatClock(when: number | string | Date): string {
  const d = toDate(when);
  return d ? fmt('clock').format(d) : String(when);
}

/** "12,345" */
export function formatCount(n: number): string {
  return fmt('count').format(n);
}
