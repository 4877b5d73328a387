/**
 * RFC 2047 encoded words in a header's text ("=?UTF-8?B?55Wq6IyE6YWx?=" → "番茄酱"), for the
 * mailbox list, which reads only the head of each file (the message view parses the whole
 * message with mailparser). B and Q encodings, any charset the runtime's TextDecoder knows;
 * a word that does not decode stays as written. White space between two adjacent encoded
 * words is dropped (RFC 2047 §6.2).
 */
const WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g;

function bytesOf(encoding: string, text: string): Uint8Array | null {
  if (encoding === 'B' || encoding === 'b') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
    return Buffer.from(text, 'base64');
  }
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '_') out.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(text.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(out);
}

function decodeWord(charset: string, encoding: string, text: string): string | null {
  const bytes = bytesOf(encoding, text);
  if (!bytes) return null;
  try {
    return new TextDecoder(charset.toLowerCase(), { fatal: true }).decode(bytes);
  } catch {
    return null; // an unknown charset or bytes it cannot hold
  }
}

export function decodeWords(header: string): string {
  if (!header.includes('=?')) return header;
  // adjacent encoded words: the white space between them is not part of the text
  const joined = header.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(WORD, (whole, charset: string, encoding: string, text: string) => decodeWord(charset, encoding, text) ?? whole);
}
