/** Byte helpers for the detail pane: base64 in, text and hex dumps out. */

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export type TextEncodingName = 'utf-8' | 'latin1';

export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

/** Makes line ends and other control characters visible (␍ ␊ ␉ and the ␀.. pictures). */
export function showControls(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (c === '\n') return '␊\n';
    if (c === '\r') return '␍';
    if (c === '\t') return '␉';
    if (c === '\x7f') return '␡';
    return String.fromCharCode(0x2400 + c.charCodeAt(0));
  });
}

export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

export function hexDump(bytes: Uint8Array, width = 16): HexLine[] {
  const lines: HexLine[] = [];
  for (let off = 0; off < bytes.length; off += width) {
    const row = bytes.subarray(off, off + width);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < width; i++) {
      if (i === width / 2) hex += ' ';
      if (i < row.length) {
        const b = row[i];
        hex += b.toString(16).padStart(2, '0') + ' ';
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '   ';
      }
    }
    lines.push({ offset: off.toString(16).padStart(8, '0'), hex, ascii });
  }
  return lines;
}
