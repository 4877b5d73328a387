/** How each byte shows in a one-line summary (built once: summaries are made per message). */
const SHOWN: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x0d) return '\\r';
  if (b === 0x0a) return '\\n';
  if (b === 0x09) return '\\t';
  if (b < 0x20 || b === 0x7f) return `\\x${b.toString(16).padStart(2, '0')}`;
  if (b < 0x80) return String.fromCharCode(b);
  return '·';
});

/** Shows protocol text on one line: CR and LF made visible, control bytes escaped, capped. */
export function oneLine(bytes: Uint8Array, max = 80): string {
  let out = '';
  for (let i = 0; i < bytes.length && out.length < max; i++) out += SHOWN[bytes[i]];
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
