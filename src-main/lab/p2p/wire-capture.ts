/**
 * Peer-wire traffic in the capture, kept affordable: each connection is recorded once (on
 * the side that accepted it), as protocol messages, and a piece message keeps its header
 * and only the first 64 bytes of its block. The decoder shows handshakes and messages as
 * fields; the length prefix still says how long the real message was.
 */
import type { ConnectionInfo, DecodedField } from '../api';
import { registerDecoder } from '../capture/decoders';
import type { CaptureStore } from '../capture/store';
import type { PeerConnection } from './connection';
import type { LabPeer } from './peer';
import { PSTR, type WireMessage } from './wire';

export const WIRE_PROTOCOL = 'bittorrent';
const NAMES = ['choke', 'unchoke', 'interested', 'not interested', 'have', 'bitfield', 'request', 'piece', 'cancel', 'port'];

export function describeMessage(m: WireMessage | null, size: number): string {
  if (!m) return 'handshake';
  switch (m.type) {
    case 'have':
      return `have ${m.index}`;
    case 'bitfield':
      return `bitfield (${m.bits.reduce((n, b) => n + popcount(b), 0)} pieces)`;
    case 'request':
    case 'cancel':
      return `${m.type} piece ${m.index} @${m.begin} +${m.length}`;
    case 'piece':
      return `piece ${m.index} @${m.begin} (${m.block.length} bytes)`;
    case 'port':
      return `port ${m.port}`;
    case 'other':
      return `message id ${m.id} (${size} bytes)`;
    default:
      return m.type.replace('-', ' ');
  }
}

function popcount(b: number): number {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n;
}

/** A capture hook for the lab peers of one swarm. */
export function wireRecorder(store: CaptureStore, peerOf: () => ReadonlyMap<string, { name: string; host: string }>, self: () => LabPeer) {
  return (c: PeerConnection, dir: 'in' | 'out', bytes: Buffer, m: WireMessage | null): void => {
    if (!store.enabled || c.outgoing) return;
    let conn = c.captureConn as ConnectionInfo | null;
    if (!conn) {
      const me = self();
      const remote = c.remoteId ? peerOf().get(c.remoteId.toString('hex')) : undefined;
      conn = store.openConnection({
        transport: 'tcp',
        service: 'swarm',
        protocol: WIRE_PROTOCOL,
        // each lab peer has its own loopback address (loopback.ts): the inspector's endpoints say which
        client: { address: (c.socket.remoteAddress ?? remote?.host ?? '127.0.0.1').replace(/^::ffff:/, ''), port: c.socket.remotePort ?? 0, name: remote?.name ?? 'peer' },
        server: { address: me.host, port: me.port, name: me.name },
      });
      c.captureConn = conn;
      c.socket.once('close', () => store.closeConnection(conn!));
    }
    const size = m?.type === 'piece' ? 9 + m.block.length : bytes.length;
    store.record({ conn, dir: dir === 'in' ? 'c2s' : 's2c', kind: 'message', bytes, summary: describeMessage(m, size) });
  };
}

function decode(bytes: Buffer): DecodedField[] {
  if (bytes.length >= 20 && bytes[0] === 19 && bytes.toString('latin1', 1, 20) === PSTR) {
    return [
      { name: 'Handshake', value: PSTR, children: [
        { name: 'reserved', value: bytes.subarray(20, 28).toString('hex') },
        { name: 'info_hash', value: bytes.subarray(28, 48).toString('hex') },
        { name: 'peer_id', value: bytes.subarray(48, 68).toString('latin1').replace(/[^\x20-\x7e]/g, '.') },
      ] },
    ];
  }
  if (bytes.length < 4) return [{ name: 'Message', value: 'too short' }];
  const len = bytes.readUInt32BE(0);
  if (len === 0) return [{ name: 'keep-alive', value: 'length 0' }];
  const id = bytes[4];
  const fields: DecodedField[] = [
    { name: 'length prefix', value: `${len} bytes` },
    { name: 'message id', value: `${id} (${NAMES[id] ?? 'unknown'})` },
  ];
  const u32 = (o: number): string => (bytes.length >= o + 4 ? String(bytes.readUInt32BE(o)) : '?');
  if (id === 4) fields.push({ name: 'piece index', value: u32(5) });
  if (id === 6 || id === 8) fields.push({ name: 'index', value: u32(5) }, { name: 'begin', value: u32(9) }, { name: 'length', value: u32(13) });
  if (id === 7) {
    fields.push(
      { name: 'index', value: u32(5) },
      { name: 'begin', value: u32(9) },
      { name: 'block', value: `${len - 9} bytes (first ${Math.max(0, bytes.length - 13)} stored)`, children: [{ name: 'start', value: bytes.subarray(13, 45).toString('hex') }] },
    );
  }
  if (id === 5) {
    const bits = [...bytes.subarray(5)].map((b) => b.toString(2).padStart(8, '0')).join('');
    fields.push({ name: 'bitfield', value: bits.slice(0, 512) });
  }
  return fields;
}

registerDecoder(WIRE_PROTOCOL, {
  summarize: (kind, _dir, bytes) => {
    // a read of a client-side tap (outside-capture.ts) may hold parts of several messages
    if (kind === 'chunk') return `${bytes.length} bytes in one read`;
    if (kind === 'event') return bytes.toString('utf8', 0, 160);
    const f = decode(bytes);
    return f.map((x) => `${x.name} ${x.value}`).join(' · ').slice(0, 160);
  },
  decode: (kind, _dir, bytes) => (kind === 'event' ? [{ name: 'Note', value: bytes.toString('utf8') }] : decode(bytes)),
});
