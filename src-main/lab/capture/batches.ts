/**
 * The capture's listeners (the UI, the live pcapng writer, a lab session) and the batches
 * they get every BATCH_MS: the messages recorded and the connections that changed since the
 * last one. A listener that names the services it wants gets only theirs, and messages
 * nobody wants cost no row and no summary: a lab session watching HTTP leaves the echo
 * round trips alone. No listener at all (no UI open): nothing is built.
 */
import type { CaptureBatch, CaptureSummary, ConnectionInfo } from '../api';

const BATCH_MS = 50;

interface BatchListener {
  fn: (batch: CaptureBatch) => void;
  wants?: (service: string) => boolean;
  /** false: told that something was recorded, with no rows (it reads the store itself) */
  rows: boolean;
}

/** what the batcher asks of the store: the rows with ids in [from, to), and a filtered walk */
export interface BatchRows {
  lastId(): number;
  rows(from: number, to: number, keep?: (service: string) => boolean): CaptureSummary[];
}

export class CaptureBatches {
  /** the first message not yet sent in a batch (0: none pending) */
  private pendingFrom = 0;
  private pendingConns = new Map<number, ConnectionInfo>();
  private timer: NodeJS.Timeout | null = null;
  private listeners = new Set<BatchListener>();
  /** listeners that take every service's messages (the UI, the live pcapng writer) */
  private everyService = 0;
  /** of those, the ones that take the rows (the UI): the pcapng writer reads the store itself */
  private everyServiceRows = 0;
  /** for listeners that take a few services only: does anyone want this one */
  private wantedCache = new Map<string, boolean>();

  constructor(private source: BatchRows) {}

  listen(fn: (batch: CaptureBatch) => void, wants?: (service: string) => boolean, rows = true): () => void {
    const listener: BatchListener = { fn, wants, rows };
    this.listeners.add(listener);
    const count = (by: number): void => {
      if (wants) return;
      this.everyService += by;
      if (rows) this.everyServiceRows += by;
    };
    count(1);
    this.wantedCache.clear();
    return () => {
      if (!this.listeners.delete(listener)) return;
      count(-1);
      this.wantedCache.clear();
    };
  }

  /** someone listening wants this service's messages */
  wanted(service: string): boolean {
    if (this.listeners.size === 0) return false;
    if (this.everyService > 0) return true;
    let w = this.wantedCache.get(service);
    if (w === undefined) {
      w = [...this.listeners].some((l) => l.wants!(service));
      this.wantedCache.set(service, w);
    }
    return w;
  }

  /** message `id` of `service` was recorded */
  recorded(id: number, service: string): void {
    if (!this.wanted(service)) return;
    if (this.pendingFrom === 0) this.pendingFrom = id;
    this.schedule();
  }

  /** a connection opened, closed or learned a name */
  touched(conn: ConnectionInfo): void {
    if (!this.wanted(conn.service)) return;
    this.pendingConns.set(conn.id, conn);
    this.schedule();
  }

  /** the capture was cleared: nothing pending is left to send */
  cleared(): void {
    this.pendingFrom = 0;
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const from = this.pendingFrom;
    this.pendingFrom = 0;
    if (from === 0 && this.pendingConns.size === 0) return;
    const messages = from > 0 ? this.pendingRows(from) : [];
    const batch: CaptureBatch = { messages, connections: [...this.pendingConns.values()] };
    this.pendingConns.clear();
    for (const { fn, wants, rows } of this.listeners) {
      if (!rows) fn({ messages: [], connections: batch.connections });
      else if (!wants) {
        if (messages.length || batch.connections.length) fn(batch);
      } else {
        const own = { messages: batch.messages.filter((m) => wants(m.service)), connections: batch.connections.filter((c) => wants(c.service)) };
        if (own.messages.length || own.connections.length) fn(own);
      }
    }
  }

  /** the rows some listener takes: all of them for the UI; a lab session's services only; none
   *  when only the pcapng writer listens (no row, no summary built) */
  private pendingRows(from: number): CaptureSummary[] {
    const to = this.source.lastId() + 1;
    if (this.everyServiceRows > 0) return this.source.rows(from, to);
    const takers = [...this.listeners].filter((l) => l.rows && l.wants);
    if (takers.length === 0) return [];
    return this.source.rows(from, to, (s) => takers.some((l) => l.wants!(s)));
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), BATCH_MS);
    this.timer.unref();
  }
}
