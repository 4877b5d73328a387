/**
 * Pure decoders: bytes in, a one-line summary and a field tree out. One per protocol;
 * protocols added by later services register here. Unknown protocols fall back to text.
 */
import type { CaptureKind, DecodedField, Direction } from '../api';
import { isMostlyText, lineEnding, oneLine } from './text';

export interface Decoder {
  summarize(kind: CaptureKind, dir: Direction, bytes: Buffer): string;
  decode(kind: CaptureKind, dir: Direction, bytes: Buffer): DecodedField[];
}

function textFields(bytes: Buffer): DecodedField[] {
  const text = isMostlyText(bytes);
  return [
    { name: 'Length', value: `${bytes.length} bytes` },
    { name: 'Encoding', value: text ? 'ASCII text' : 'binary' },
    { name: 'Line ending', value: lineEnding(bytes) },
    { name: 'Text', value: oneLine(bytes, 2000) },
  ];
}

export const textDecoder: Decoder = {
  summarize: (_kind, _dir, bytes) => oneLine(bytes),
  decode: (_kind, _dir, bytes) => textFields(bytes),
};

/** The socket chapter's uppercase echo: the client sends a sentence, the server its capitals. */
export const echoDecoder: Decoder = {
  summarize(kind, dir, bytes) {
    if (kind === 'event') return oneLine(bytes, 120);
    return oneLine(bytes);
  },
  decode(kind, dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    const role =
      dir === 'c2s' ? 'sentence from the client' : dir === 's2c' ? 'uppercased reply from the server' : 'note';
    return [{ name: 'Echo', value: role, children: textFields(bytes) }];
  },
};

const decoders = new Map<string, Decoder>([
  ['echo', echoDecoder],
  ['text', textDecoder],
]);

export function registerDecoder(protocol: string, decoder: Decoder): void {
  decoders.set(protocol, decoder);
}

export function decoderFor(protocol: string): Decoder {
  return decoders.get(protocol) ?? textDecoder;
}
