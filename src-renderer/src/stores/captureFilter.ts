import type { CaptureKind, CaptureQuery, CaptureSummary } from '../api/types';
import { summaryMatcher } from '../../../src-main/lab/capture/search-words';
import { looksLikeFilter } from '../../../src-main/lab/capture/field-filter';

export type KindView = 'chunk' | 'message' | 'both';

export interface CaptureFilter {
  service: string;
  /** a fixed connection to show, or null for all */
  conn: number | null;
  /** show the connection of the selected message (overrides `conn`) */
  followSelected: boolean;
  kind: KindView;
  text: string;
  /** Messages view: a request and its response as one row (as dev tools' Network panel) */
  pairs: boolean;
}

export function emptyFilter(): CaptureFilter {
  return { service: '', conn: null, followSelected: false, kind: 'message', text: '', pairs: true };
}

/**
 * Whether a row of kind `kind` belongs in a chunk/message view. Capture events (open,
 * close, drop) are shown in both. A UDP datagram is both a chunk and a message, so it
 * shows in either view whichever kind the core recorded it as.
 */
export function kindMatches(view: KindView, kind: CaptureKind, transport: string, whole?: boolean): boolean {
  if (view === 'both' || kind === 'event') return true;
  if (transport === 'udp') return true;
  // a TCP message one read delivered exactly is that read's chunk as well
  if (view === 'chunk' && whole) return true;
  return kind === view;
}

/** A compiled predicate for one filter state; `conn` is the effective connection. A text
 *  that is a display filter (`http.status == 304`) selects the ids the core matched,
 *  `fieldIds` (null: not known yet or a mistake in it, so it selects nothing away). */
export function compileFilter(f: CaptureFilter, conn: number | null, fieldIds: ReadonlySet<number> | null = null): (m: CaptureSummary) => boolean {
  const display = looksLikeFilter(f.text);
  const text = display ? '' : f.text.trim();
  const found = summaryMatcher(text);
  const service = f.service;
  const view = f.kind;
  return (m) =>
    (service === '' || m.service === service) &&
    (conn === null || m.conn === conn) &&
    kindMatches(view, m.kind, m.transport, m.whole) &&
    (text === '' || found(m.summary)) &&
    (!display || fieldIds === null || fieldIds.has(m.id));
}

/** The same filter as a server-side query (for export). */
export function toQuery(f: CaptureFilter, conn: number | null): CaptureQuery {
  const q: CaptureQuery = {};
  if (f.service) q.service = f.service;
  if (conn !== null) q.conn = conn;
  if (looksLikeFilter(f.text)) q.filter = f.text.trim().slice(0, 1000);
  else if (f.text.trim()) q.text = f.text.trim().slice(0, 200);
  if (f.kind !== 'both') q.kind = f.kind;
  return q;
}
