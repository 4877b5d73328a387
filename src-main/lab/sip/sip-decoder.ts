/**
 * The inspector's decoder for SIP: the start line, each header, and an SDP body as its
 * fields (RFC 4566). The one-line summary ends with the transaction's CSeq and Call-ID, which
 * is what pairs a request with its responses in the inspector (RFC 3261 §17.1.3). Pure.
 */
import type { DecodedField } from '../api';
import { registerDecoder } from '../capture/decoders';
import { header, parseSip, type SipMessage } from './sip-message';
import { parseSdp, sdpMeaning } from './sdp';

export const SIP_PROTOCOL = 'sip';

export function sipSummary(m: SipMessage): string {
  const start = m.kind === 'request' ? `${m.method} ${m.uri}` : `${m.status} ${m.reason}`;
  const sdp = m.body.length && /sdp/i.test(header(m, 'Content-Type') ?? '') ? ' (SDP)' : '';
  return `${start}${sdp} · CSeq ${header(m, 'CSeq') ?? '?'} · Call-ID ${(header(m, 'Call-ID') ?? '?').slice(0, 60)}`;
}

export function sipFields(m: SipMessage): DecodedField[] {
  const fields: DecodedField[] = [];
  if (m.kind === 'request') fields.push({ name: 'Request line', value: `${m.method} ${m.uri} SIP/2.0`, children: [{ name: 'Method', value: m.method }, { name: 'Request-URI', value: m.uri }] });
  else fields.push({ name: 'Status line', value: `SIP/2.0 ${m.status} ${m.reason}`, children: [{ name: 'Status', value: String(m.status) }, { name: 'Reason', value: m.reason }] });
  fields.push({ name: 'Headers', value: `${m.headers.length}`, children: m.headers.map(([name, value]) => ({ name, value })) });
  if (m.body.length) {
    const type = header(m, 'Content-Type') ?? '';
    if (/application\/sdp/i.test(type)) {
      const sdp = parseSdp(m.body.toString('latin1'));
      const media = sdp.media ? `audio to ${sdp.media.address}:${sdp.media.port}, ${sdp.media.codecs.join(', ') || sdp.media.payloadTypes.join(' ')}` : 'no audio stream';
      fields.push({ name: 'SDP', value: media, children: sdp.fields.map((f) => ({ name: `${f.type}= (${sdpMeaning(f.type)})`, value: f.value })) });
    } else fields.push({ name: 'Body', value: `${m.body.length} bytes of ${type || 'unknown type'}` });
  }
  return fields;
}

registerDecoder(SIP_PROTOCOL, {
  summarize(kind, _dir, bytes) {
    if (kind === 'event') return bytes.toString('utf8', 0, 200);
    if (kind === 'chunk') return `${bytes.length} bytes`;
    const p = parseSip(bytes);
    return p.ok ? sipSummary(p.msg) : `malformed: ${p.reason}`;
  },
  decode(kind, _dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    const p = parseSip(bytes);
    if (!p.ok) return [{ name: 'SIP', value: 'malformed', children: [{ name: 'reason', value: p.reason }, { name: 'bytes', value: `${bytes.length}` }] }];
    return [{ name: 'SIP', value: p.msg.kind === 'request' ? p.msg.method : `${p.msg.status} ${p.msg.reason}`, children: sipFields(p.msg) }];
  },
});
