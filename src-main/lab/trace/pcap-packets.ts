/**
 * One captured frame down to its transport segment: the link layer (Ethernet with 802.1Q
 * tags, Linux cooked SLL and SLL2, raw IP, BSD loopback/null), IPv4 (RFC 791) or IPv6
 * (RFC 8200, extension headers skipped), then TCP (RFC 9293) or UDP (RFC 768). Everything
 * else (ARP, ICMP, fragments) is not a segment the inspector can show, and is counted.
 */

export interface Segment {
  transport: 'tcp' | 'udp';
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** TCP only */
  seq: number;
  ack: number;
  flags: number;
  payload: Buffer;
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, ACK: 0x10 } as const;

const LINKTYPE = { NULL: 0, ETHERNET: 1, RAW: 101, LOOP: 108, SLL: 113, IPV4: 228, IPV6: 229, SLL2: 276, RAW_BSD: 12, RAW_OPENBSD: 14 } as const;

/** The IP packet inside a frame, or null for a link type or an ethertype that carries none. */
function ipOf(linkType: number, f: Buffer): Buffer | null {
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      let at = 12;
      let type = f.length >= 14 ? f.readUInt16BE(12) : 0;
      // 802.1Q / 802.1ad tags: four bytes each before the real ethertype
      while ((type === 0x8100 || type === 0x88a8) && f.length >= at + 6) {
        at += 4;
        type = f.readUInt16BE(at);
      }
      return type === 0x0800 || type === 0x86dd ? f.subarray(at + 2) : null;
    }
    case LINKTYPE.SLL:
      return f.length >= 16 && [0x0800, 0x86dd].includes(f.readUInt16BE(14)) ? f.subarray(16) : null;
    case LINKTYPE.SLL2:
      return f.length >= 20 && [0x0800, 0x86dd].includes(f.readUInt16BE(0)) ? f.subarray(20) : null;
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (f.length < 4) return null;
      // the address family, in the capturing host's byte order (NULL) or network order (LOOP)
      const family = linkType === LINKTYPE.LOOP ? f.readUInt32BE(0) : f.readUInt32LE(0) < 0x10000 ? f.readUInt32LE(0) : f.readUInt32BE(0);
      return [2, 10, 24, 28, 30].includes(family) ? f.subarray(4) : null;
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_BSD:
    case LINKTYPE.RAW_OPENBSD:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return f;
    default:
      return null;
  }
}

function v4(b: Buffer, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** RFC 5952's short form: lower case, the longest run of zero groups as "::". */
function v6(b: Buffer, at: number): string {
  const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(at + i * 2));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** The transport protocol and its bytes inside an IP packet; null for a fragment or a short packet. */
function transportOf(p: Buffer): { protocol: number; src: string; dst: string; body: Buffer } | null {
  const version = p.length ? p[0] >> 4 : 0;
  if (version === 4) {
    const ihl = (p[0] & 0x0f) * 4;
    if (ihl < 20 || p.length < ihl) return null;
    const total = Math.min(p.readUInt16BE(2) || p.length, p.length);
    const fragment = p.readUInt16BE(6);
    // more fragments, or an offset: only a whole datagram is a segment
    if (fragment & 0x2000 || fragment & 0x1fff) return null;
    return { protocol: p[9], src: v4(p, 12), dst: v4(p, 16), body: p.subarray(ihl, total) };
  }
  if (version === 6) {
    if (p.length < 40) return null;
    let next = p[6];
    let at = 40;
    const end = Math.min(40 + p.readUInt16BE(4), p.length);
    // hop-by-hop, routing, destination options: skip; a fragment header: not whole
    while ([0, 43, 60].includes(next) && at + 8 <= end) {
      next = p[at];
      at += (p[at + 1] + 1) * 8;
    }
    if (next === 44 || at > end) return null;
    return { protocol: next, src: v6(p, 8), dst: v6(p, 24), body: p.subarray(at, end) };
  }
  return null;
}

export function segmentOf(linkType: number, frame: Buffer): Segment | null {
  const ip = ipOf(linkType, frame);
  const t = ip && transportOf(ip);
  if (!t) return null;
  const b = t.body;
  if (t.protocol === 6 && b.length >= 20) {
    const offset = (b[12] >> 4) * 4;
    if (offset < 20 || offset > b.length) return null;
    return { transport: 'tcp', src: t.src, dst: t.dst, srcPort: b.readUInt16BE(0), dstPort: b.readUInt16BE(2), seq: b.readUInt32BE(4), ack: b.readUInt32BE(8), flags: b[13], payload: b.subarray(offset) };
  }
  if (t.protocol === 17 && b.length >= 8) {
    const length = Math.min(Math.max(b.readUInt16BE(4), 8), b.length);
    return { transport: 'udp', src: t.src, dst: t.dst, srcPort: b.readUInt16BE(0), dstPort: b.readUInt16BE(2), seq: 0, ack: 0, flags: 0, payload: b.subarray(8, length) };
  }
  return null;
}
