/**
 * The message list as an ARIA treegrid (WAI-ARIA APG "Treegrid": a request/response pair row
 * opens to show its parts, → and ←): its columns, as the header draws
 * them and a screen reader names them, and the row the grid reports as active. The grid keeps
 * the keyboard focus (its rows are recycled as it scrolls), so the selected row is said through
 * aria-activedescendant rather than by moving the focus.
 */
export const COLUMNS = [
  { id: 'id', label: '#' },
  { id: 'time', label: 'time' },
  { id: 'service', label: 'service' },
  { id: 'conn', label: 'conn' },
  { id: 'dir', label: 'direction' },
  { id: 'kind', label: 'kind' },
  { id: 'size', label: 'size' },
  { id: 'summary', label: 'summary' },
] as const;

/** the element id of the selected row when it is drawn (a virtual list draws only some) */
export function activeRowId(selectedId: number | null, drawn: readonly { m: { id: number } }[]): string | undefined {
  return selectedId !== null && drawn.some((r) => r.m.id === selectedId) ? `inspector-row-${selectedId}` : undefined;
}
