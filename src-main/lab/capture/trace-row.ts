/**
 * A stored row as a trace file's writer reads it (pcapng.ts): one object moved from row to
 * row, its bytes a view into the capture's buffers taken only when asked for, its summary only
 * for a note. A live trace reads every row the lab records, so a row costs no allocation; the
 * reader takes what it needs before it asks for the next row.
 */
import type { CaptureKind, Direction, Transport } from '../api';
import type { MessageTable } from './table';

const EMPTY = Buffer.alloc(0);

export class TraceRow {
  id = 0;
  /** ms since the lab started */
  t = 0;
  service = '';
  protocol = '';
  transport: Transport = 'tcp';
  conn = 0;
  dir: Direction = 'none';
  kind: CaptureKind = 'message';
  /** the size it had on the wire (what was kept may be less) */
  size = 0;
  whole = false;
  private slot = -1;

  constructor(
    private readonly table: MessageTable,
    private readonly bytesOf: (slot: number) => Buffer | null,
    private readonly summarize: (slot: number) => string,
    private readonly copyBytes: (slot: number, out: Uint8Array, to: number) => number,
  ) {}

  /** move to row `id` at `slot` */
  at(id: number, slot: number): this {
    const t = this.table;
    const channel = t.channelAt(slot);
    this.id = id;
    this.slot = slot;
    this.t = t.timeOf(slot);
    this.service = channel.service;
    this.protocol = channel.protocol;
    this.transport = channel.transport;
    this.conn = t.connOf(slot);
    this.dir = t.dir(slot);
    this.kind = t.kind(slot);
    this.size = t.sizeOf(slot);
    this.whole = t.whole(slot);
    return this;
  }

  /** a note's text (a message's summary is not worked out: a trace carries bytes) */
  get summary(): string {
    return this.kind === 'event' ? this.table.summary(this.slot, this.summarize) : '';
  }

  /** what the capture kept of it: a view, good until the next record */
  get bytes(): Buffer {
    return this.bytesOf(this.slot) ?? EMPTY;
  }

  /** how many bytes the capture kept of it (its arena may have let them go since: see copyTo) */
  get kept(): number {
    return this.table.keptOf(this.slot);
  }

  /** what the capture kept of it copied into `out` at `to`, no view made; returns how many */
  copyTo(out: Uint8Array, to: number): number {
    return this.copyBytes(this.slot, out, to);
  }
}
