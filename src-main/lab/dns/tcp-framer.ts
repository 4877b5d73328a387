/**
 * DNS over TCP frames each message with a two-byte length (RFC 1035 §4.2.2). For the
 * capture: the stream of each direction cut into messages, the prefix removed, so the
 * inspector decodes them like datagrams. Pure.
 */
import type { Direction } from '../api';
import type { Frame, Framer } from '../capture/framer';

/** Past this many pending bytes a direction is not DNS any more: hand it over raw. */
const MAX_PENDING = 70_000;

export class DnsTcpFramer implements Framer {
  private pending = new Map<Direction, Buffer>();

  push(dir: Direction, chunk: Buffer): Frame[] {
    let buf = Buffer.concat([this.pending.get(dir) ?? Buffer.alloc(0), chunk]);
    const frames: Frame[] = [];
    while (buf.length >= 2) {
      const len = buf.readUInt16BE(0);
      if (buf.length < 2 + len) break;
      frames.push({ dir, bytes: Buffer.from(buf.subarray(2, 2 + len)), oversized: false });
      buf = buf.subarray(2 + len);
    }
    if (buf.length > MAX_PENDING) {
      frames.push({ dir, bytes: Buffer.from(buf), oversized: true });
      buf = Buffer.alloc(0);
    }
    this.pending.set(dir, Buffer.from(buf));
    return frames;
  }

  flush(dir: Direction): Frame[] {
    const rest = this.pending.get(dir);
    this.pending.delete(dir);
    return rest && rest.length ? [{ dir, bytes: rest, oversized: false }] : [];
  }
}

/** Prefix a message with its length for TCP. */
export function tcpFrame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
}
