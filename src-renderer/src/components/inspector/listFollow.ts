/**
 * Where the message list's view goes as rows come: it follows the tail while the user is at
 * the bottom (`pinned`); scrolled up, it counts the rows that arrived below (`unseen`) and
 * stays on the rows it shows when older history is put in front of them (a page of history,
 * stores/captureHistory.ts, or the rows kept for it, `lead`, growing fewer).
 */
import { nextTick, ref, watch, type Ref } from 'vue';
import type { CaptureSummary } from '../../api/types';

export function useListFollow(o: {
  viewport: Ref<HTMLElement | null>;
  scrollTop: Ref<number>;
  rowH: number;
  /** the rows the filter shows, and how many */
  rows: () => readonly CaptureSummary[];
  total: Ref<number>;
  /** rows kept in front of the first for history still to come */
  lead: Ref<number>;
}) {
  const pinned = ref(true);
  /** rows that arrived while the user was scrolled up */
  const unseen = ref(0);

  function scrollToBottom(): void {
    const el = o.viewport.value;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    o.scrollTop.value = el.scrollTop;
  }

  function jumpToEnd(): void {
    pinned.value = true;
    unseen.value = 0;
    scrollToBottom();
  }

  function onScroll(): void {
    const el = o.viewport.value;
    if (!el) return;
    o.scrollTop.value = el.scrollTop;
    pinned.value = el.scrollTop + el.clientHeight >= el.scrollHeight - o.rowH;
    if (pinned.value) unseen.value = 0;
  }

  /** the first row when last drawn: older rows put in front of it move the view by as many */
  let firstShown: CaptureSummary | undefined;
  watch([o.total, o.lead], async ([now, leadNow], [before, leadBefore]) => {
    const list = o.rows();
    let front = 0;
    if (firstShown && list[0] !== firstShown && (leadNow > 0 || leadBefore > 0)) front = Math.max(0, list.indexOf(firstShown));
    firstShown = list[0];
    if (!pinned.value) {
      if (now - before - front > 0) unseen.value += now - before - front;
      const shift = front + leadNow - leadBefore;
      if (shift === 0) return;
      await nextTick();
      const el = o.viewport.value;
      if (!el) return;
      el.scrollTop += shift * o.rowH;
      o.scrollTop.value = el.scrollTop;
      return;
    }
    unseen.value = 0;
    await nextTick();
    scrollToBottom();
  });

  return { pinned, unseen, scrollToBottom, jumpToEnd, onScroll };
}
