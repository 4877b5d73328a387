/** Shows protocol text on one line: CR and LF made visible, control bytes escaped, capped. */
export function oneLine(bytes: Uint8Array, max = 80): string {
  let out = '';
  for (let i = 0; i < bytes.length && out.length < max; i++) {
    const b = bytes[i];
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b < 0x20 || b === 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else if (b < 0x80) out += String.fromCharCode(b);
    else out += '·';
  }
  return out.length >= max ? `${out.slice(0, max)}…` : out;
}

export function lineEnding(bytes: Uint8Array): 'CRLF' | 'LF' | 'none' {
  const n = bytes.length;
  if (n >= 2 && bytes[n - 2] === 0x0d && bytes[n - 1] === 0x0a) return 'CRLF';
  if (n >= 1 && bytes[n - 1] === 0x0a) return 'LF';
  return 'none';
}

export function isMostlyText(bytes: Uint8Array): boolean {
  let printable = 0;
  for (const b of bytes) if (b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f)) printable++;
  return bytes.length === 0 || printable / bytes.length > 0.9;
}
