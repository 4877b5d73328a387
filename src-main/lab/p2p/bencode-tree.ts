/** A bencoded value as the inspector's field tree: dictionaries and lists nest, byte strings
 *  show as text when printable, as hex otherwise (info hashes, peer ids, compact peers). */
import type { DecodedField } from '../api';
import { bdecode, type BValue } from './bencode';

const MAX_NODES = 500;

function bytesText(b: Uint8Array): string {
  const buf = Buffer.from(b);
  const printable = buf.every((c) => c >= 0x20 && c < 0x7f);
  if (printable) return JSON.stringify(buf.toString('latin1').slice(0, 300));
  return `<${buf.length} bytes> ${buf.subarray(0, 40).toString('hex')}${buf.length > 40 ? '…' : ''}`;
}

export function bencodeFields(value: BValue, name = 'value', budget = { n: MAX_NODES }): DecodedField {
  budget.n--;
  if (budget.n < 0) return { name, value: '…' };
  if (typeof value === 'number') return { name, value: String(value) };
  if (value instanceof Uint8Array) {
    const field: DecodedField = { name, value: bytesText(value) };
    // compact peer list: 6 bytes per peer
    if (name === 'peers' && value.length % 6 === 0) {
      const children: DecodedField[] = [];
      for (let i = 0; i + 6 <= value.length && children.length < 200; i += 6) {
        children.push({ name: `peer ${i / 6 + 1}`, value: `${value[i]}.${value[i + 1]}.${value[i + 2]}.${value[i + 3]}:${(value[i + 4] << 8) | value[i + 5]}` });
      }
      field.value = `${value.length / 6} peers (compact)`;
      field.children = children;
    }
    return field;
  }
  if (Array.isArray(value)) {
    return { name, value: `list of ${value.length}`, children: value.slice(0, 200).map((v, i) => bencodeFields(v, `[${i}]`, budget)) };
  }
  const keys = Object.keys(value);
  return { name, value: `dictionary of ${keys.length}`, children: keys.map((k) => bencodeFields(value[k], printableKey(k), budget)) };
}

function printableKey(k: string): string {
  return /^[\x20-\x7e]*$/.test(k) ? k : Buffer.from(k, 'latin1').toString('hex');
}

/** Decode and render, or a one-field explanation when the bytes are not bencode. */
export function bencodeTree(bytes: Uint8Array, name = 'Bencode'): DecodedField {
  try {
    return bencodeFields(bdecode(bytes), name);
  } catch (err) {
    return { name, value: `not valid bencode: ${(err as Error).message}` };
  }
}
