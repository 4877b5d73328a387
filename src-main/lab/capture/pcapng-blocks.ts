/**
 * The blocks of a pcapng file (the IETF draft "PCAP Next Generation Dump File Format",
 * draft-ietf-opsawg-pcapng): a Section Header Block, one Interface Description Block for an
 * Ethernet interface with microsecond timestamps, and an Enhanced Packet Block per frame,
 * each with an optional comment. Little-endian throughout; the byte-order magic says so.
 */

import { zeroed } from './pcapng-frames';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const OPT_END = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const SHB_USERAPPL = 4;
const LINKTYPE_ETHERNET = 1;

interface Option {
  code: number;
  value: Buffer;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Options as the format lays them out: code, length, value padded to 32 bits; then the end. */
function options(list: Option[]): Buffer {
  if (list.length === 0) return zeroed(0);
  const size = list.reduce((n, o) => n + 4 + pad4(o.value.length), 0) + 4;
  const out = zeroed(size);
  let at = 0;
  for (const o of list) {
    out.writeUInt16LE(o.code, at);
    out.writeUInt16LE(o.value.length, at + 2);
    o.value.copy(out, at + 4);
    at += 4 + pad4(o.value.length);
  }
  out.writeUInt16LE(OPT_END, at);
  return out;
}

/** A block: type, total length, body, total length again. */
function block(type: number, body: Buffer[]): Buffer {
  const bodyLength = body.reduce((n, b) => n + b.length, 0);
  const total = 12 + bodyLength;
  const head = zeroed(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(total, 4);
  const tail = zeroed(4);
  tail.writeUInt32LE(total, 0);
  return Buffer.concat([head, ...body, tail], total);
}

/** A comment's text, cut to what an option's 16-bit length can carry. */
function commentOption(text: string): Option {
  let value = Buffer.from(text, 'utf8');
  if (value.length > 65_000) value = value.subarray(0, 65_000);
  return { code: OPT_COMMENT, value };
}

export function sectionHeader(comment: string, application: string): Buffer {
  const fixed = zeroed(16);
  fixed.writeUInt32LE(0x1a2b3c4d, 0);
  fixed.writeUInt16LE(1, 4);
  fixed.writeUInt16LE(0, 6);
  // section length unknown (-1): the file is written as the capture goes
  fixed.writeBigInt64LE(-1n, 8);
  return block(SHB, [fixed, options([commentOption(comment), { code: SHB_USERAPPL, value: Buffer.from(application) }])]);
}

export function interfaceDescription(name: string, description: string): Buffer {
  const fixed = zeroed(8);
  fixed.writeUInt16LE(LINKTYPE_ETHERNET, 0);
  fixed.writeUInt32LE(0, 4); // no snap length limit
  return block(IDB, [
    fixed,
    options([
      { code: IF_NAME, value: Buffer.from(name) },
      { code: IF_DESCRIPTION, value: Buffer.from(description) },
      // 10^-6: timestamps count microseconds
      { code: IF_TSRESOL, value: Buffer.from([6]) },
    ]),
  ]);
}

/** One frame at `micros` (µs since 1970), with its comment when it has one. */
export function enhancedPacket(micros: number, frame: Buffer, comment?: string): Buffer {
  const fixed = zeroed(20);
  fixed.writeUInt32LE(0, 0); // interface 0
  fixed.writeUInt32LE(Math.floor(micros / 2 ** 32), 4);
  fixed.writeUInt32LE(micros % 2 ** 32, 8);
  fixed.writeUInt32LE(frame.length, 12);
  fixed.writeUInt32LE(frame.length, 16);
  const padding = zeroed(pad4(frame.length) - frame.length);
  return block(EPB, [fixed, frame, padding, options(comment ? [commentOption(comment)] : [])]);
}
