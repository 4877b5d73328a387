/**
 * How one read of a TCP stream goes into the capture, the same for a live socket (TcpTap)
 * and a stream reassembled from a trace file: the read as a chunk, and the protocol
 * messages the framer finds in it.
 */
import type { ConnectionInfo } from '../api';
import type { Frame, Framer } from './framer';
import type { CaptureStore } from './store';

export type KeepBytes = (kind: 'chunk' | 'message', bytes: Buffer) => number;

export function recordRead(store: CaptureStore, conn: ConnectionInfo, framer: Framer, dir: 'c2s' | 's2c', chunk: Buffer, keep?: KeepBytes): void {
  // the common case of a request–reply protocol, known without building the frame
  if (framer.single?.(dir, chunk)) {
    store.put(conn, dir, 'message', chunk, true, keep?.('message', chunk), undefined);
    return;
  }
  const frames = framer.push(dir, chunk);
  const only = frames.length === 1 ? frames[0] : undefined;
  if (only && only.dir === dir && only.bytes.length === chunk.length && !only.oversized) {
    // the read delivered exactly one message: one record stands for both (half the records)
    store.put(conn, dir, 'message', chunk, true, keep?.('message', chunk), only.summary);
    return;
  }
  store.record({ conn, dir, kind: 'chunk', bytes: chunk, keep: Math.min(keep?.('chunk', chunk) ?? Infinity, framer.chunkKeep?.(dir) ?? Infinity) });
  recordFrames(store, conn, frames, keep);
}

export function recordFrames(store: CaptureStore, conn: ConnectionInfo, frames: Frame[], keep?: KeepBytes): void {
  for (const f of frames) {
    store.record({ conn, dir: f.dir, kind: 'message', bytes: f.bytes, keep: keep?.('message', f.bytes), summary: f.summary });
    if (f.oversized) store.note(conn, f.dir, `line longer than ${f.bytes.length} bytes: framed in pieces`);
  }
}
