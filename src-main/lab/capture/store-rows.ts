/**
 * The capture's rows as they are read: pages of the list, one message's bytes and summary,
 * the queries of the display filter and the statistics, and the rows a trace file is written
 * from. The ring (table.ts) and the bytes kept beside it (byte-arena.ts) are held here; the
 * store (store.ts) is what records into them.
 */
import type { CaptureKind, CaptureQuery, CaptureSummary } from '../api';
import { decoderFor } from './decoders';
import { ByteArena } from './byte-arena';
import { HEAD_BYTES, MessageTable } from './table';
import { summaryMatcher } from './search-words';
import { evaluate, parseFilter } from './field-filter';
import { fieldSource } from './field-values';
import { TraceRow } from './trace-row';
import { listRange } from './page-frame';
import { SummaryRepeats } from './summary-repeats';
import type { MessageWithBytes, ScanRow } from './store-types';

export class CaptureRows {
  /** read by the UI's frame feed (batch-frame-feed.ts) as well */
  readonly table: MessageTable;
  protected arena: ByteArena;
  readonly summarize = (slot: number): string => this.computeSummary(slot);
  /** a repeated short message's summary, worked out once (summary-repeats.ts) */
  private readonly repeats = new SummaryRepeats();
  /** the row object eachTraceRow moves from row to row */
  private liveRow: TraceRow | null = null;

  constructor(limit: number, arenaBytes: number) {
    this.table = new MessageTable(limit);
    this.arena = new ByteArena(arenaBytes);
  }

  list(afterId: number, limit: number): CaptureSummary[] {
    return this.rows(...listRange(this.table, { afterId, limit }));
  }

  history(beforeId: number, limit: number): CaptureSummary[] {
    return this.rows(...listRange(this.table, { beforeId, limit }));
  }

  /** Rows with ids in [from, to), oldest first; `keep`: only these services' (no row built for the rest). */
  protected rows(from: number, to: number, keep?: (service: string) => boolean): CaptureSummary[] {
    const out: CaptureSummary[] = [];
    for (let id = from; id < to; id++) {
      const slot = this.table.slotOf(id);
      if (slot >= 0 && (!keep || keep(this.table.channelAt(slot).service))) out.push(this.table.row(slot, this.summarize));
    }
    return out;
  }

  /** the bytes kept of the row at `slot` copied into `out` at `to`: how many (0 once the arena let them go) */
  private copyBytes(slot: number, out: Uint8Array, to: number): number {
    const t = this.table;
    const kept = t.keptOf(slot);
    if (kept <= HEAD_BYTES) return t.copyHead(slot, out, to);
    return this.arena.copyOut(t.arenaAt(slot), kept, out, to) ? kept : 0;
  }

  /** A message's bytes: from the row's head when they fit it, else from the arena (null once
   *  the arena has reused them). `view`: no copy, good until the next record (a reader that
   *  copies at once, as a trace's writer does) */
  protected bytesOf(slot: number, view = false): Buffer | null {
    const { at, kept } = this.table.bytesAt(slot);
    if (kept <= HEAD_BYTES) return this.table.headOf(slot, view);
    return this.arena.get(at, kept, view);
  }

  /** The decoder's one-line summary, from the full bytes while the arena holds them, else
   *  from the row's first bytes. */
  private computeSummary(slot: number): string {
    const t = this.table;
    const key = this.repeats.key(t, slot);
    const again = this.repeats.get(t, slot, key);
    if (again !== undefined) return again;
    const channel = t.channelAt(slot);
    // views, not copies: the decoder reads them at once and keeps a string
    const bytes = this.bytesOf(slot, true) ?? t.headOf(slot, true);
    const text = decoderFor(channel.protocol).summarize(t.kind(slot), t.dir(slot), bytes);
    this.repeats.remember(t, slot, key, text);
    return text;
  }

  *query(q: CaptureQuery): IterableIterator<MessageWithBytes> {
    for (const slot of this.slots(q, 0)) yield this.withBytes(slot);
  }

  /** The ids of the query's messages after `afterId` (the inspector's display filter). */
  match(q: CaptureQuery, afterId: number): number[] {
    const ids: number[] = [];
    for (const slot of this.slots(q, afterId)) ids.push(this.table.idOf(slot));
    return ids;
  }

  /** What a query selects as light rows for aggregation (statistics): no summary, no copy of
   *  the bytes unless asked for. */
  *scan(q: CaptureQuery): IterableIterator<ScanRow> {
    const t = this.table;
    for (const slot of this.slots(q, 0)) {
      const channel = t.channelAt(slot);
      yield {
        t: t.timeOf(slot),
        conn: t.connOf(slot),
        service: channel.service,
        protocol: channel.protocol,
        transport: channel.transport,
        dir: t.dir(slot),
        kind: t.kind(slot),
        size: t.sizeOf(slot),
        whole: t.whole(slot),
        bytes: () => this.bytesOf(slot) ?? t.headOf(slot),
      };
    }
  }

  /** the query's slots, oldest first (a summary is worked out only for a text filter); a bad
   *  filter throws FilterError before the first */
  private *slots(q: CaptureQuery, afterId: number): IterableIterator<number> {
    const text = q.text ? summaryMatcher(q.text) : undefined;
    const expr = q.filter?.trim() ? parseFilter(q.filter) : undefined;
    const t = this.table;
    for (let i = 0; i < t.held; i++) {
      const slot = t.slotAt(i);
      if (afterId && t.idOf(slot) <= afterId) continue;
      if (q.service && t.channelAt(slot).service !== q.service) continue;
      if (q.conn && t.connOf(slot) !== q.conn) continue;
      if (q.kind && !inKindView(q.kind, { kind: t.kind(slot), transport: t.transport(slot), whole: t.whole(slot) })) continue;
      if (text && !text(t.summary(slot, this.summarize))) continue;
      if (expr && !this.fieldsMatch(slot, expr)) continue;
      yield slot;
    }
  }

  private fieldsMatch(slot: number, expr: ReturnType<typeof parseFilter>): boolean {
    const t = this.table;
    const channel = t.channelAt(slot);
    const bytes = this.bytesOf(slot) ?? t.headOf(slot);
    const row = { protocol: channel.protocol, transport: channel.transport, kind: t.kind(slot), dir: t.dir(slot), conn: t.connOf(slot), bytes };
    return evaluate(expr, fieldSource(row));
  }

  private withBytes(slot: number): MessageWithBytes {
    const m = this.table.row(slot, this.summarize);
    const bytes = this.bytesOf(slot) ?? Buffer.alloc(0);
    return { ...m, bytes, truncated: m.size > bytes.length };
  }

  /**
   * The messages of a service or connection (or all) after `afterId`, oldest first, for a trace file: by id,
   * so records arriving meanwhile (an export waiting for its reader) neither shift nor repeat
   * rows. No decoder runs and nothing is cached per row: a capture note keeps its text, a
   * message's summary is left empty (a trace carries bytes, not summaries). One row object
   * moves from row to row (trace-row.ts): the reader takes what it needs before the next.
   */
  *traceRows(q: Pick<CaptureQuery, 'service' | 'conn'>, afterId = 0): IterableIterator<TraceRow> {
    const t = this.table;
    const last = t.lastId;
    const row = this.newTraceRow();
    for (let id = Math.max(t.firstId, afterId + 1); id <= last; id++) {
      const slot = t.slotOf(id);
      if (slot < 0) continue;
      if ((q.service && t.channelAt(slot).service !== q.service) || (q.conn && t.connOf(slot) !== q.conn)) continue;
      yield row.at(id, slot);
    }
  }

  /**
   * Every row after `afterId`, oldest first, handed to `each` as traceRows gives them, in a
   * plain loop (no generator, no object per row: one row object kept for it): the live
   * pcapng writer reads every row the lab records. Returns the last id handed (`afterId` if none).
   */
  eachTraceRow(afterId: number, each: (row: TraceRow) => void): number {
    const t = this.table;
    const last = t.lastId;
    const row = (this.liveRow ??= this.newTraceRow());
    let done = afterId;
    for (let id = Math.max(t.firstId, afterId + 1); id <= last; id++) {
      const slot = t.slotOf(id);
      if (slot < 0) continue;
      each(row.at(id, slot));
      done = id;
    }
    return done;
  }

  private newTraceRow(): TraceRow {
    return new TraceRow(this.table, (slot) => this.bytesOf(slot, true), this.summarize, (slot, out, to) => this.copyBytes(slot, out, to));
  }

  /** One message's stored bytes by id (null once evicted or reused): the lab's checks read them. */
  bytes(id: number): Buffer | null {
    const slot = this.table.slotOf(id);
    return slot < 0 ? null : this.bytesOf(slot);
  }
}

/** The inspector's Chunks / Messages views: capture notes show in both; a UDP datagram is
 *  both a chunk and a message, and so is a TCP message that one read delivered whole. */
export function inKindView(view: CaptureKind, m: Pick<CaptureSummary, 'kind' | 'transport' | 'whole'>): boolean {
  return m.kind === view || m.kind === 'event' || m.transport === 'udp' || (view === 'chunk' && m.whole === true);
}
