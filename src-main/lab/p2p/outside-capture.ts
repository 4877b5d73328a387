/**
 * Capture of the connections a lab peer dials to a peer outside the lab (a real client such
 * as Transmission): nobody in the lab accepted them, so the capture happens on the lab
 * peer's side, through a client-side TcpTap framed by the peer-wire protocol — the
 * handshake, then length-prefixed messages (BEP 3). Connections between lab peers stay
 * recorded once, by the side that accepted them (wire-capture.ts).
 */
import type { Direction, LinkProfile } from '../api';
import type { Frame, Framer } from '../capture/framer';
import type { CaptureStore } from '../capture/store';
import type { TapContext } from '../capture/tcp-tap';
import { ClientNames } from '../internet/names';
import { HANDSHAKE_LENGTH } from './wire';
import { WIRE_PROTOCOL } from './wire-capture';

/** a message longer than this is recorded in pieces (a block is 16 KiB; bitfields are small) */
const MAX_FRAME = 256 * 1024;

/** the lab's own link emulation does not apply: the peer's rate queues already shape it */
const NO_LINK: LinkProfile = { delayMs: 0, jitterMs: 0, lossRate: 0, reorderRate: 0, rateKbps: 0 };

/** Splits each direction of a peer-wire stream into its handshake and its messages. */
export class PeerWireFramer implements Framer {
  private state = new Map<Direction, { pending: Buffer; handshaken: boolean }>();

  push(dir: Direction, chunk: Buffer): Frame[] {
    const s = this.state.get(dir) ?? { pending: Buffer.alloc(0), handshaken: false };
    this.state.set(dir, s);
    let buf = s.pending.length ? Buffer.concat([s.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      let size: number;
      if (!s.handshaken) size = HANDSHAKE_LENGTH;
      else if (buf.length < 4) break;
      else size = 4 + buf.readUInt32BE(0);
      if (size > MAX_FRAME) {
        // a huge length prefix: what has come is recorded as it is, and framing stops here
        frames.push({ dir, bytes: buf, oversized: true });
        buf = Buffer.alloc(0);
        s.handshaken = true;
        break;
      }
      if (buf.length < size) break;
      frames.push({ dir, bytes: buf.subarray(0, size), oversized: false });
      buf = buf.subarray(size);
      s.handshaken = true;
    }
    s.pending = Buffer.from(buf);
    return frames;
  }

  flush(dir: Direction): Frame[] {
    const s = this.state.get(dir);
    if (!s?.pending.length) return [];
    const bytes = s.pending;
    s.pending = Buffer.alloc(0);
    return [{ dir, bytes, oversized: false }];
  }
}

/** As for lab peers (wire-capture.ts): a piece message keeps its header and the first
 *  BLOCK_HEAD bytes of its block; a read of the stream keeps its first bytes only. */
const BLOCK_HEAD = 64;
const PIECE_HEADER = 4 + 1 + 8;
function keepOfWire(kind: 'chunk' | 'message', bytes: Buffer): number {
  if (kind === 'chunk') return PIECE_HEADER + BLOCK_HEAD;
  return bytes.length > PIECE_HEADER && bytes[4] === 7 ? PIECE_HEADER + BLOCK_HEAD : bytes.length;
}

/** The tap context for a lab peer's connection to a peer outside the lab. */
export function outsideTap(store: CaptureStore, peerName: string): TapContext {
  return {
    store,
    service: 'swarm',
    protocol: WIRE_PROTOCOL,
    link: () => NO_LINK,
    names: new ClientNames(),
    framer: () => new PeerWireFramer(),
    side: 'client',
    keep: keepOfWire,
    endpoints: { client: { name: peerName }, server: { name: 'peer outside the lab' } },
  };
}
