/** Keyboard and scrolling of the flow graph (rows ROW_H px tall under a sticky header). */
import type { useCaptureStore } from '../../stores/capture';
import type { FlowGraph } from './flowLayout';

type Capture = ReturnType<typeof useCaptureStore>;

/** Scroll so row `index` is in view under the header: a step when it is just off the edge, centred when far off. */
export function revealFlowRow(el: HTMLElement, index: number, rowH: number, headH: number): void {
  const top = index * rowH;
  const room = el.clientHeight - headH;
  if (top >= el.scrollTop && top + rowH <= el.scrollTop + room) return;
  const near = top >= el.scrollTop - rowH && top + rowH <= el.scrollTop + room + rowH;
  if (near) el.scrollTop = top < el.scrollTop ? top : top + rowH - room;
  else el.scrollTop = Math.max(0, top - (room - rowH) / 2);
}

/** ↑/↓ step through the messages (pauses are skipped), PgUp/PgDn a page, Home/End, Esc closes the detail. */
export function flowKey(e: KeyboardEvent, graph: FlowGraph, capture: Capture, page: number): void {
  const rows = graph.rows;
  if (rows.length === 0) return;
  if (e.key === 'Escape') {
    capture.select(null);
    return;
  }
  const at = capture.selectedId === null ? undefined : graph.rowOf.get(capture.selectedId);
  let target: number;
  let step: number;
  if (e.key === 'ArrowDown') [target, step] = [at === undefined ? 0 : at + 1, 1];
  else if (e.key === 'ArrowUp') [target, step] = [at === undefined ? rows.length - 1 : at - 1, -1];
  else if (e.key === 'PageDown') [target, step] = [(at ?? 0) + page, 1];
  else if (e.key === 'PageUp') [target, step] = [(at ?? 0) - page, -1];
  else if (e.key === 'Home') [target, step] = [0, 1];
  else if (e.key === 'End') [target, step] = [rows.length - 1, -1];
  else return;
  e.preventDefault();
  target = Math.max(0, Math.min(rows.length - 1, target));
  // a pause row is not a message: go on past it, or back if the end is one; a connection's
  // SYN/FIN rows are one note, passed over together
  const other = (r: FlowGraph['rows'][number]): boolean => r.kind === 'arrow' && r.m.id !== capture.selectedId;
  for (let i = target; i >= 0 && i < rows.length; i += step) {
    const r = rows[i];
    if (r.kind === 'arrow' && other(r)) return capture.select(r.m.id);
  }
  for (let i = target; i >= 0 && i < rows.length; i -= step) {
    const r = rows[i];
    if (r.kind === 'arrow' && other(r)) return capture.select(r.m.id);
  }
}
