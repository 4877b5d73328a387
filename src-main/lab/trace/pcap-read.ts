/**
 * Reads a packet trace: the classic pcap format (either byte order, microsecond or
 * nanosecond timestamps) and pcapng (draft-ietf-opsawg-pcapng: Section Header, Interface
 * Description, Enhanced and Simple Packet Blocks; other blocks are skipped by their length).
 * The file comes from outside: every length is checked against what is left, and a file cut
 * short keeps the packets read before the cut and says where it ended.
 */

export interface TracePacket {
  /** µs since 1970 (fractional when the file has finer timestamps) */
  micros: number;
  /** the interface's link type (LINKTYPE_* of the tcpdump.org registry) */
  linkType: number;
  data: Buffer;
  /** the packet's comment (pcapng opt_comment), e.g. NetLab's own notes */
  comment?: string;
}

export interface Trace {
  format: 'pcap' | 'pcapng';
  packets: TracePacket[];
  /** what the reader noticed and went past (a cut-short end, an unknown block) */
  warnings: string[];
}

export class TraceError extends Error {}

const PCAP_US = 0xa1b2c3d4;
const PCAP_NS = 0xa1b23c4d;
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const SPB = 0x00000003;
const EPB = 0x00000006;
const OPT_COMMENT = 1;
const IF_TSRESOL = 9;
/** no packet is larger than this (Wireshark's own limit for most link types) */
const MAX_PACKET = 262_144;

export function readTrace(file: Buffer): Trace {
  if (file.length < 4) throw new TraceError(`not a pcap or pcapng file: only ${file.length} bytes`);
  const magic = file.readUInt32LE(0);
  if (magic === SHB) return readPcapng(file);
  if ([PCAP_US, PCAP_NS].includes(magic) || [PCAP_US, PCAP_NS].includes(file.readUInt32BE(0))) return readPcap(file);
  throw new TraceError(`not a pcap or pcapng file: it starts with ${file.subarray(0, 4).toString('hex')} (a pcap file starts with a1b2c3d4 or d4c3b2a1, a pcapng file with 0a0d0d0a)`);
}

function cutShort(at: number, what: string, size: number): string {
  return `the file is cut short: ${what} at byte ${at} needs ${size} bytes, the file ends ${size > 0 ? 'before' : 'at'} that; the packets before it are shown`;
}

function readPcap(file: Buffer): Trace {
  if (file.length < 24) throw new TraceError(`not a whole pcap file: its 24-byte header is cut at byte ${file.length}`);
  const le = [PCAP_US, PCAP_NS].includes(file.readUInt32LE(0));
  const u32 = (at: number): number => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const nanos = (le ? file.readUInt32LE(0) : file.readUInt32BE(0)) === PCAP_NS;
  const linkType = u32(20) & 0x0fffffff;
  const packets: TracePacket[] = [];
  const warnings: string[] = [];
  let at = 24;
  while (at < file.length) {
    if (at + 16 > file.length) {
      warnings.push(cutShort(at, 'a packet header', 16));
      break;
    }
    const caplen = u32(at + 8);
    if (caplen > MAX_PACKET) throw new TraceError(`packet header at byte ${at} claims ${caplen} bytes (more than ${MAX_PACKET}): the file is damaged`);
    if (at + 16 + caplen > file.length) {
      warnings.push(cutShort(at, 'a packet', 16 + caplen));
      break;
    }
    const frac = u32(at + 4);
    packets.push({ micros: u32(at) * 1e6 + (nanos ? frac / 1000 : frac), linkType, data: file.subarray(at + 16, at + 16 + caplen) });
    at += 16 + caplen;
  }
  return { format: 'pcap', packets, warnings };
}

interface Iface {
  linkType: number;
  /** timestamp units per µs divisor: a timestamp / unitsPerMicro is µs */
  unitsPerMicro: number;
  snapLength: number;
}

/** The options of a block body from `at` to `end`: code → values. */
function readOptions(body: Buffer, at: number, end: number, le: boolean): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>();
  while (at + 4 <= end) {
    const code = le ? body.readUInt16LE(at) : body.readUInt16BE(at);
    const length = le ? body.readUInt16LE(at + 2) : body.readUInt16BE(at + 2);
    if (code === 0 || at + 4 + length > end) break;
    out.set(code, [...(out.get(code) ?? []), body.subarray(at + 4, at + 4 + length)]);
    at += 4 + ((length + 3) & ~3);
  }
  return out;
}

function resolution(value: Buffer | undefined): number {
  if (!value || value.length < 1) return 1; // the default: microseconds
  const v = value[0];
  const units = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** (v & 0x7f);
  return units / 1e6;
}

function readPcapng(file: Buffer): Trace {
  const packets: TracePacket[] = [];
  const warnings: string[] = [];
  let le = true;
  let ifaces: Iface[] = [];
  let at = 0;
  while (at < file.length) {
    if (at + 12 > file.length) {
      if (at === 0) throw new TraceError('not a whole pcapng file: its section header is cut short');
      warnings.push(cutShort(at, 'a block', 12));
      break;
    }
    const type = le ? file.readUInt32LE(at) : file.readUInt32BE(at);
    if (type === SHB) {
      // a new section: its own byte order, its own interfaces
      if (at + 12 > file.length) break;
      const order = file.readUInt32LE(at + 8);
      if (order === 0x1a2b3c4d) le = true;
      else if (order === 0x4d3c2b1a) le = false;
      else throw new TraceError(`the section header at byte ${at} has no byte-order magic (1a2b3c4d): the file is damaged`);
      ifaces = [];
    }
    const total = le ? file.readUInt32LE(at + 4) : file.readUInt32BE(at + 4);
    if (total < 12 || total % 4 !== 0) throw new TraceError(`block at byte ${at} has length ${total} (a block is at least 12 bytes, a multiple of 4): the file is damaged`);
    if (at + total > file.length) {
      if (at === 0) throw new TraceError('not a whole pcapng file: its section header is cut short');
      warnings.push(cutShort(at, 'a block', total));
      break;
    }
    const body = file.subarray(at + 8, at + total - 4);
    const u32 = (o: number): number => (le ? body.readUInt32LE(o) : body.readUInt32BE(o));
    if (type === IDB && body.length >= 8) {
      const opts = readOptions(body, 8, body.length, le);
      ifaces.push({ linkType: le ? body.readUInt16LE(0) : body.readUInt16BE(0), snapLength: u32(4), unitsPerMicro: resolution(opts.get(IF_TSRESOL)?.[0]) });
    } else if (type === EPB && body.length >= 20) {
      const iface = ifaces[u32(0)];
      const caplen = u32(12);
      if (!iface) throw new TraceError(`packet at byte ${at} names interface ${u32(0)}, which no Interface Description Block before it describes`);
      if (20 + caplen > body.length) throw new TraceError(`packet at byte ${at} claims ${caplen} bytes, its block holds ${body.length - 20}: the file is damaged`);
      const opts = readOptions(body, 20 + ((caplen + 3) & ~3), body.length, le);
      const stamp = u32(4) * 2 ** 32 + u32(8);
      const comment = opts.get(OPT_COMMENT)?.map((c) => c.toString('utf8')).join('\n');
      packets.push({ micros: stamp / iface.unitsPerMicro, linkType: iface.linkType, data: body.subarray(20, 20 + caplen), ...(comment ? { comment } : {}) });
    } else if (type === SPB && body.length >= 4) {
      const iface = ifaces[0];
      if (!iface) throw new TraceError(`packet at byte ${at} comes before any Interface Description Block`);
      const length = Math.min(u32(0), body.length - 4, iface.snapLength || Infinity);
      // a Simple Packet Block has no timestamp: it takes the previous packet's
      packets.push({ micros: packets.at(-1)?.micros ?? 0, linkType: iface.linkType, data: body.subarray(4, 4 + length) });
    }
    // other blocks (interface statistics, name resolution …) are passed over by their length
    at += total;
  }
  return { format: 'pcapng', packets, warnings };
}
