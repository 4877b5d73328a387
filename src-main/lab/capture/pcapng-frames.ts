/**
 * Frames for a pcapng file, built from what a socket saw: Ethernet II, IPv4 (RFC 791) or
 * IPv6 (RFC 8200), and a TCP (RFC 9293) or UDP (RFC 768) header, every checksum computed
 * (RFC 1071) over the pseudo-header the transport's RFC names, so a dissector that checks
 * them finds them right.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * A zero-filled buffer from Node's shared pool (Buffer.allocUnsafe takes small ones from an
 * 8 KiB slab): an export makes a dozen small buffers per frame, and Buffer.alloc would give
 * each its own backing store, memory the collector frees late (RSS grew ~60 MB exporting
 * 200,000 messages).
 */
export function zeroed(size: number): Buffer {
  return Buffer.allocUnsafe(size).fill(0);
}

export interface Address {
  /** 4 bytes (IPv4) or 16 (IPv6) */
  bytes: Buffer;
  v6: boolean;
}

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, PSH: 0x08, ACK: 0x10 } as const;
/** the maximum segment size the synthesized SYNs announce, and the size segments are split at */
export const MSS = 1460;

export function parseAddress(text: string): Address | null {
  const plain = text.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  if (isIPv4(plain)) return { bytes: Buffer.from(plain.split('.').map(Number)), v6: false };
  if (!isIPv6(plain)) return null;
  const groups = (part: string): number[] =>
    (part ? part.split(':') : []).flatMap((g) => {
      if (!g.includes('.')) return [parseInt(g, 16) || 0];
      // an IPv4 tail (64:ff9b::1.2.3.4) as two groups
      const b = g.split('.').map(Number);
      return [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
    });
  const gap = plain.indexOf('::');
  const left = groups(gap >= 0 ? plain.slice(0, gap) : plain);
  const right = gap >= 0 ? groups(plain.slice(gap + 2)) : [];
  const all = [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
  const bytes = zeroed(16);
  all.slice(0, 8).forEach((g, i) => bytes.writeUInt16BE(g & 0xffff, i * 2));
  return { bytes, v6: true };
}

/** The one's complement sum of RFC 1071, over several buffers as one byte string. */
function checksum(parts: Buffer[]): number {
  let sum = 0;
  let odd = -1;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd < 0) odd = p[i];
      else {
        sum += (odd << 8) | p[i];
        odd = -1;
      }
    }
    // fold now and then: the sum stays a small integer
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (odd >= 0) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A made-up but stable MAC per address: locally administered (02:…), the address's last bytes. */
function mac(a: Address): Buffer {
  const m = zeroed(6);
  m[0] = 0x02;
  a.bytes.copy(m, 2, a.bytes.length - 4);
  return m;
}

function pseudoHeader(src: Address, dst: Address, protocol: number, length: number): Buffer {
  if (!src.v6) {
    const p = zeroed(12);
    src.bytes.copy(p, 0);
    dst.bytes.copy(p, 4);
    p[9] = protocol;
    p.writeUInt16BE(length, 10);
    return p;
  }
  const p = zeroed(40);
  src.bytes.copy(p, 0);
  dst.bytes.copy(p, 16);
  p.writeUInt32BE(length, 32);
  p[39] = protocol;
  return p;
}

let ipId = 0;

/** Ethernet and IP around a transport segment. */
function ip(src: Address, dst: Address, protocol: number, transport: Buffer): Buffer {
  const eth = zeroed(14);
  mac(dst).copy(eth, 0);
  mac(src).copy(eth, 6);
  eth.writeUInt16BE(src.v6 ? 0x86dd : 0x0800, 12);
  if (src.v6) {
    const h = zeroed(40);
    h.writeUInt32BE(0x60000000, 0);
    h.writeUInt16BE(transport.length, 4);
    h[6] = protocol;
    h[7] = 64;
    src.bytes.copy(h, 8);
    dst.bytes.copy(h, 24);
    return Buffer.concat([eth, h, transport]);
  }
  const h = zeroed(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + transport.length, 2);
  h.writeUInt16BE((ipId = (ipId + 1) & 0xffff), 4);
  h.writeUInt16BE(0x4000, 6); // don't fragment
  h[8] = 64;
  h[9] = protocol;
  src.bytes.copy(h, 12);
  dst.bytes.copy(h, 16);
  h.writeUInt16BE(checksum([h]), 10);
  return Buffer.concat([eth, h, transport]);
}

export interface TcpSegment {
  src: Address;
  dst: Address;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payload?: Buffer;
}

export function tcpFrame(s: TcpSegment): Buffer {
  // SYNs carry the MSS option (kind 2, length 4)
  const optionBytes = s.flags & TCP_FLAGS.SYN ? 4 : 0;
  const h = zeroed(20 + optionBytes);
  h.writeUInt16BE(s.srcPort, 0);
  h.writeUInt16BE(s.dstPort, 2);
  h.writeUInt32BE(s.seq >>> 0, 4);
  h.writeUInt32BE(s.flags & TCP_FLAGS.ACK ? s.ack >>> 0 : 0, 8);
  h.writeUInt16BE((((20 + optionBytes) / 4) << 12) | s.flags, 12);
  h.writeUInt16BE(65535, 14);
  if (optionBytes) {
    h[20] = 2;
    h[21] = 4;
    h.writeUInt16BE(MSS, 22);
  }
  const payload = s.payload ?? zeroed(0);
  h.writeUInt16BE(checksum([pseudoHeader(s.src, s.dst, 6, h.length + payload.length), h, payload]), 16);
  return ip(s.src, s.dst, 6, Buffer.concat([h, payload]));
}

export function udpFrame(src: Address, dst: Address, srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const h = zeroed(8);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  // a computed 0 is sent as all ones (RFC 768): 0 means "no checksum"
  h.writeUInt16BE(checksum([pseudoHeader(src, dst, 17, 8 + payload.length), h, payload]) || 0xffff, 6);
  return ip(src, dst, 17, Buffer.concat([h, payload]));
}
