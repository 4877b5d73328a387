/**
 * The capture's batches as one binary WebSocket frame (`netlab serve` → the browser UI),
 * instead of a JSON text per batch: at tens of thousands of messages a second, JSON cost the
 * lab a string of ~150 bytes per row to build, measure (UTF-8) and write, and the page a parse.
 * Here a row is 30 fixed bytes, and every row's summary sits in one UTF-8 block at the end,
 * decoded by the page in one call and cut into summaries by their lengths.
 *
 * Layout (little-endian):
 *   u8  FRAME_CAPTURE_BATCH
 *   u32 header length, the header as UTF-8 JSON: { connections, channels } (channels: the
 *       [service, protocol, transport] the rows name, by index)
 *   u32 row count
 *   rows, ROW_BYTES each: f64 id, f64 t, u32 conn, u32 size, u16 channel, u8 flags,
 *       u8 0, u16 summary length in UTF-16 code units (cut at 65,535)
 *   the summaries, concatenated, UTF-8
 * Pure (no Node import): the renderer decodes with it; the lab's encoder is batch-frame-encode.ts.
 */
import type { CaptureBatch, CaptureFirst, CaptureKind, CaptureSettings, CaptureSummary, ConnectionInfo, Direction, Transport } from '../api';

export const FRAME_CAPTURE_BATCH = 1;
export const ROW_BYTES = 30;
export const MAX_SUMMARY = 0xffff;

export const KINDS: readonly CaptureKind[] = ['chunk', 'message', 'event'];
export const DIRS: readonly Direction[] = ['c2s', 's2c', 'none'];
/** flags, as the capture's table keeps them: kind in bits 0–1, dir in bits 2–3, (bit 4: UDP,
 *  the channel says it too), whole in bit 5 */
export const WHOLE_FLAG = 1 << 5;

export interface BatchFrameHeader {
  connections: ConnectionInfo[];
  channels: [service: string, protocol: string, transport: Transport][];
}

const utf8 = new TextDecoder();

/** A frame back into the batch the lab's event carries; throws on a frame that is not one. */
export function decodeBatchFrame(frame: ArrayBuffer | Uint8Array): CaptureBatch {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 9 || bytes[0] !== FRAME_CAPTURE_BATCH) throw new Error('not a capture batch frame');
  const headerLength = view.getUint32(1, true);
  let at = 5 + headerLength;
  const header = JSON.parse(utf8.decode(bytes.subarray(5, at))) as BatchFrameHeader;
  const count = view.getUint32(at, true);
  at += 4;
  const textAt = at + count * ROW_BYTES;
  if (textAt > bytes.byteLength) throw new Error('capture batch frame cut short');
  const text = utf8.decode(bytes.subarray(textAt));
  const channels = header.channels;
  const messages: CaptureSummary[] = new Array(count);
  let cursor = 0;
  for (let i = 0; i < count; i++, at += ROW_BYTES) {
    const channel = channels[view.getUint16(at + 24, true)];
    const flags = bytes[at + 26];
    const length = view.getUint16(at + 28, true);
    const row: CaptureSummary = {
      id: view.getFloat64(at, true),
      t: view.getFloat64(at + 8, true),
      service: channel[0],
      protocol: channel[1],
      conn: view.getUint32(at + 16, true),
      transport: channel[2],
      dir: DIRS[(flags >> 2) & 3],
      kind: KINDS[flags & 3],
      size: view.getUint32(at + 20, true),
      summary: text.substring(cursor, cursor + length),
    };
    if (flags & WHOLE_FLAG) row.whole = true;
    cursor += length;
    messages[i] = row;
  }
  return { messages, connections: header.connections };
}

/**
 * One page of history (`capture.list`'s answer to the call numbered `id`) as a binary frame:
 *   u8 FRAME_CAPTURE_PAGE, u32 the call's id, then a batch frame (its rows, no connections).
 * `netlab serve` answers the page's call so instead of a JSON text: the newest page of a large
 * capture reaches the page in a few kB, and older pages follow at ~90 bytes a row.
 */
export const FRAME_CAPTURE_PAGE = 2;

/** the frame's kind: FRAME_CAPTURE_BATCH, FRAME_CAPTURE_PAGE, or -1 */
export function frameKind(frame: ArrayBuffer | Uint8Array): number {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  return bytes.byteLength > 0 ? bytes[0] : -1;
}

/** A page frame back into its call's id and rows; throws on a frame that is not one. */
export function decodePageFrame(frame: ArrayBuffer | Uint8Array): { id: number; messages: CaptureSummary[] } {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 5 || bytes[0] !== FRAME_CAPTURE_PAGE) throw new Error('not a capture page frame');
  const id = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1, true);
  return { id, messages: decodeBatchFrame(bytes.subarray(5)).messages };
}

/**
 * `capture.first`'s answer to the call numbered `id` (0: pushed unasked on a socket opened at
 * /api?first=N, src-main/bridge/attach.ts) as one binary frame:
 *   u8 FRAME_CAPTURE_FIRST, u32 the call's id, u32 the settings' length, the settings as UTF-8
 *   JSON, then a batch frame (the newest rows, every connection in its header).
 */
export const FRAME_CAPTURE_FIRST = 3;

/** A first-page frame back into its call's id and the answer; throws on a frame that is not one. */
export function decodeFirstFrame(frame: ArrayBuffer | Uint8Array): { id: number; first: CaptureFirst } {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 9 || bytes[0] !== FRAME_CAPTURE_FIRST) throw new Error('not a capture first-page frame');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const id = view.getUint32(1, true);
  const settingsAt = 9 + view.getUint32(5, true);
  if (settingsAt > bytes.byteLength) throw new Error('capture first-page frame cut short');
  const settings = JSON.parse(utf8.decode(bytes.subarray(9, settingsAt))) as CaptureSettings;
  const { messages, connections } = decodeBatchFrame(bytes.subarray(settingsAt));
  return { id, first: { settings, connections, messages } };
}
