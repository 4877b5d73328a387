/**
 * TLS in the capture: a framer that cuts the byte stream at record boundaries (one message
 * per record, as Wireshark lists them) and the inspector's decoder of a record. Bytes that
 * are no TLS record (a plain HTTP request sent to the HTTPS port) are framed whole and said
 * to be so.
 */
import type { DecodedField, Direction } from '../api';
import { registerDecoder, type Decoder } from '../capture/decoders';
import type { Frame, Framer } from '../capture/framer';
import { oneLine } from '../capture/text';
import { looksLikeTls, MAX_RECORD, parseRecord, recordSummary, RECORD_HEADER } from './tls-records';

export const TLS_PROTOCOL = 'tls';

const NOTHING = Buffer.alloc(0);

export class TlsRecordFramer implements Framer {
  private pending: Record<Direction, Buffer> = { c2s: NOTHING, s2c: NOTHING, none: NOTHING };

  push(dir: Direction, chunk: Buffer): Frame[] {
    let b = this.pending[dir].length ? Buffer.concat([this.pending[dir], chunk]) : chunk;
    const frames: Frame[] = [];
    while (b.length) {
      if (b.length >= 3 && !looksLikeTls(b)) {
        // not TLS: the rest of this read as one message, the decoder says what it is not
        frames.push({ dir, bytes: b, oversized: false });
        b = NOTHING;
        break;
      }
      if (b.length < RECORD_HEADER) break;
      const end = RECORD_HEADER + Math.min(b.readUInt16BE(3), MAX_RECORD);
      if (b.length < end) break;
      frames.push({ dir, bytes: b.subarray(0, end), oversized: false });
      b = b.subarray(end);
    }
    this.pending[dir] = b;
    return frames;
  }

  /** the read is one whole record and nothing is pending: the common case once the handshake is done */
  single(dir: Direction, chunk: Buffer): boolean {
    return this.pending.c2s.length === 0 && this.pending.s2c.length === 0 && this.pending[dir].length === 0 && chunk.length >= RECORD_HEADER && looksLikeTls(chunk) && chunk.length === RECORD_HEADER + Math.min(chunk.readUInt16BE(3), MAX_RECORD);
  }

  flush(dir: Direction): Frame[] {
    const b = this.pending[dir];
    this.pending[dir] = NOTHING;
    return b.length ? [{ dir, bytes: b, oversized: false }] : [];
  }
}

const HIDDEN = 'encrypted: an onlooker sees its size and its time, not its contents. The lab is the server end, so the plaintext is in the rows marked "inside TLS" beside it';

function recordFields(b: Buffer): DecodedField[] {
  const rec = parseRecord(b);
  if (!rec) return [{ name: 'Not TLS', value: `${b.length} bytes that are no TLS record`, children: [{ name: 'Text', value: oneLine(b, 400) }] }];
  const header: DecodedField[] = [
    { name: 'Content type', value: `${rec.typeName} (${rec.type})` },
    { name: 'Legacy version', value: `0x${rec.version.toString(16).padStart(4, '0')}` },
    { name: 'Length', value: `${rec.length} bytes${b.length < rec.length + RECORD_HEADER ? ' (record cut short)' : ''}` },
  ];
  const h = rec.hello;
  if (h) {
    const hello: DecodedField[] = [{ name: 'Handshake type', value: rec.handshake ?? '' }];
    if (rec.handshake === 'ClientHello') {
      hello.push(
        { name: 'Server name (SNI)', value: h.sni ? `${h.sni} — in the clear: an onlooker learns which site` : '(none sent)' },
        { name: 'Versions offered', value: h.versions.join(', ') },
        { name: 'Cipher suites offered', value: String(h.cipherSuites) },
      );
    } else hello.push({ name: 'Version chosen', value: h.versions.join(', ') }, { name: 'Cipher suite chosen', value: h.cipherSuite ?? '' });
    if (h.alpn.length) hello.push({ name: 'ALPN', value: h.alpn.join(', ') });
    header.push({ name: 'Handshake', value: rec.handshake ?? '', children: hello });
  } else if (rec.alert) {
    header.push({ name: 'Alert', value: `${rec.alert.level}: ${rec.alert.description}` });
  } else if (rec.type === 23 || rec.type === 21 || (rec.type === 22 && !rec.handshake)) {
    header.push({ name: 'Contents', value: HIDDEN });
  } else if (rec.handshake) header.push({ name: 'Handshake type', value: `${rec.handshake} (or encrypted)` });
  return [{ name: 'TLS record', value: recordSummary(rec, b.length), children: header }];
}

export const tlsDecoder: Decoder = {
  summarize(kind, dir, bytes) {
    if (kind === 'chunk') return `TLS bytes ${dir === 's2c' ? 'sent by the server' : 'sent by the client'}: ${bytes.length}`;
    return recordSummary(parseRecord(bytes), bytes.length);
  },
  decode(kind, _dir, bytes) {
    if (kind !== 'chunk') return recordFields(bytes);
    const framer = new TlsRecordFramer();
    return [{ name: 'TLS bytes', value: `${bytes.length} bytes read at once`, children: framer.push('c2s', bytes).flatMap((f) => recordFields(f.bytes)) }];
  },
};

registerDecoder(TLS_PROTOCOL, tlsDecoder);
