/** Keyboard and scrolling of the inspector's virtual message list (rows ROW_H px tall). */
import type { useCaptureStore } from '../../stores/capture';

type Capture = ReturnType<typeof useCaptureStore>;

/** Scroll so row `index` is in view: a step when it is just off the edge, centred when it is far off; false: it was in view. */
export function revealRow(el: HTMLElement, index: number, rowH: number): boolean {
  const top = index * rowH;
  if (top >= el.scrollTop && top + rowH <= el.scrollTop + el.clientHeight) return false;
  const near = top >= el.scrollTop - rowH && top + rowH <= el.scrollTop + el.clientHeight + rowH;
  if (near) el.scrollTop = top < el.scrollTop ? top : top + rowH - el.clientHeight;
  else el.scrollTop = Math.max(0, top - (el.clientHeight - rowH) / 2);
  return true;
}

/** Arrow keys move the selection and keep it in view; → and ← open and close a pair row.
 *  `lead`: rows kept in front of the first for history still to come. */
export function listKey(e: KeyboardEvent, capture: Capture, el: HTMLElement | null, rowH: number, lead = 0): void {
  const list = capture.filtered;
  if (list.length === 0) return;
  let index = -1;
  if (capture.selectedId !== null) index = list.findIndex((m) => m.id === capture.selectedId);
  let next = index;
  if (e.key === 'ArrowDown') next = Math.min(list.length - 1, index + 1);
  else if (e.key === 'ArrowUp') next = Math.max(0, index < 0 ? list.length - 1 : index - 1);
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = list.length - 1;
  else if (e.key === 'Escape') {
    capture.select(null);
    return;
  } else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && capture.isGrouped() && capture.selectedId !== null) {
    // open or close the selected pair row, as a tree does
    const ex = capture.exchangeOf(capture.selectedId);
    if (!ex || ex.request.id !== capture.selectedId || (e.key === 'ArrowRight') === capture.isExpanded(ex.request.id)) return;
    e.preventDefault();
    capture.toggleExpanded(ex.request.id);
    return;
  } else return;
  e.preventDefault();
  capture.select(list[next].id);
  if (el) revealRow(el, lead + next, rowH);
}
