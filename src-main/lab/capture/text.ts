/** How each byte shows in a one-line summary (built once: summaries are made per message). */
const SHOWN: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x0d) return '\\r';
  if (b === 0x0a) return '\\n';
  if (b === 0x09) return '\\t';
  if (b < 0x20 || b === 0x7f) return `\\x${b.toString(16).padStart(2, '0')}`;
  if (b < 0x80) return String.fromCharCode(b);
  return '·';
});

/** bytes shown as themselves (printable ASCII): a run of them is one latin1 slice, not a string per byte */
const PLAIN: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x20 && b < 0x7f ? 1 : 0));

/** bytes [start, end) as latin1: Buffer's own slice when the runtime has it (no argument checks) */
const latin1 = (buf: Buffer, start: number, end: number): string => {
  const b = buf as Buffer & { latin1Slice?: (start: number, end: number) => string };
  return b.latin1Slice ? b.latin1Slice(start, end) : buf.toString('latin1', start, end);
};

/** Shows protocol text on one line: CR and LF made visible, control bytes escaped, capped.
 *  (A summary per captured message: runs of printable bytes go in whole, as one slice.) */
export function oneLine(bytes: Uint8Array, max = 80): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = buf.length;
  let out = '';
  let i = 0;
  while (i < n && out.length < max) {
    // as many printable bytes as still fit: each shows as one character
    const end = Math.min(n, i + max - out.length);
    let j = i;
    while (j < end && PLAIN[buf[j]] === 1) j++;
    if (j > i) {
      out += latin1(buf, i, j);
      i = j;
    } else out += SHOWN[buf[i++]];
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
