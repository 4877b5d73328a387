import type { CaptureSummary } from '../api/types';

/** First index in an id-sorted array whose id is >= id. */
export function lowerBound(rows: readonly CaptureSummary[], id: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
