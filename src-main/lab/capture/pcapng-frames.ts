/**
 * Frames for a pcapng file, built from what a socket saw: Ethernet II, IPv4 (RFC 791) or
 * IPv6 (RFC 8200), and a TCP (RFC 9293) or UDP (RFC 768) header, every checksum computed
 * (RFC 1071) over the pseudo-header the transport's RFC names, so a dissector that checks
 * them finds them right. A live capture writes a frame per read, so the headers of each
 * direction of a connection are made once (a template) and copied and patched in place,
 * straight into the file's buffer: no buffer per header, the pseudo-header summed once.
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

/** The 16-bit one's complement sum of RFC 1071 over buf[from, to), added to `sum`, not folded to 16 bits. */
function sum16(buf: Buffer, from: number, to: number, sum = 0): number {
  let i = from;
  for (; i + 1 < to; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < to) sum += buf[i] << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

const ETHERNET = 14;
const TCP_HEADER = 20;
const UDP_HEADER = 8;
/** a SYN's MSS option (kind 2, length 4) */
const SYN_OPTIONS = 4;
let ipId = 0;

/**
 * The headers of one direction of a connection: Ethernet (made-up but stable MACs, locally
 * administered 02:…, the addresses' last bytes), IP and the transport header with the ports,
 * the fields that change left to patch.
 */
export class FrameTemplate {
  private readonly head: Buffer;
  private readonly v6: boolean;
  private readonly ipLength: number;
  /** IPv4: the header's sum without its total length and id */
  private readonly ipSum: number;
  /** the pseudo-header (RFC 9293 §3.1, RFC 768, RFC 8200 §8.1) without its length, the ports, TCP's window */
  private readonly transportSum: number;

  constructor(
    src: Address,
    dst: Address,
    srcPort: number,
    dstPort: number,
    private readonly protocol: 6 | 17,
  ) {
    this.v6 = src.v6;
    this.ipLength = src.v6 ? 40 : 20;
    const h = zeroed(ETHERNET + this.ipLength + (protocol === 6 ? TCP_HEADER : UDP_HEADER));
    h[0] = 0x02;
    dst.bytes.copy(h, 2, dst.bytes.length - 4);
    h[6] = 0x02;
    src.bytes.copy(h, 8, src.bytes.length - 4);
    h.writeUInt16BE(src.v6 ? 0x86dd : 0x0800, 12);
    const ip = ETHERNET;
    if (src.v6) {
      h.writeUInt32BE(0x60000000, ip);
      h[ip + 6] = protocol;
      h[ip + 7] = 64;
      src.bytes.copy(h, ip + 8);
      dst.bytes.copy(h, ip + 24);
    } else {
      h[ip] = 0x45;
      h.writeUInt16BE(0x4000, ip + 6); // don't fragment
      h[ip + 8] = 64;
      h[ip + 9] = protocol;
      src.bytes.copy(h, ip + 12);
      dst.bytes.copy(h, ip + 16);
    }
    this.ipSum = src.v6 ? 0 : sum16(h, ip, ip + 20);
    const t = ip + this.ipLength;
    h.writeUInt16BE(srcPort, t);
    h.writeUInt16BE(dstPort, t + 2);
    if (protocol === 6) h.writeUInt16BE(65535, t + 14);
    this.head = h;
    this.transportSum = sum16(h, t, h.length, sum16(src.bytes, 0, src.bytes.length, sum16(dst.bytes, 0, dst.bytes.length, protocol)));
  }

  /** the frame's length with `payload` bytes (and a SYN's option) */
  size(payload: number, flags = 0): number {
    return this.head.length + (flags & TCP_FLAGS.SYN ? SYN_OPTIONS : 0) + payload;
  }

  /**
   * A TCP segment written into `out` (and `view`, a DataView of the same bytes) at `at`;
   * returns where it ends. The checksum adds the fields written to the template's sum: only
   * the payload is summed byte by byte.
   */
  tcp(out: Buffer, view: DataView, at: number, seq: number, ack: number, flags: number, payload?: Payload): number {
    const options = flags & TCP_FLAGS.SYN ? SYN_OPTIONS : 0;
    const length = TCP_HEADER + options + (payload?.length ?? 0);
    const t = this.transport(out, view, at, length);
    seq >>>= 0;
    ack = flags & TCP_FLAGS.ACK ? ack >>> 0 : 0;
    const offsetFlags = (((TCP_HEADER + options) / 4) << 12) | flags;
    view.setUint32(t + 4, seq);
    view.setUint32(t + 8, ack);
    view.setUint16(t + 12, offsetFlags);
    let sum = this.transportSum + length + (seq >>> 16) + (seq & 0xffff) + (ack >>> 16) + (ack & 0xffff) + offsetFlags;
    if (options) {
      view.setUint16(t + 20, 0x0204);
      view.setUint16(t + 22, MSS);
      sum += 0x0204 + MSS;
    }
    return this.finish(out, view, t + TCP_HEADER + options, payload, sum, t + 16);
  }

  /** A UDP datagram written into `out` (and `view`) at `at`; returns where it ends. */
  udp(out: Buffer, view: DataView, at: number, payload: Payload): number {
    const length = UDP_HEADER + payload.length;
    const t = this.transport(out, view, at, length);
    view.setUint16(t + 4, length);
    // the length is in the pseudo-header and in the header
    return this.finish(out, view, t + UDP_HEADER, payload, this.transportSum + 2 * length, t + 6);
  }

  /** the headers copied to `at`, the IP lengths (and IPv4's id and checksum) set; returns where the transport header starts */
  private transport(out: Buffer, view: DataView, at: number, length: number): number {
    out.set(this.head, at);
    const ip = at + ETHERNET;
    if (this.v6) view.setUint16(ip + 4, length);
    else {
      ipId = (ipId + 1) & 0xffff;
      view.setUint16(ip + 2, 20 + length);
      view.setUint16(ip + 4, ipId);
      view.setUint16(ip + 10, ~fold(this.ipSum + 20 + length + ipId) & 0xffff);
    }
    return ip + this.ipLength;
  }

  /** the payload at `end`, and the transport checksum at `checksumAt` */
  private finish(out: Buffer, view: DataView, end: number, payload: Payload | undefined, sum: number, checksumAt: number): number {
    if (payload) {
      const n = payload.copyInto(out, end);
      if (n < payload.length) out.fill(0, end + n, end + payload.length);
      sum = sum16(out, end, end + payload.length, sum);
      end += payload.length;
    }
    const checksum = ~fold(sum) & 0xffff;
    // UDP: a computed 0 is sent as all ones (RFC 768), 0 means "no checksum"
    view.setUint16(checksumAt, checksum === 0 && this.protocol === 17 ? 0xffff : checksum);
    return end;
  }
}

/** A frame's payload: its length, and a way to copy it into the frame (from a buffer, or straight from the capture). */
export interface Payload {
  readonly length: number;
  /** copies into `out` at `at`; returns how many bytes it had (the rest is zeros) */
  copyInto(out: Buffer, at: number): number;
}

/** A buffer as a payload (one object, pointed at each buffer in turn). */
export class BufferPayload implements Payload {
  bytes: Buffer = Buffer.alloc(0);
  get length(): number {
    return this.bytes.length;
  }
  of(bytes: Buffer): this {
    this.bytes = bytes;
    return this;
  }
  copyInto(out: Buffer, at: number): number {
    out.set(this.bytes, at);
    return this.bytes.length;
  }
}

/** A DataView of exactly `b`'s bytes. */
export const viewOf = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.length);

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

/** One TCP frame in a buffer of its own (a file made by hand, a test's). */
export function tcpFrame(s: TcpSegment): Buffer {
  const template = new FrameTemplate(s.src, s.dst, s.srcPort, s.dstPort, 6);
  const out = Buffer.alloc(template.size(s.payload?.length ?? 0, s.flags));
  template.tcp(out, viewOf(out), 0, s.seq, s.ack, s.flags, s.payload && new BufferPayload().of(s.payload));
  return out;
}

export function udpFrame(src: Address, dst: Address, srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const template = new FrameTemplate(src, dst, srcPort, dstPort, 17);
  const out = Buffer.alloc(template.size(payload.length));
  template.udp(out, viewOf(out), 0, new BufferPayload().of(payload));
  return out;
}
