/**
 * The capture: every message that crosses a lab socket, in a bounded ring, delivered to
 * listeners in batches (the UI gets a few batches a second, never one event per message).
 * How the rows are read back (pages, bytes, queries, trace rows) is store-rows.ts.
 */
import { performance } from 'node:perf_hooks';
import type { CaptureBatch, CaptureDetail, CaptureKind, CaptureSettings, ConnectionInfo, Direction, Endpoint, Transport } from '../api';
import { decoderFor } from './decoders';
import { HEAD_BYTES, type SummaryText } from './table';
import { CaptureBatches } from './batches';
import { TrafficCounters, type ServiceTraffic } from './traffic-counters';
import { CaptureRows } from './store-rows';
import type { RecordInput } from './store-types';

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

/** The capture as the lab writes it: connections opened and closed, messages and notes recorded, batches told. */
export class CaptureStore extends CaptureRows {
  enabled = true;
  /** octets and messages per service, counted with the capture on or off (the SNMP agent's interface counters) */
  readonly traffic = new TrafficCounters();
  /** grows each time a connection opens or closes (the SNMP agent's tcpConnTable is rebuilt when it moves) */
  connectionChanges = 0;
  private nextConn = 1;
  private connections = new Map<number, ConnectionInfo>();
  /** the open ones among them, kept apart: the map holds up to 20,000 closed ones as well */
  private open = new Set<ConnectionInfo>();
  /** the ids of the last MAX_CLOSED_CONNECTIONS closed connections; closedCount: closed ever */
  private closedRing = new Float64Array(MAX_CLOSED_CONNECTIONS);
  private closedCount = 0;
  private batches = new CaptureBatches({ lastId: () => this.table.lastId, rows: (from, to, keep) => this.rows(from, to, keep) });
  private readonly origin = performance.now();
  /** the wall-clock time (ms since 1970) of the capture's time 0 */
  readonly epochMs = performance.timeOrigin + this.origin;
  /** where a short note's text is encoded before its row's head takes it */
  private readonly noteBytes = Buffer.allocUnsafe(HEAD_BYTES);

  constructor(limit = 200_000, arenaBytes = DEFAULT_ARENA_BYTES) {
    super(limit, arenaBytes);
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
    this.open.add(conn);
    this.connectionChanges++;
    this.touch(conn);
    return conn;
  }

  closeConnection(conn: ConnectionInfo): void {
    if (conn.closed !== undefined) return;
    conn.closed = this.now();
    this.open.delete(conn);
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
    for (const conn of this.open) {
      if (conn.client.port === port && conn.client.address.endsWith('127.0.0.1') && (dialled === undefined || conn.server.port === dialled)) {
        Object.assign(conn.client, names.client);
        Object.assign(conn.server, names.server);
        this.touch(conn);
      }
    }
  }

  openConnections(): ConnectionInfo[] {
    return [...this.open];
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

  clear(): CaptureSettings {
    this.table.clear();
    this.arena.clear();
    this.batches.cleared();
    return this.settings();
  }

  connection(id: number): ConnectionInfo | undefined {
    return this.connections.get(id);
  }

  flush(): void {
    this.batches.flush();
  }
}
