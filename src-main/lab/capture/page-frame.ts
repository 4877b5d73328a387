/**
 * `capture.list` answered as a binary page frame (batch-frame.ts, FRAME_CAPTURE_PAGE) for the
 * browser UI, and `capture.first` as a first-page frame (FRAME_CAPTURE_FIRST): the same rows
 * the JSON answer lists, read from the capture's table directly. A tab asks for them by
 * marking its call (`frame: true`); every other client gets JSON.
 */
import type { CaptureStore } from './store';
import type { MessageTable } from './table';
import { encodeBatchFrame } from './batch-frame-feed';
import { FRAME_CAPTURE_FIRST, FRAME_CAPTURE_PAGE } from './batch-frame';

export type ListQuery = { afterId: number; limit: number } | { beforeId: number; limit: number };

/** The ids [from, to) `capture.list` answers: the oldest after `afterId`, or the newest before `beforeId`. */
export function listRange(table: Pick<MessageTable, 'firstId' | 'lastId'>, q: ListQuery): [from: number, to: number] {
  if ('afterId' in q) {
    const from = Math.max(q.afterId + 1, table.firstId);
    return [from, Math.min(table.lastId + 1, from + q.limit)];
  }
  const end = Math.min(q.beforeId, table.lastId + 1);
  return [Math.max(table.firstId, end - q.limit), end];
}

/** The answer to call `callId` as one frame: u8 FRAME_CAPTURE_PAGE, u32 callId, a batch frame. */
export function encodePageFrame(store: CaptureStore, q: ListQuery, callId: number): Buffer {
  const [from, to] = listRange(store.table, q);
  const batch = encodeBatchFrame(store, from, Math.max(from, to), []);
  const out = Buffer.allocUnsafe(5 + batch.length);
  out[0] = FRAME_CAPTURE_PAGE;
  out.writeUInt32LE(callId >>> 0, 1);
  batch.copy(out, 5);
  return out;
}

/** `capture.first`'s answer to call `callId` as one frame (batch-frame.ts, FRAME_CAPTURE_FIRST):
 *  the settings, then the newest `limit` rows with every connection, read in one go. */
export function encodeFirstFrame(store: CaptureStore, limit: number, callId: number): Buffer {
  const [from, to] = listRange(store.table, { beforeId: Number.MAX_SAFE_INTEGER, limit });
  const settings = Buffer.from(JSON.stringify(store.settings()));
  const batch = encodeBatchFrame(store, from, Math.max(from, to), store.allConnections());
  const out = Buffer.allocUnsafe(9 + settings.length + batch.length);
  out[0] = FRAME_CAPTURE_FIRST;
  out.writeUInt32LE(callId >>> 0, 1);
  out.writeUInt32LE(settings.length, 5);
  settings.copy(out, 9);
  batch.copy(out, 9 + settings.length);
  return out;
}
