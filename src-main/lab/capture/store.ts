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
import { Ring } from './ring';

/** Bytes kept per message; a larger read is stored cut, and says so. */
export const MAX_STORED_BYTES = 64 * 1024;
/** All the capture's bytes together stay under this (the ring bounds the message count). */
export const DEFAULT_ARENA_BYTES = 64 * 1024 * 1024;
const BATCH_MS = 50;
const MAX_CLOSED_CONNECTIONS = 20_000;

/** Where a message's bytes sit in the arena rides on the summary under a symbol key, which
 *  JSON and structured clone leave out: a stored message is one small object, handed out as
 *  it is to batches and lists, with no Buffer of its own for the collector to trace. */
const AT = Symbol('bytes at');
const KEPT = Symbol('bytes kept');
type StoredMessage = CaptureSummary & { [AT]: number; [KEPT]: number };

export interface MessageWithBytes extends CaptureSummary {
  bytes: Buffer;
  truncated: boolean;
}

export interface RecordInput {
  conn: ConnectionInfo;
  dir: Direction;
  kind: CaptureKind;
  bytes: Buffer;
  /** a summary that replaces the decoder's (capture notes) */
  summary?: string;
  /** a message that one read delivered exactly: it stands for its chunk too */
  whole?: boolean;
}

export class CaptureStore {
  enabled = true;
  private ring: Ring<StoredMessage>;
  private arena: ByteArena;
  private nextId = 1;
  private nextConn = 1;
  private connections = new Map<number, ConnectionInfo>();
  private closedOrder: number[] = [];
  private pending: CaptureSummary[] = [];
  private pendingConns = new Map<number, ConnectionInfo>();
  private timer: NodeJS.Timeout | null = null;
  private listeners = new Set<(batch: CaptureBatch) => void>();
  private readonly origin = performance.now();

  constructor(limit = 200_000, arenaBytes = DEFAULT_ARENA_BYTES) {
    this.ring = new Ring(limit);
    this.arena = new ByteArena(arenaBytes);
  }

  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }

  onBatch(listener: (batch: CaptureBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  openConnection(info: { transport: Transport; service: string; protocol: string; client: Endpoint; server: Endpoint }): ConnectionInfo {
    const conn: ConnectionInfo = { id: this.nextConn++, opened: this.now(), ...info };
    this.connections.set(conn.id, conn);
    this.touch(conn);
    return conn;
  }

  closeConnection(conn: ConnectionInfo): void {
    if (conn.closed !== undefined) return;
    conn.closed = this.now();
    this.touch(conn);
    this.closedOrder.push(conn.id);
    if (this.closedOrder.length > MAX_CLOSED_CONNECTIONS) {
      for (const id of this.closedOrder.splice(0, this.closedOrder.length - MAX_CLOSED_CONNECTIONS)) {
        this.connections.delete(id);
      }
    }
  }

  /** A connection learned a name (the terminal said who it is): tell the UI. */
  touch(conn: ConnectionInfo): void {
    if (this.listeners.size === 0) return;
    this.pendingConns.set(conn.id, conn);
    this.schedule();
  }

  /** A lab client said who is behind its local port (a terminal tab, the host it dialled):
   *  label the open connection from that port, whichever of the two learned it first. */
  labelClient(port: number, names: { client: Partial<Endpoint>; server: Partial<Endpoint> }): void {
    for (const conn of this.openConnections()) {
      if (conn.client.port === port && conn.client.address.endsWith('127.0.0.1')) {
        Object.assign(conn.client, names.client);
        Object.assign(conn.server, names.server);
        this.touch(conn);
      }
    }
  }

  openConnections(): ConnectionInfo[] {
    return [...this.connections.values()].filter((c) => c.closed === undefined);
  }

  record(input: RecordInput): CaptureSummary | null {
    if (!this.enabled) return null;
    const { conn, dir, kind } = input;
    const keep = Math.min(MAX_STORED_BYTES, this.arena.capacity);
    const bytes = input.bytes.length > keep ? input.bytes.subarray(0, keep) : input.bytes;
    const summary: StoredMessage = {
      id: this.nextId++,
      t: this.now(),
      service: conn.service,
      protocol: conn.protocol,
      conn: conn.id,
      transport: conn.transport,
      dir,
      kind,
      size: input.bytes.length,
      summary: input.summary ?? decoderFor(conn.protocol).summarize(kind, dir, bytes),
      [AT]: this.arena.put(bytes),
      [KEPT]: bytes.length,
    };
    if (input.whole) summary.whole = true;
    this.ring.push(summary);
    // nobody watching (no UI open): no batch to build
    if (this.listeners.size > 0) {
      this.pending.push(summary);
      this.schedule();
    }
    return summary;
  }

  /** Notes of the capture itself: opened, closed, dropped by the link, refused input. */
  note(conn: ConnectionInfo, dir: Direction, text: string, bytes?: Buffer): void {
    this.record({ conn, dir, kind: 'event', bytes: bytes ?? Buffer.from(text), summary: text });
  }

  list(afterId: number, limit: number): CaptureSummary[] {
    return this.ring.after(afterId, limit);
  }

  history(beforeId: number, limit: number): CaptureSummary[] {
    return this.ring.before(beforeId, limit);
  }

  allConnections(): ConnectionInfo[] {
    return [...this.connections.values()];
  }

  detail(id: number): CaptureDetail | null {
    const m = this.ring.get(id);
    if (!m) return null;
    const bytes = this.bytesOf(m);
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
    return { enabled: this.enabled, limit: this.ring.limit, stored: this.ring.size, evicted: this.ring.evicted };
  }

  configure(patch: { enabled?: boolean; limit?: number }): CaptureSettings {
    if (patch.enabled !== undefined) this.enabled = patch.enabled;
    if (patch.limit !== undefined && patch.limit !== this.ring.limit) this.ring.resize(patch.limit);
    return this.settings();
  }

  /** A message's bytes, or none once the arena has overwritten them. */
  private bytesOf(m: StoredMessage): Buffer {
    return this.arena.get(m[AT], m[KEPT]) ?? Buffer.alloc(0);
  }

  clear(): CaptureSettings {
    this.ring.clear();
    this.arena.clear();
    this.pending = [];
    return this.settings();
  }

  *query(q: CaptureQuery): IterableIterator<MessageWithBytes> {
    const text = q.text?.toLowerCase();
    for (const m of this.ring) {
      if (q.service && m.service !== q.service) continue;
      if (q.conn && m.conn !== q.conn) continue;
      if (q.kind && !inKindView(q.kind, m)) continue;
      if (text && !m.summary.toLowerCase().includes(text)) continue;
      const bytes = this.bytesOf(m);
      yield { ...m, bytes, truncated: m.size > bytes.length };
    }
  }

  connection(id: number): ConnectionInfo | undefined {
    return this.connections.get(id);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), BATCH_MS);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 && this.pendingConns.size === 0) return;
    const batch: CaptureBatch = { messages: this.pending, connections: [...this.pendingConns.values()] };
    this.pending = [];
    this.pendingConns.clear();
    for (const listener of this.listeners) listener(batch);
  }
}

/** The inspector's Chunks / Messages views: capture notes show in both; a UDP datagram is
 *  both a chunk and a message, and so is a TCP message that one read delivered whole. */
export function inKindView(view: CaptureKind, m: Pick<CaptureSummary, 'kind' | 'transport' | 'whole'>): boolean {
  return m.kind === view || m.kind === 'event' || m.transport === 'udp' || (view === 'chunk' && m.whole === true);
}

