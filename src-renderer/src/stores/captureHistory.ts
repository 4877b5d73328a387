/**
 * The capture's history paged in behind the newest page the inspector shows first: older
 * pages, newest first, HISTORY_PAGE rows each (binary frames in the browser,
 * src-main/lab/capture/page-frame.ts), each one decoded and filtered in a few milliseconds,
 * the page yielding between them so the list stays responsive. `olderPending` (the lab's
 * count less what has arrived, exact once it is 0) lets the count and the scrollbar be the
 * whole capture's from the first page on.
 */
import { ref } from 'vue';
import type { CaptureSummary } from '../api/types';
import { FIRST_PAGE } from '../api/earlyLink';

/** the first page, asked for by the page's first module as it opens the lab's socket */
export { FIRST_PAGE };
export const HISTORY_PAGE = 10_000;

export interface HistorySource {
  /** the oldest row the page holds (undefined: none) */
  oldest(): number | undefined;
  /** how many more rows the page may hold (the capture's limit less what it holds) */
  room(): number;
  /** the newest `limit` rows before `beforeId` */
  read(beforeId: number, limit: number): Promise<CaptureSummary[]>;
  /** an older page, to put in front of the rows */
  put(page: CaptureSummary[]): void;
}

export function useHistoryPages(source: HistorySource) {
  const olderPending = ref(0);
  /** a fresh load or a clear: the pager of an earlier one stops */
  let epoch = 0;

  /** the first page came (`count` rows of the lab's `stored`): how many older ones are still to come */
  function started(count: number, stored: number): void {
    epoch++;
    olderPending.value = count < FIRST_PAGE ? 0 : Math.max(0, Math.min(stored, count + source.room()) - count);
  }

  function stop(): void {
    epoch++;
    olderPending.value = 0;
  }

  /** Older pages until the lab has no more, the page is full, or a clear or a fresh load. The
   *  next page is asked for as soon as one arrives, before it is put in: the lab builds it
   *  while the page works this one in. */
  async function older(): Promise<void> {
    const mine = epoch;
    const ask = (before: number | undefined, room: number) => {
      const limit = Math.min(HISTORY_PAGE, room);
      if (before === undefined || limit <= 0 || olderPending.value === 0) return null;
      return { before, limit, page: source.read(before, limit).catch(() => null) };
    };
    try {
      let next = ask(source.oldest(), source.room());
      while (next) {
        const { before, limit } = next;
        const page = await next.page;
        // a clear or a fresh load while paging makes the page stale
        if (!page || page.length === 0 || mine !== epoch || source.oldest() !== before) return;
        const more = page.length < limit ? 0 : Math.max(0, olderPending.value - page.length);
        next = more > 0 ? ask(page[0].id, source.room() - page.length) : null;
        source.put(page);
        olderPending.value = more;
        await new Promise((r) => setTimeout(r, 0));
      }
    } finally {
      if (mine === epoch) olderPending.value = 0;
    }
  }

  return { olderPending, started, stop, older };
}
