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

export function encodeMessage(m: WireMessage): Buffer {
  const u32 = (...values: number[]): Buffer => {
    const b = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => b.writeUInt32BE(v, i * 4));
    return b;
  };
  switch (m.type) {
    case 'keep-alive':
      return Buffer.alloc(4);
    case 'choke':
    case 'unchoke':
    case 'interested':
    case 'not-interested':
      return frame(IDS.indexOf(m.type), Buffer.alloc(0));
    case 'have':
      return frame(4, u32(m.index));
    case 'bitfield':
      return frame(5, m.bits);
    case 'request':
    case 'cancel':
      return frame(m.type === 'request' ? 6 : 8, u32(m.index, m.begin, m.length));
    case 'piece':
      return frame(7, Buffer.concat([u32(m.index, m.begin), m.block]));
    case 'port': {
      const b = Buffer.alloc(2);
      b.writeUInt16BE(m.port);
      return frame(9, b);
    }
    case 'other':
      return frame(m.id, Buffer.alloc(0));
  }
}

function frame(id: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(1 + payload.length, 0);
  h[4] = id;
  return Buffer.concat([h, payload]);
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
      return { type: 'piece', index: index(body.readUInt32BE(1)), begin: body.readUInt32BE(5), block: Buffer.from(body.subarray(9)) };
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
 * before any byte of the body is buffered: a huge prefix is an error at once.
 */
export class WireParser {
  private buf: Buffer = Buffer.alloc(0);
  private handshakeDone = false;
  readonly maxMessage: number;

  constructor(numPieces: number) {
    this.maxMessage = Math.max(9 + MAX_BLOCK, 1 + Math.ceil(numPieces / 8), 64 * 1024);
  }

  /** Returns the handshake (once) and complete message bodies, in order. */
  push(chunk: Buffer): { handshake?: Handshake; bodies: Buffer[] } {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: { handshake?: Handshake; bodies: Buffer[] } = { bodies: [] };
    if (!this.handshakeDone) {
      if (this.buf.length >= 1 && this.buf[0] !== 19) throw new WireError('not a BitTorrent handshake');
      if (this.buf.length < HANDSHAKE_LENGTH) return out;
      out.handshake = parseHandshake(this.buf);
      this.handshakeDone = true;
      this.buf = this.buf.subarray(HANDSHAKE_LENGTH);
    }
    let off = 0;
    while (this.buf.length - off >= 4) {
      const len = this.buf.readUInt32BE(off);
      if (len > this.maxMessage) throw new WireError(`length prefix ${len} over the ${this.maxMessage}-byte limit`);
      if (this.buf.length - off < 4 + len) break;
      out.bodies.push(this.buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
    }
    this.buf = off === this.buf.length ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(off));
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
