/**
 * The TLS record layer as an onlooker sees it (RFC 8446 §5.1, RFC 5246 §6.2): a 5-byte
 * header (content type, legacy version, length) before each record, and in the clear only
 * the handshake up to ServerHello — the ClientHello's server name (SNI, RFC 6066 §3) among
 * it. Everything after is application_data of a size and a time: what encryption hides and
 * what it does not. Pure: bytes in, values out; every length read is bounds-checked.
 */

export const RECORD_HEADER = 5;
/** RFC 8446 §5.2: a ciphertext is at most 2^14 + 256 bytes; TLS 1.2 allows 2^14 + 2048 */
export const MAX_RECORD = 16384 + 2048;

export const CONTENT_TYPES: Record<number, string> = { 20: 'ChangeCipherSpec', 21: 'Alert', 22: 'Handshake', 23: 'ApplicationData', 24: 'Heartbeat' };
export const HANDSHAKE_TYPES: Record<number, string> = {
  0: 'HelloRequest', 1: 'ClientHello', 2: 'ServerHello', 4: 'NewSessionTicket', 8: 'EncryptedExtensions', 11: 'Certificate',
  12: 'ServerKeyExchange', 13: 'CertificateRequest', 14: 'ServerHelloDone', 15: 'CertificateVerify', 16: 'ClientKeyExchange', 20: 'Finished',
};
const VERSIONS: Record<number, string> = { 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };
const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 40: 'handshake_failure', 42: 'bad_certificate', 46: 'certificate_unknown',
  47: 'illegal_parameter', 48: 'unknown_ca', 50: 'decode_error', 51: 'decrypt_error', 70: 'protocol_version', 80: 'internal_error', 112: 'unrecognized_name',
};

export function versionName(v: number): string {
  return VERSIONS[v] ?? `0x${v.toString(16).padStart(4, '0')}`;
}

export interface TlsRecord {
  type: number;
  typeName: string;
  version: number;
  length: number;
  /** the handshake message's type, when the record is an unencrypted handshake */
  handshake?: string;
  hello?: Hello;
  alert?: { level: string; description: string };
}

export interface Hello {
  /** the versions the client offers (supported_versions) or the server picked */
  versions: string[];
  cipherSuites: number;
  /** the server picked this suite (ServerHello) */
  cipherSuite?: string;
  sni?: string;
  alpn: string[];
}

/** Does this look like the start of a TLS record (known content type, major version 3)? */
export function looksLikeTls(b: Buffer): boolean {
  return b.length >= 3 && CONTENT_TYPES[b[0]] !== undefined && b[1] === 3 && b[2] <= 4;
}

/** The header and, where it is in the clear, the contents of one whole record. */
export function parseRecord(b: Buffer): TlsRecord | null {
  if (b.length < RECORD_HEADER || !looksLikeTls(b)) return null;
  const type = b[0];
  const length = b.readUInt16BE(3);
  const rec: TlsRecord = { type, typeName: CONTENT_TYPES[type], version: b.readUInt16BE(1), length };
  const body = b.subarray(RECORD_HEADER, RECORD_HEADER + length);
  if (type === 22 && body.length >= 4) {
    rec.handshake = HANDSHAKE_TYPES[body[0]] ?? `type ${body[0]}`;
    // a handshake after ChangeCipherSpec (TLS 1.2 Finished) is encrypted: its first byte is noise
    if (body[0] === 1 || body[0] === 2) rec.hello = parseHello(body.subarray(4), body[0] === 1);
  }
  if (type === 21 && length === 2 && body.length === 2) {
    rec.alert = { level: body[0] === 2 ? 'fatal' : body[0] === 1 ? 'warning' : `level ${body[0]}`, description: ALERTS[body[1]] ?? `alert ${body[1]}` };
  }
  return rec;
}

/** A cursor that never reads past the end: a short message yields what it holds. */
class Reader {
  constructor(private b: Buffer, public at = 0) {}
  left(): number {
    return this.b.length - this.at;
  }
  u8(): number {
    return this.left() >= 1 ? this.b[this.at++] : -1;
  }
  u16(): number {
    if (this.left() < 2) return -1;
    const v = this.b.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  bytes(n: number): Buffer {
    const out = this.b.subarray(this.at, this.at + Math.max(0, n));
    this.at += out.length;
    return out;
  }
}

function parseHello(b: Buffer, client: boolean): Hello {
  const r = new Reader(b);
  const legacy = r.u16();
  r.bytes(32); // random
  r.bytes(r.u8()); // session id
  const hello: Hello = { versions: [], cipherSuites: 0, alpn: [] };
  if (client) {
    hello.cipherSuites = Math.max(0, r.u16()) / 2;
    r.bytes(hello.cipherSuites * 2);
    r.bytes(r.u8()); // compression methods
  } else {
    const suite = r.u16();
    hello.cipherSuite = `0x${suite.toString(16).padStart(4, '0')}`;
    r.u8();
  }
  const extLen = r.u16();
  const ext = new Reader(r.bytes(extLen));
  while (ext.left() >= 4) {
    const type = ext.u16();
    const data = new Reader(ext.bytes(ext.u16()));
    if (type === 0 && client) {
      data.u16();
      if (data.u8() === 0) hello.sni = data.bytes(data.u16()).toString('latin1');
    } else if (type === 16) {
      const list = new Reader(data.bytes(data.u16()));
      while (list.left() > 0) hello.alpn.push(list.bytes(list.u8()).toString('latin1'));
    } else if (type === 43) {
      if (client) {
        const list = new Reader(data.bytes(data.u8()));
        while (list.left() >= 2) hello.versions.push(versionName(list.u16()));
      } else hello.versions.push(versionName(data.u16()));
    }
  }
  if (!hello.versions.length && legacy >= 0) hello.versions.push(versionName(legacy));
  return hello;
}

/** The inspector's one line for a record. */
export function recordSummary(rec: TlsRecord | null, size: number): string {
  if (!rec) return `not TLS: ${size} bytes that are no TLS record`;
  if (rec.hello) {
    const h = rec.hello;
    if (rec.handshake === 'ClientHello') return `TLS ClientHello${h.sni ? ` SNI=${h.sni}` : ' (no SNI)'}, offers ${h.versions.join('/')}${h.alpn.length ? `, ALPN ${h.alpn.join(',')}` : ''}`;
    return `TLS ServerHello: ${h.versions.join('')}, cipher suite ${h.cipherSuite}`;
  }
  if (rec.alert) return `TLS Alert (${rec.alert.level}): ${rec.alert.description}`;
  if (rec.type === 23) return `TLS encrypted record, ${rec.length} bytes`;
  if (rec.type === 20) return 'TLS ChangeCipherSpec';
  if (rec.type === 21) return `TLS encrypted alert, ${rec.length} bytes`;
  return `TLS ${rec.typeName}${rec.handshake ? ` ${rec.handshake}` : ''}, ${rec.length} bytes`;
}
