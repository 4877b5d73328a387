/**
 * The UDP tracker protocol (BEP 15), pure: datagrams in, normalised requests out, or a
 * TrackerRequestError answered with an error datagram (action 3).
 */
import { TrackerRequestError, type AnnounceEvent, MAX_NUMWANT, DEFAULT_NUMWANT } from './announce';

export const PROTOCOL_ID = 0x41727101980n;
const EVENTS: AnnounceEvent[] = ['update', 'completed', 'started', 'stopped'];

export type UdpRequest =
  | { action: 'connect'; transactionId: number }
  | {
      action: 'announce';
      connectionId: bigint;
      transactionId: number;
      infoHash: string;
      peerId: Buffer;
      downloaded: number;
      left: number;
      uploaded: number;
      event: AnnounceEvent;
      ip: number;
      key: number;
      numwant: number;
      port: number;
    }
  | { action: 'scrape'; connectionId: bigint; transactionId: number; infoHashes: string[] };

export function parseUdpRequest(msg: Buffer): UdpRequest {
  if (msg.length < 16) throw new TrackerRequestError(`datagram of ${msg.length} bytes is shorter than any request (16)`);
  const connectionId = msg.readBigUInt64BE(0);
  const action = msg.readUInt32BE(8);
  const transactionId = msg.readUInt32BE(12);
  if (action === 0) {
    if (connectionId !== PROTOCOL_ID) throw new TrackerRequestError('connect request without the protocol id 0x41727101980');
    return { action: 'connect', transactionId };
  }
  if (action === 1) {
    if (msg.length < 98) throw new TrackerRequestError(`announce of ${msg.length} bytes, expected 98`);
    const event = EVENTS[msg.readUInt32BE(80)];
    if (!event) throw new TrackerRequestError(`unknown event ${msg.readUInt32BE(80)}`);
    const want = msg.readInt32BE(92);
    const port = msg.readUInt16BE(96);
    if (port === 0) throw new TrackerRequestError('port 0 is not a port a peer can listen on');
    return {
      action: 'announce',
      connectionId,
      transactionId,
      infoHash: msg.subarray(16, 36).toString('hex'),
      peerId: Buffer.from(msg.subarray(36, 56)),
      downloaded: Number(msg.readBigUInt64BE(56)),
      left: Number(msg.readBigUInt64BE(64)),
      uploaded: Number(msg.readBigUInt64BE(72)),
      event,
      ip: msg.readUInt32BE(84),
      key: msg.readUInt32BE(88),
      numwant: want < 0 ? DEFAULT_NUMWANT : Math.min(want, MAX_NUMWANT),
      port,
    };
  }
  if (action === 2) {
    const n = (msg.length - 16) / 20;
    if (!Number.isInteger(n) || n < 1 || n > 74) throw new TrackerRequestError('scrape must carry 1 to 74 info hashes of 20 bytes');
    const infoHashes: string[] = [];
    for (let i = 0; i < n; i++) infoHashes.push(msg.subarray(16 + i * 20, 36 + i * 20).toString('hex'));
    return { action: 'scrape', connectionId, transactionId, infoHashes };
  }
  throw new TrackerRequestError(`unknown action ${action}`);
}

export function encodeConnectResponse(transactionId: number, connectionId: bigint): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(0, 0);
  b.writeUInt32BE(transactionId, 4);
  b.writeBigUInt64BE(connectionId, 8);
  return b;
}

/** `peers`: the compact form (6 bytes each, BEP 23's layout, which BEP 15 shares). */
export function encodeAnnounceResponse(transactionId: number, interval: number, leechers: number, seeders: number, peers: Buffer): Buffer {
  const b = Buffer.allocUnsafe(20 + peers.length);
  b.writeUInt32BE(1, 0);
  b.writeUInt32BE(transactionId, 4);
  b.writeUInt32BE(interval, 8);
  b.writeUInt32BE(leechers, 12);
  b.writeUInt32BE(seeders, 16);
  peers.copy(b, 20);
  return b;
}

export function encodeScrapeResponse(transactionId: number, files: { complete: number; downloaded: number; incomplete: number }[]): Buffer {
  const b = Buffer.alloc(8 + files.length * 12);
  b.writeUInt32BE(2, 0);
  b.writeUInt32BE(transactionId, 4);
  files.forEach((f, i) => {
    b.writeUInt32BE(f.complete, 8 + i * 12);
    b.writeUInt32BE(f.downloaded, 12 + i * 12);
    b.writeUInt32BE(f.incomplete, 16 + i * 12);
  });
  return b;
}

export function encodeUdpError(transactionId: number, message: string): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(3, 0);
  head.writeUInt32BE(transactionId, 4);
  return Buffer.concat([head, Buffer.from(message.slice(0, 200))]);
}

/** Client side, for lab peers and tests. */
export function encodeConnectRequest(transactionId: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64BE(PROTOCOL_ID, 0);
  b.writeUInt32BE(0, 8);
  b.writeUInt32BE(transactionId, 12);
  return b;
}

export function encodeAnnounceRequest(r: Omit<Extract<UdpRequest, { action: 'announce' }>, 'action'>): Buffer {
  const b = Buffer.alloc(98);
  b.writeBigUInt64BE(r.connectionId, 0);
  b.writeUInt32BE(1, 8);
  b.writeUInt32BE(r.transactionId, 12);
  Buffer.from(r.infoHash, 'hex').copy(b, 16);
  r.peerId.copy(b, 36);
  b.writeBigUInt64BE(BigInt(r.downloaded), 56);
  b.writeBigUInt64BE(BigInt(r.left), 64);
  b.writeBigUInt64BE(BigInt(r.uploaded), 72);
  b.writeUInt32BE(EVENTS.indexOf(r.event), 80);
  b.writeUInt32BE(r.ip, 84);
  b.writeUInt32BE(r.key, 88);
  b.writeInt32BE(r.numwant, 92);
  b.writeUInt16BE(r.port, 96);
  return b;
}
