/**
 * Trace files read back (issue 14): classic pcap in both byte orders and with nanosecond
 * stamps, pcapng with Enhanced and Simple Packet Blocks, the link types loopback captures use
 * (Ethernet, Linux cooked SLL/SLL2, raw IP, BSD null), and a TCP stream whose segments come
 * out of order and twice: tshark flags them so, and the inspector's reading is the stream the
 * receiver read, cut into the same HTTP messages.
 */
import { describe, expect, it } from 'vitest';
import { parseAddress, tcpFrame, TCP_FLAGS } from '../../../src-main/lab/capture/pcapng-frames';
import { enhancedPacket, interfaceDescription, sectionHeader } from '../../../src-main/lab/capture/pcapng-blocks';
import { importTrace } from '../../../src-main/lab/trace/import';
import { readTrace, TraceError } from '../../../src-main/lab/trace/pcap-read';
import '../../../src-main/lab/web/decoder';
import { tsharkFields, writeTemp } from '../../helpers/tshark';

const { SYN, ACK, FIN, PSH } = TCP_FLAGS;
const v4client = parseAddress('10.0.0.1')!;
const v4server = parseAddress('10.0.0.2')!;
const REQUEST = Buffer.from('GET /index.html HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n');
const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi');
const C = 1000;
const S = 5000;

/** The segments as the wire carried them: the request's middle piece late, its first piece twice. */
function segments(client = v4client, server = v4server): Buffer[] {
  const up = (seq: number, flags: number, payload?: Buffer): Buffer => tcpFrame({ src: client, dst: server, srcPort: 40000, dstPort: 8080, seq, ack: S + 1, flags, payload });
  const down = (seq: number, flags: number, payload?: Buffer): Buffer => tcpFrame({ src: server, dst: client, srcPort: 8080, dstPort: 40000, seq, ack: C + 1 + REQUEST.length, flags, payload });
  const piece = (from: number, to: number): Buffer => REQUEST.subarray(from, to);
  return [
    tcpFrame({ src: client, dst: server, srcPort: 40000, dstPort: 8080, seq: C, ack: 0, flags: SYN }),
    tcpFrame({ src: server, dst: client, srcPort: 8080, dstPort: 40000, seq: S, ack: C + 1, flags: SYN | ACK }),
    up(C + 1, ACK),
    up(C + 1, ACK, piece(0, 10)),
    up(C + 21, ACK | PSH, piece(20, REQUEST.length)), // ahead of a gap
    up(C + 1, ACK, piece(0, 10)), // the first piece again
    up(C + 6, ACK, piece(5, 20)), // overlaps what came, fills the gap
    down(S + 1, ACK | PSH, RESPONSE),
    up(C + 1 + REQUEST.length, FIN | ACK),
    down(S + 1 + RESPONSE.length, FIN | ACK),
    up(C + 2 + REQUEST.length, ACK),
  ];
}

/** A classic pcap: `linkType`, frames as that link carries them. */
function pcap(linkType: number, frames: Buffer[], opts: { bigEndian?: boolean; nanos?: boolean } = {}): Buffer {
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    if (opts.bigEndian) b.writeUInt32BE(n >>> 0);
    else b.writeUInt32LE(n >>> 0);
    return b;
  };
  const u16 = (n: number): Buffer => {
    const b = Buffer.alloc(2);
    if (opts.bigEndian) b.writeUInt16BE(n);
    else b.writeUInt16LE(n);
    return b;
  };
  const head = Buffer.concat([u32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(262144), u32(linkType)]);
  return Buffer.concat([head, ...frames.flatMap((f, i) => [u32(1_700_000_000), u32(i * (opts.nanos ? 1000 : 1)), u32(f.length), u32(f.length), f])]);
}

const ip = (f: Buffer): Buffer => f.subarray(14);
const LINKS: Record<string, { type: number; frame: (eth: Buffer) => Buffer }> = {
  ethernet: { type: 1, frame: (f) => f },
  'raw IP': { type: 101, frame: ip },
  'Linux cooked (SLL)': { type: 113, frame: (f) => Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00]), ip(f)]) },
  'Linux cooked v2 (SLL2)': { type: 276, frame: (f) => Buffer.concat([Buffer.from([0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]), ip(f)]) },
  'BSD loopback (null)': { type: 0, frame: (f) => Buffer.concat([Buffer.from([2, 0, 0, 0]), ip(f)]) },
};

function expectExchange(file: Buffer, ends = { client: '10.0.0.1', server: '10.0.0.2' }): void {
  const { store, info } = importTrace('t', file);
  expect(info.segments).toBe(11);
  const messages = [...store.query({ kind: 'message' })].filter((m) => m.kind === 'message');
  expect(messages.map((m) => [m.dir, m.bytes.toString()])).toEqual([
    ['c2s', REQUEST.toString()],
    ['s2c', RESPONSE.toString()],
  ]);
  expect(messages[0].summary).toMatch(/^GET \/index\.html HTTP\/1\.1/);
  const [conn] = store.allConnections();
  expect(conn).toMatchObject({ service: 'http', protocol: 'http', client: { address: ends.client, port: 40000 }, server: { address: ends.server, port: 8080 } });
  expect(conn.closed).toBeDefined();
}

describe('reading trace files', () => {
  it('has tshark see the test stream as out of order and retransmitted', async () => {
    const file = await writeTemp('reordered.pcap', pcap(1, segments()));
    const flags = await tsharkFields(file, 'tcp.analysis.out_of_order || tcp.analysis.retransmission', ['frame.number']);
    expect(flags.length).toBeGreaterThanOrEqual(2);
  });

  for (const [name, link] of Object.entries(LINKS)) {
    it(`reassembles the stream from ${name} frames`, () => expectExchange(pcap(link.type, segments().map(link.frame))));
  }

  it('reads IPv6 (RFC 5952 text for the addresses)', () => {
    const frames = segments(parseAddress('2001:db8::1')!, parseAddress('2001:db8::2')!);
    expectExchange(pcap(1, frames), { client: '2001:db8::1', server: '2001:db8::2' });
  });

  it('closes a connection on RST, with the bytes before it read', () => {
    const frames = segments().slice(0, 8);
    frames.push(tcpFrame({ src: v4client, dst: v4server, srcPort: 40000, dstPort: 8080, seq: C + 1 + REQUEST.length, ack: 0, flags: TCP_FLAGS.ACK | 0x04 }));
    const { store } = importTrace('t', pcap(1, frames));
    const notes = [...store.query({ kind: 'event' })].map((m) => m.summary);
    expect(notes.slice(-2)).toEqual(['client reset the connection (RST)', 'connection closed']);
    expect([...store.query({ kind: 'message' })].filter((m) => m.kind === 'message')).toHaveLength(2);
    expect(store.allConnections()[0].closed).toBeDefined();
  });

  it('reads big-endian pcap with nanosecond stamps', () => {
    const file = pcap(1, segments(), { bigEndian: true, nanos: true });
    expect(readTrace(file).packets[3].micros).toBe(1_700_000_000e6 + 3);
    expectExchange(file);
  });

  it('reads pcapng with Enhanced Packet Blocks and their comments, and a Simple Packet Block', () => {
    const frames = segments();
    const spb = (f: Buffer): Buffer => {
      const total = 16 + ((f.length + 3) & ~3);
      const b = Buffer.alloc(total);
      b.writeUInt32LE(3, 0);
      b.writeUInt32LE(total, 4);
      b.writeUInt32LE(f.length, 8);
      f.copy(b, 12);
      b.writeUInt32LE(total, total - 4);
      return b;
    };
    const file = Buffer.concat([
      sectionHeader('test', 'test'),
      interfaceDescription('eth0', 'test'),
      ...frames.slice(0, -1).map((f, i) => enhancedPacket(1_700_000_000e6 + i, f, i === 3 ? 'NetLab: the request begins' : undefined)),
      spb(frames.at(-1)!),
    ]);
    const trace = readTrace(file);
    expect(trace.packets.map((p) => p.micros).at(-1)).toBe(1_700_000_000e6 + 9);
    expectExchange(file);
    const notes = [...importTrace('t', file).store.query({ kind: 'event' })].map((m) => m.summary);
    expect(notes).toContain('the request begins');
  });

  it('says how many packets it cannot show (ARP, another link type)', () => {
    const arp = Buffer.concat([Buffer.alloc(12, 0xff), Buffer.from([0x08, 0x06]), Buffer.alloc(28)]);
    const { info } = importTrace('t', pcap(1, [...segments(), arp]));
    expect(info.warnings).toEqual(['1 of 12 packets are not TCP or UDP over IPv4/IPv6 on a link type the inspector reads (ARP, ICMP, fragments …): not shown']);
    expect(importTrace('t', pcap(105, segments())).info.segments).toBe(0); // 802.11
  });

  it('says what is wrong with a file that is no trace, or is damaged', () => {
    expect(() => readTrace(Buffer.from('GIF89a'))).toThrow(TraceError);
    expect(() => readTrace(Buffer.from('ab'))).toThrow(/only 2 bytes/);
    const damaged = pcap(1, segments());
    damaged.writeUInt32LE(10_000_000, 24 + 8); // the first packet claims 10 MB
    expect(() => readTrace(damaged)).toThrow(/claims 10000000 bytes .* the file is damaged/);
    const ng = Buffer.concat([sectionHeader('x', 'x'), interfaceDescription('eth0', 'x')]);
    ng.writeUInt32LE(13, 4); // a block length that is no multiple of 4
    expect(() => readTrace(ng)).toThrow(/block at byte 0 has length 13/);
  });
});
