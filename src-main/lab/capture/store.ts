/**
 * The capture: every message that crosses a lab socket, in a bounded ring, delivered to
 * listeners in batches (the UI gets a few batches a second, never one event per message).
 */
import { performance } from 'node:perf_hooks';
import type {
  CaptureBatch,
  CaptureDetail,
  CaptureKind,
  CaptureQuery,
  CaptureSettings,
  CaptureSummary,
  ConnectionInfo,
  Direction,
  Endpoint,
  Transport,
} from '../api';
import { decoderFor } from './decoders';
import { ByteArena } from './byte-arena';
import { HEAD_BYTES, MessageTable, type SummaryText } from './table';
import { summaryMatcher } from './search-words';
import { evaluate, parseFilter } from './field-filter';
import { fieldSource } from './field-values';
import { CaptureBatches } from './batches';
import { TrafficCounters, type ServiceTraffic } from './traffic-counters';
import { TraceRow } from './trace-row';
import { listRange } from './page-frame';
import { SummaryRepeats } from './summary-repeats';
import type { MessageWithBytes, ScanRow, RecordInput } from './store-types';

/** Bytes kept per message; a larger read is stored cut, and says so. */
export const MAX_STORED_BYTES = 64 * 1024;
/** All the capture's bytes together stay under this (the ring bounds the message count). */
export const DEFAULT_ARENA_BYTES = 64 * 1024 * 1024;
const MAX_CLOSED_CONNECTIONS = 20_000;
/** a note this long or shorter encodes into at most HEAD_BYTES (UTF-8: 3 bytes per UTF-16 unit at most) */
const NOTE_IN_PLACE = Math.floor(HEAD_BYTES / 3);

/** The row's channel (service, protocol, transport) rides on its connection under a symbol
 *  key, which JSON and structured clone leave out. */
const CHANNEL = Symbol('capture channel');
const TRAFFIC = Symbol('traffic counters');
type Conn = ConnectionInfo & { [CHANNEL]?: number; [TRAFFIC]?: ServiceTraffic };

export type { MessageWithBytes, ScanRow, RecordInput } from './store-types';

export class CaptureStore {
  enabled = true;
  /** octets and messages per service, counted with the capture on or off (the SNMP agent's interface counters) */
  readonly traffic = new TrafficCounters();
  /** grows each time a connection opens or closes (the SNMP agent's tcpConnTable is rebuilt when it moves) */
  connectionChanges = 0;
  /** read by the UI's frame feed (batch-frame-feed.ts) as well */
  readonly table: MessageTable;
  private arena: ByteArena;
  private nextConn = 1;
  private connections = new Map<number, ConnectionInfo>();
  /** the ids of the last MAX_CLOSED_CONNECTIONS closed connections; closedCount: closed ever */
  private closedRing = new Float64Array(MAX_CLOSED_CONNECTIONS);
  private closedCount = 0;
  private batches = new CaptureBatches({ lastId: () => this.table.lastId, rows: (from, to, keep) => this.rows(from, to, keep) });
  private readonly origin = performance.now();
  /** the wall-clock time (ms since 1970) of the capture's time 0 */
  readonly epochMs = performance.timeOrigin + this.origin;
  readonly summarize = (slot: number): string => this.computeSummary(slot);
  /** a repeated short message's summary, worked out once (summary-repeats.ts) */
  private readonly repeats = new SummaryRepeats();
  /** where a short note's text is encoded before its row's head takes it */
  private readonly noteBytes = Buffer.allocUnsafe(HEAD_BYTES);
  /** the row object eachTraceRow moves from row to row */
  private liveRow: TraceRow | null = null;

  constructor(limit = 200_000, arenaBytes = DEFAULT_ARENA_BYTES) {
    this.table = new MessageTable(limit);
    this.arena = new ByteArena(arenaBytes);
  }

  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }

  /** Batches of what was captured (batches.ts); `wants`: only these services' messages. */
  onBatch(fn: (batch: CaptureBatch) => void, wants?: (service: string) => boolean): () => void {
    return this.batches.listen(fn, wants);
  }

  /** Told, every batch, that something was recorded (no rows built, the connections that changed): a reader of the store's own. */
  onRecorded(fn: (batch: CaptureBatch) => void): () => void {
    return this.batches.listen(fn, undefined, false);
  }

  openConnection(info: { transport: Transport; service: string; protocol: string; client: Endpoint; server: Endpoint }): ConnectionInfo {
    // written out, not spread, and with its channel and counters from the start: one shape for every connection
    const { transport, service, protocol, client, server } = info;
    const conn: Conn = { id: this.nextConn++, opened: this.now(), transport, service, protocol, client, server, [CHANNEL]: this.table.channel(service, protocol, transport), [TRAFFIC]: this.traffic.of(service) };
    this.traffic.opened(conn[TRAFFIC]!, transport);
    this.connections.set(conn.id, conn);
    this.connectionChanges++;
    this.touch(conn);
    return conn;
  }

  closeConnection(conn: ConnectionInfo): void {
    if (conn.closed !== undefined) return;
    conn.closed = this.now();
    this.connectionChanges++;
    this.touch(conn);
    // past the cap each close forgets the oldest: a ring, not an array of 20,000 ids shifted per close
    const at = this.closedCount++ % MAX_CLOSED_CONNECTIONS;
    if (this.closedCount > MAX_CLOSED_CONNECTIONS) this.connections.delete(this.closedRing[at]);
    this.closedRing[at] = conn.id;
  }

  /** A connection learned a name (the terminal said who it is): tell the UI. */
  touch(conn: ConnectionInfo): void {
    this.batches.touched(conn);
  }

  /** A lab client said who is behind its local port (a terminal tab, the host it dialled):
   *  label the open connection from that port (to the port it dialled, when that is known),
   *  whichever of the two learned it first. */
  labelClient(port: number, names: { client: Partial<Endpoint>; server: Partial<Endpoint> }, dialled?: number): void {
    for (const conn of this.openConnections()) {
      if (conn.client.port === port && conn.client.address.endsWith('127.0.0.1') && (dialled === undefined || conn.server.port === dialled)) {
        Object.assign(conn.client, names.client);
        Object.assign(conn.server, names.server);
        this.touch(conn);
      }
    }
  }

  openConnections(): ConnectionInfo[] {
    return [...this.connections.values()].filter((c) => c.closed === undefined);
  }

  /** Records one message; returns its id (null while capture is off). */
  record(input: RecordInput): number | null {
    return this.put(input.conn, input.dir, input.kind, input.bytes, input.whole === true, input.keep, input.summary);
  }

  /**
   * record() with the fields as arguments: a tap records each read through here, with no
   * object made per record (a saturated SMTP listener records ~17 rows a message).
   */
  put(c: ConnectionInfo, dir: Direction, kind: CaptureKind, data: Buffer, whole: boolean, keepAt: number | undefined, summary: SummaryText | undefined): number | null {
    const conn = c as Conn;
    this.traffic.count((conn[TRAFFIC] ??= this.traffic.of(conn.service)), conn.transport, kind, whole, dir, data.length);
    if (!this.enabled) return null;
    const keep = Math.min(MAX_STORED_BYTES, this.arena.capacity, keepAt ?? Infinity);
    const bytes = data.length > keep ? data.subarray(0, keep) : data;
    const channel = (conn[CHANNEL] ??= this.table.channel(conn.service, conn.protocol, conn.transport));
    // a message that fits the row's head (most commands and replies) is not copied twice
    const at = bytes.length > HEAD_BYTES ? this.arena.put(bytes) : -1;
    const id = this.table.push(this.now(), channel, conn.id, dir, kind, data.length, at, bytes.length, whole, summary, bytes);
    this.batches.recorded(id, conn.service);
    return id;
  }

  /** Notes of the capture itself: opened, closed, dropped by the link, refused input. Their
   *  bytes are the text: a short one is encoded straight into the row's head (no Buffer made
   *  per note); nothing is encoded while the capture is off (a note is not traffic). */
  note(c: ConnectionInfo, dir: Direction, text: string, bytes?: Buffer): void {
    if (!this.enabled) return;
    if (bytes || text.length > NOTE_IN_PLACE) {
      this.put(c, dir, 'event', bytes ?? Buffer.from(text), false, undefined, text);
      return;
    }
    const conn = c as Conn;
    const n = this.noteBytes.write(text);
    const channel = (conn[CHANNEL] ??= this.table.channel(conn.service, conn.protocol, conn.transport));
    const id = this.table.push(this.now(), channel, conn.id, dir, 'event', n, -1, n, false, text, this.noteBytes, n);
    this.batches.recorded(id, conn.service);
  }

  list(afterId: number, limit: number): CaptureSummary[] {
    return this.rows(...listRange(this.table, { afterId, limit }));
  }

  history(beforeId: number, limit: number): CaptureSummary[] {
    return this.rows(...listRange(this.table, { beforeId, limit }));
  }

  /** Rows with ids in [from, to), oldest first; `keep`: only these services' (no row built for the rest). */
  private rows(from: number, to: number, keep?: (service: string) => boolean): CaptureSummary[] {
    const out: CaptureSummary[] = [];
    for (let id = from; id < to; id++) {
      const slot = this.table.slotOf(id);
      if (slot >= 0 && (!keep || keep(this.table.channelAt(slot).service))) out.push(this.table.row(slot, this.summarize));
    }
    return out;
  }

  allConnections(): ConnectionInfo[] {
    return [...this.connections.values()];
  }

  /** The newest connection a service accepted from a lab client's port, and its first message
   *  (not the "opened" note): what a lab client that just talked to it shows in the inspector. */
  clientExchange(service: string, clientPort: number): { conn: number | null; firstId: number | null } {
    const conn = this.allConnections()
      .filter((c) => c.service === service && c.client.port === clientPort)
      .at(-1);
    if (!conn) return { conn: null, firstId: null };
    const firstId = this.match({ conn: conn.id, kind: 'message' }, 0).find((id) => this.list(id - 1, 1)[0]?.kind !== 'event') ?? null;
    return { conn: conn.id, firstId };
  }

  detail(id: number): CaptureDetail | null {
    const slot = this.table.slotOf(id);
    if (slot < 0) return null;
    const m = this.table.row(slot, this.summarize);
    const bytes = this.bytesOf(slot) ?? Buffer.alloc(0);
    const fields =
      m.kind === 'event' ? [{ name: 'Note', value: m.summary }] : decoderFor(m.protocol).decode(m.kind, m.dir, bytes);
    return {
      ...m,
      bytes: bytes.toString('base64'),
      truncated: m.size > bytes.length,
      ...(bytes.length === 0 && m.size > 0 && m.kind !== 'event' ? { bytesDropped: true } : {}),
      fields,
      connection: this.connections.get(m.conn),
    };
  }

  settings(): CaptureSettings {
    return { enabled: this.enabled, limit: this.table.limit, stored: this.table.held, evicted: this.table.evicted };
  }

  configure(patch: { enabled?: boolean; limit?: number }): CaptureSettings {
    if (patch.enabled !== undefined) this.enabled = patch.enabled;
    if (patch.limit !== undefined && patch.limit !== this.table.limit) this.table.resize(patch.limit);
    return this.settings();
  }

  /** A message's bytes: from the row's head when they fit it, else from the arena (null once
   *  the arena has reused them). */
  /** the bytes kept of the row at `slot` copied into `out` at `to`: how many (0 once the arena let them go) */
  private copyBytes(slot: number, out: Uint8Array, to: number): number {
    const t = this.table;
    const kept = t.keptOf(slot);
    if (kept <= HEAD_BYTES) return t.copyHead(slot, out, to);
    return this.arena.copyOut(t.arenaAt(slot), kept, out, to) ? kept : 0;
  }

  /** `view`: no copy, good until the next record (a reader that copies at once, as a trace's writer does) */
  private bytesOf(slot: number, view = false): Buffer | null {
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

  clear(): CaptureSettings {
    this.table.clear();
    this.arena.clear();
    this.batches.cleared();
    return this.settings();
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

  connection(id: number): ConnectionInfo | undefined {
    return this.connections.get(id);
  }

  flush(): void {
    this.batches.flush();
  }
}

/** The inspector's Chunks / Messages views: capture notes show in both; a UDP datagram is
 *  both a chunk and a message, and so is a TCP message that one read delivered whole. */
export function inKindView(view: CaptureKind, m: Pick<CaptureSummary, 'kind' | 'transport' | 'whole'>): boolean {
  return m.kind === view || m.kind === 'event' || m.transport === 'udp' || (view === 'chunk' && m.whole === true);
}

