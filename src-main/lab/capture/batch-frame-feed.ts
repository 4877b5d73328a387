/**
 * The capture's rows for one browser tab as binary batch frames (batch-frame.ts), read from
 * the capture's table directly: no row object, no JSON. The feed keeps its own place (the last
 * id sent), so when the tab is behind (its socket still holds more than BEHIND_BYTES unsent)
 * nothing is built: the next frame, once the socket drains, carries every row recorded
 * meanwhile, in one piece (up to MAX_ROWS a frame): batches coalesce instead of queueing.
 */
import type { ConnectionInfo } from '../api';
import type { CaptureStore } from './store';
import type { ListQuery } from './page-frame';
import { FRAME_CAPTURE_BATCH, MAX_SUMMARY, ROW_BYTES, type BatchFrameHeader } from './batch-frame';

/** a tab whose socket holds more than this unsent is behind: its rows wait and coalesce */
export const BEHIND_BYTES = 1024 * 1024;
const RETRY_MS = 50;
/** rows in one frame at most (a tab far behind gets several frames, not one huge one) */
const MAX_ROWS = 20_000;

/** What the bridge asks of the lab: frames for one tab, until it unsubscribes. */
export interface CaptureFrameSource {
  captureFrames(send: (frame: Buffer) => void, behind: () => boolean): () => void;
  /** `capture.list`'s answer to call `callId` as a page frame (page-frame.ts) */
  captureListFrame(q: ListQuery, callId: number): Buffer;
  /** `capture.first`'s answer to call `callId` as a first-page frame (page-frame.ts) */
  captureFirstFrame(limit: number, callId: number): Buffer;
}

export class CaptureFrameFeed {
  /** the last row id sent (or skipped: the rows before the tab came) */
  private sent: number;
  private conns = new Map<number, ConnectionInfo>();
  private timer: NodeJS.Timeout | null = null;
  private readonly off: () => void;

  constructor(
    private readonly store: CaptureStore,
    private readonly send: (frame: Buffer) => void,
    private readonly behind: () => boolean,
  ) {
    this.sent = store.table.lastId;
    this.off = store.onRecorded((batch) => {
      for (const c of batch.connections) this.conns.set(c.id, c);
      this.pump();
    });
  }

  stop(): void {
    this.off();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.timer) return;
    const table = this.store.table;
    for (;;) {
      if (this.behind()) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, RETRY_MS);
        this.timer.unref();
        return;
      }
      const from = Math.max(this.sent + 1, table.firstId);
      const last = table.lastId;
      if (from > last && this.conns.size === 0) return;
      const to = Math.min(last + 1, from + MAX_ROWS);
      const conns = [...this.conns.values()];
      this.conns.clear();
      this.sent = Math.max(this.sent, to - 1);
      this.send(encodeBatchFrame(this.store, from, to, conns));
    }
  }
}

/** The rows with ids in [from, to) and the connections that changed, as one frame. */
export function encodeBatchFrame(store: CaptureStore, from: number, to: number, connections: ConnectionInfo[]): Buffer {
  const table = store.table;
  const slots: number[] = [];
  const summaries: string[] = [];
  // the table's channel index → the frame's (a handful of channels: an array, no Map lookup per row)
  const frameChannel: number[] = [];
  const channels: BatchFrameHeader['channels'] = [];
  for (let id = from; id < to; id++) {
    const slot = table.slotOf(id);
    if (slot < 0) continue;
    slots.push(slot);
    const index = table.channelIndexAt(slot);
    if (frameChannel[index] === undefined) {
      const c = table.channels[index];
      frameChannel[index] = channels.length;
      channels.push([c.service, c.protocol, c.transport]);
    }
    const text = table.summary(slot, store.summarize);
    summaries.push(text.length > MAX_SUMMARY ? text.slice(0, MAX_SUMMARY) : text);
  }
  const header = Buffer.from(JSON.stringify({ connections, channels } satisfies BatchFrameHeader));
  const text = summaries.join('');
  const textBytes = Buffer.byteLength(text);
  const rowsAt = 1 + 4 + header.length + 4;
  const out = Buffer.allocUnsafe(rowsAt + slots.length * ROW_BYTES + textBytes);
  out[0] = FRAME_CAPTURE_BATCH;
  out.writeUInt32LE(header.length, 1);
  header.copy(out, 5);
  out.writeUInt32LE(slots.length, 5 + header.length);
  let at = rowsAt;
  for (let i = 0; i < slots.length; i++, at += ROW_BYTES) {
    const slot = slots[i];
    out.writeDoubleLE(table.idOf(slot), at);
    out.writeDoubleLE(table.timeOf(slot), at + 8);
    out.writeUInt32LE(table.connOf(slot) >>> 0, at + 16);
    out.writeUInt32LE(table.sizeOf(slot) >>> 0, at + 20);
    out.writeUInt16LE(frameChannel[table.channelIndexAt(slot)], at + 24);
    out[at + 26] = table.flagsAt(slot);
    out[at + 27] = 0;
    out.writeUInt16LE(summaries[i].length, at + 28);
  }
  out.write(text, at, textBytes, 'utf8');
  return out;
}
