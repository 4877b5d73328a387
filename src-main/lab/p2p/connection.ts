/**
 * One peer-wire connection as a lab peer sees it: the socket, the four choke/interest
 * flags of BEP 3, what the neighbour has, our outstanding requests and the byte counters
 * the choker ranks by. Messages are parsed with the pure codec in wire.ts.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import { decodeMessage, encodeHandshake, encodeMessage, WireParser, type WireMessage } from './wire';

export interface BlockRef {
  index: number;
  begin: number;
  length: number;
}

/** a block's key in the request maps: a number, not a string built per block (begin < 2^32) */
export const blockKey = (b: { index: number; begin: number }): number => b.index * 0x1_0000_0000 + b.begin;

/** What the owning peer does with a connection's traffic (and the capture hook). */
export interface ConnectionOwner {
  numPieces: number;
  infoHash: Buffer;
  peerId: Buffer;
  onHandshake(c: PeerConnection, remoteId: Buffer, infoHash: Buffer): void;
  onMessage(c: PeerConnection, m: WireMessage): void;
  onClose(c: PeerConnection, reason: string): void;
  /** bytes as the wire carried them, for the capture (piece payloads are capped there) */
  onWire?(c: PeerConnection, dir: 'in' | 'out', bytes: Buffer, m: WireMessage | null): void;
}

let nextId = 1;

export class PeerConnection {
  readonly key = `c${nextId++}`;
  remoteId: Buffer | null = null;
  /** the remote peer id in hex, once handshaken (the upload counters are keyed by it) */
  remoteHex = '';
  amChoking = true;
  amInterested = false;
  peerChoking = true;
  peerInterested = false;
  has: boolean[];
  /** our requests waiting for their piece message */
  requests = new Map<number, BlockRef>();
  /** blocks we mean to request from this neighbour next */
  queue: BlockRef[] = [];
  /** pieces this neighbour is fetching for us */
  pieces = new Set<number>();
  windowIn = 0;
  windowOut = 0;
  rateIn = 0;
  rateOut = 0;
  totalIn = 0;
  totalOut = 0;
  closed = false;
  captureConn: unknown = null;
  private parser: WireParser;

  constructor(
    readonly socket: Socket,
    readonly outgoing: boolean,
    private owner: ConnectionOwner,
    /** how bytes go out: the socket, or a capture tap in front of it */
    private write: (bytes: Buffer) => void = (bytes) => void socket.write(bytes),
  ) {
    this.has = new Array<boolean>(owner.numPieces).fill(false);
    this.parser = new WireParser(owner.numPieces);
    socket.setNoDelay(true);
    socket.on('error', (err) => this.close(`socket error: ${err.message}`));
    socket.on('close', () => this.close('connection closed by the neighbour'));
    if (outgoing) this.sendHandshake();
  }

  sendHandshake(): void {
    const hs = encodeHandshake(this.owner.infoHash, this.owner.peerId);
    this.owner.onWire?.(this, 'out', hs, null);
    this.write(hs);
  }

  /** Bytes that came through our download link. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      const { handshake, bodies } = this.parser.push(chunk);
      if (handshake) {
        this.owner.onWire?.(this, 'in', encodeHandshake(handshake.infoHash, handshake.peerId), null);
        this.remoteId = handshake.peerId;
        this.remoteHex = handshake.peerId.toString('hex');
        this.owner.onHandshake(this, handshake.peerId, handshake.infoHash);
      }
      for (const body of bodies) {
        if (this.closed) return;
        if (!this.remoteId) throw new Error('message before the handshake');
        const m = decodeMessage(body, this.owner.numPieces);
        if (this.owner.onWire) {
          // as sent: the length prefix, the header, and at most 64 bytes of a block
          const keep = Math.min(body.length, 9 + 64);
          const framed = Buffer.alloc(4 + keep);
          framed.writeUInt32BE(body.length, 0);
          body.copy(framed, 4, 0, keep);
          this.owner.onWire(this, 'in', framed, m);
        }
        this.owner.onMessage(this, m);
      }
    } catch (err) {
      this.close(`protocol error: ${(err as Error).message}`);
    }
  }

  send(m: WireMessage): void {
    if (this.closed || this.socket.destroyed) return;
    const bytes = encodeMessage(m);
    if (m.type === 'choke') this.amChoking = true;
    if (m.type === 'unchoke') this.amChoking = false;
    if (m.type === 'interested') this.amInterested = true;
    if (m.type === 'not-interested') this.amInterested = false;
    if (m.type === 'piece') {
      this.windowOut += m.block.length;
      this.totalOut += m.block.length;
    }
    this.owner.onWire?.(this, 'out', m.type === 'piece' ? bytes.subarray(0, 13 + 64) : bytes, m);
    // the messages of one turn of the event loop leave together: a fill's dozen requests, a have
    // and an interested are one write to the kernel, not one each (Nagle stays off: nothing waits
    // longer than the turn)
    this.sentSince = true;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(uncork, this);
    }
    this.write(bytes);
  }

  /** messages are being gathered for one write at the end of this turn */
  corked = false;
  /** something was sent since the last keep-alive round */
  sentSince = false;

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.owner.onClose(this, reason);
  }
}

function uncork(c: PeerConnection): void {
  c.corked = false;
  c.socket.uncork();
}

/** Listen on `host:port` (0: any free port); the port listened on. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
