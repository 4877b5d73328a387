/**
 * The capture batch frame (src-main/lab/capture/batch-frame.ts) decoded as the renderer
 * decodes it, for the bench's stand-in of an inspector tab: rows as objects, summaries cut
 * from one UTF-8 block. Kept in step with that file (the bench runs the built lab, not its TS).
 */
const ROW_BYTES = 30;
const KINDS = ['chunk', 'message', 'event'];
const DIRS = ['c2s', 's2c', 'none'];
const utf8 = new TextDecoder();

export function decodeBatchFrame(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 1) throw new Error('not a capture batch frame');
  const headerLength = view.getUint32(1, true);
  let at = 5 + headerLength;
  const header = JSON.parse(utf8.decode(bytes.subarray(5, at)));
  const count = view.getUint32(at, true);
  at += 4;
  const text = utf8.decode(bytes.subarray(at + count * ROW_BYTES));
  const messages = new Array(count);
  let cursor = 0;
  for (let i = 0; i < count; i++, at += ROW_BYTES) {
    const channel = header.channels[view.getUint16(at + 24, true)];
    const flags = bytes[at + 26];
    const length = view.getUint16(at + 28, true);
    const row = {
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
    if (flags & 32) row.whole = true;
    cursor += length;
    messages[i] = row;
  }
  return { messages, connections: header.connections };
}
