/**
 * The BitTorrent peer wire protocol (BEP 3), pure: bytes in, messages out, and messages to
 * bytes. A connection starts with a 68-byte handshake, then length-prefixed messages. Every
 * length the remote peer controls is capped; anything malformed throws a WireError and the
 * connection is dropped by its owner.
 */
export const PSTR = 'BitTorrent protocol';
export const HANDSHAKE_LENGTH = 68;
export const BLOCK_SIZE = 16 * 1024;
/** the largest block a peer may ask for or send (BEP 3 clients use 16 KiB; 128 KiB is the usual ceiling) */
export const MAX_BLOCK = 128 * 1024;

export class WireError extends Error {}

export interface Handshake {
  reserved: Buffer;
  infoHash: Buffer;
  peerId: Buffer;
}

export type WireMessage =
  | { type: 'keep-alive' }
  | { type: 'choke' }
  | { type: 'unchoke' }
  | { type: 'interested' }
  | { type: 'not-interested' }
  | { type: 'have'; index: number }
  | { type: 'bitfield'; bits: Buffer }
  | { type: 'request'; index: number; begin: number; length: number }
  | { type: 'piece'; index: number; begin: number; block: Buffer }
  | { type: 'cancel'; index: number; begin: number; length: number }
  | { type: 'port'; port: number }
  | { type: 'other'; id: number; size: number };

const IDS = ['choke', 'unchoke', 'interested', 'not-interested', 'have', 'bitfield', 'request', 'piece', 'cancel', 'port'] as const;

export function encodeHandshake(infoHash: Buffer, peerId: Buffer): Buffer {
  const b = Buffer.alloc(HANDSHAKE_LENGTH);
  b[0] = 19;
  b.write(PSTR, 1, 'latin1');
  infoHash.copy(b, 28);
  peerId.copy(b, 48);
  return b;
}

export function parseHandshake(b: Buffer): Handshake {
  if (b.length < HANDSHAKE_LENGTH) throw new WireError('handshake too short');
  if (b[0] !== 19 || b.toString('latin1', 1, 20) !== PSTR) throw new WireError('not a BitTorrent handshake');
  return { reserved: Buffer.from(b.subarray(20, 28)), infoHash: Buffer.from(b.subarray(28, 48)), peerId: Buffer.from(b.subarray(48, 68)) };
}

/** One allocation per message, the block of a piece message copied once (the piece path runs per 16 KiB). */
export function encodeMessage(m: WireMessage): Buffer {
  switch (m.type) {
    case 'keep-alive':
      return Buffer.alloc(4);
    case 'choke':
    case 'unchoke':
    case 'interested':
    case 'not-interested':
      return header(1, IDS.indexOf(m.type), 0);
    case 'have': {
      const b = header(5, 4, 0);
      b.writeUInt32BE(m.index, 5);
      return b;
    }
    case 'bitfield': {
      const b = header(1 + m.bits.length, 5, m.bits.length);
      m.bits.copy(b, 5);
      return b;
    }
    case 'request':
    case 'cancel': {
      const b = header(13, m.type === 'request' ? 6 : 8, 0);
      b.writeUInt32BE(m.index, 5);
      b.writeUInt32BE(m.begin, 9);
      b.writeUInt32BE(m.length, 13);
      return b;
    }
    case 'piece': {
      const b = header(9 + m.block.length, 7, m.block.length);
      b.writeUInt32BE(m.index, 5);
      b.writeUInt32BE(m.begin, 9);
      m.block.copy(b, 13);
      return b;
    }
    case 'port': {
      const b = header(3, 9, 0);
      b.writeUInt16BE(m.port, 5);
      return b;
    }
    case 'other':
      return header(1, m.id, 0);
  }
}

/** length prefix and id; `blob` bytes of the body are filled by the caller (no need to zero them) */
function header(length: number, id: number, blob: number): Buffer {
  const b = blob > 0 ? Buffer.allocUnsafe(4 + length) : Buffer.alloc(4 + length);
  b.writeUInt32BE(length, 0);
  b[4] = id;
  return b;
}

/** Decode one message body (id + payload). `numPieces` bounds bitfields and indexes. */
export function decodeMessage(body: Buffer, numPieces: number): WireMessage {
  if (body.length === 0) return { type: 'keep-alive' };
  const id = body[0];
  const len = body.length - 1;
  const need = (n: number): void => {
    if (len !== n) throw new WireError(`${IDS[id] ?? `message ${id}`} with ${len} payload bytes, expected ${n}`);
  };
  const index = (i: number): number => {
    if (i >= numPieces) throw new WireError(`piece index ${i} beyond the ${numPieces} pieces`);
    return i;
  };
  switch (id) {
    case 0:
    case 1:
    case 2:
    case 3:
      need(0);
      return { type: IDS[id] } as WireMessage;
    case 4:
      need(4);
      return { type: 'have', index: index(body.readUInt32BE(1)) };
    case 5: {
      const bytes = Math.ceil(numPieces / 8);
      if (len !== bytes) throw new WireError(`bitfield of ${len} bytes for ${numPieces} pieces (expected ${bytes})`);
      const bits = Buffer.from(body.subarray(1));
      const spare = bytes * 8 - numPieces;
      if (spare > 0 && (bits[bytes - 1] & ((1 << spare) - 1)) !== 0) throw new WireError('bitfield has spare bits set');
      return { type: 'bitfield', bits };
    }
    case 6:
    case 8: {
      need(12);
      const length = body.readUInt32BE(9);
      if (length === 0 || length > MAX_BLOCK) throw new WireError(`${IDS[id]} for ${length} bytes (at most ${MAX_BLOCK})`);
      return { type: IDS[id] as 'request' | 'cancel', index: index(body.readUInt32BE(1)), begin: body.readUInt32BE(5), length };
    }
    case 7: {
      if (len < 8) throw new WireError('piece message shorter than its header');
      // a view, not a copy: the bytes under it are never written again (WireParser hands out fresh
      // buffers) and the receiver copies the block into its file straight away
      return { type: 'piece', index: index(body.readUInt32BE(1)), begin: body.readUInt32BE(5), block: body.subarray(9) };
    }
    case 9:
      need(2);
      return { type: 'port', port: body.readUInt16BE(1) };
    default:
      return { type: 'other', id, size: len };
  }
}

/**
 * Splits a stream into the handshake and message bodies. The length prefix is checked
 * before any byte of the body is buffered: a huge prefix is an error at once. Each byte is
 * copied at most once: whole messages inside a read are handed out as views of it, and a
 * message split across reads is gathered into a buffer of its own length.
 */
export class WireParser {
  /** bytes of a prefix or a handshake not yet complete (a few bytes at most) */
  private head: Buffer = Buffer.alloc(0);
  /** a message body being gathered across reads, and how much of it has arrived */
  private body: Buffer | null = null;
  private filled = 0;
  private handshakeDone = false;
  readonly maxMessage: number;

  constructor(numPieces: number) {
    this.maxMessage = Math.max(9 + MAX_BLOCK, 1 + Math.ceil(numPieces / 8), 64 * 1024);
  }

  /** Returns the handshake (once) and complete message bodies, in order. */
  push(chunk: Buffer): { handshake?: Handshake; bodies: Buffer[] } {
    const out: { handshake?: Handshake; bodies: Buffer[] } = { bodies: [] };
    let buf = chunk;
    if (this.body) {
      const n = Math.min(this.body.length - this.filled, buf.length);
      buf.copy(this.body, this.filled, 0, n);
      this.filled += n;
      if (this.filled < this.body.length) return out;
      out.bodies.push(this.body);
      this.body = null;
      buf = buf.subarray(n);
    }
    if (this.head.length) {
      buf = Buffer.concat([this.head, buf]);
      this.head = Buffer.alloc(0);
    }
    if (!this.handshakeDone) {
      if (buf.length >= 1 && buf[0] !== 19) throw new WireError('not a BitTorrent handshake');
      if (buf.length < HANDSHAKE_LENGTH) {
        this.head = Buffer.from(buf);
        return out;
      }
      out.handshake = parseHandshake(buf);
      this.handshakeDone = true;
      buf = buf.subarray(HANDSHAKE_LENGTH);
    }
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readUInt32BE(off);
      if (len > this.maxMessage) throw new WireError(`length prefix ${len} over the ${this.maxMessage}-byte limit`);
      if (buf.length - off < 4 + len) {
        // the rest of this message comes in later reads: gather it in a buffer of its own
        this.body = Buffer.allocUnsafe(len);
        this.filled = buf.copy(this.body, 0, off + 4);
        return out;
      }
      out.bodies.push(buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
    }
    if (off < buf.length) this.head = Buffer.from(buf.subarray(off));
    return out;
  }
}

export function bitfieldFrom(have: readonly boolean[]): Buffer {
  const b = Buffer.alloc(Math.ceil(have.length / 8));
  have.forEach((h, i) => {
    if (h) b[i >> 3] |= 0x80 >> (i & 7);
  });
  return b;
}

export function bitfieldTo(bits: Buffer, numPieces: number): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < numPieces; i++) out.push((bits[i >> 3] & (0x80 >> (i & 7))) !== 0);
  return out;
}
