/**
 * Typed door to the `bencode` library (BEP 3's encoding for .torrent files and tracker
 * responses), plus a bounded decoder for bytes that come from outside.
 */
// @ts-expect-error the bencode package ships no type declarations
import bencodeLib from 'bencode';

export type BValue = number | Uint8Array | BValue[] | { [key: string]: BValue };
export type BInput = number | string | Uint8Array | BInput[] | { [key: string]: BInput | undefined };

const lib = bencodeLib as { encode(v: unknown): Uint8Array; decode(b: Uint8Array): unknown };

export function bencode(value: BInput): Buffer {
  const out = lib.encode(value);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Nesting deeper than this is refused before the (recursive) library sees it. */
const MAX_DEPTH = 64;

function depthOk(bytes: Uint8Array): boolean {
  let depth = 0;
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i];
    if (c === 0x64 || c === 0x6c) {
      depth++;
      if (depth > MAX_DEPTH) return false;
      i++;
    } else if (c === 0x65) {
      depth--;
      i++;
    } else if (c === 0x69) {
      const end = bytes.indexOf(0x65, i);
      if (end < 0) return true;
      i = end + 1;
    } else if (c >= 0x30 && c <= 0x39) {
      const colon = bytes.indexOf(0x3a, i);
      if (colon < 0) return true;
      const len = Number(Buffer.from(bytes.subarray(i, colon)).toString('latin1'));
      if (!Number.isFinite(len)) return true;
      i = colon + 1 + len;
    } else return true;
  }
  return true;
}

/** Decode bencode from an untrusted source; throws on malformed input or deep nesting. */
export function bdecode(bytes: Uint8Array): BValue {
  if (!depthOk(bytes)) throw new Error(`bencode nested deeper than ${MAX_DEPTH}`);
  const v = lib.decode(bytes);
  if (v === null || v === undefined) throw new Error('empty bencode');
  return v as BValue;
}

export function isDict(v: BValue | undefined): v is { [key: string]: BValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function bstr(v: BValue | undefined): string | undefined {
  return v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : undefined;
}
