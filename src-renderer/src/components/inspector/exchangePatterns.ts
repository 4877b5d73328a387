/** The rows' summaries the inspector pairs by (exchanges.ts): start lines, IDs, tags. Pure. */
import type { CaptureSummary } from '../../api/types';

/** a message the lab decrypted (HTTPS, STARTTLS) says so before its own summary: pair it as the protocol it is */
export const INSIDE_TLS = /^inside TLS · /;
export const plain = (m: CaptureSummary): string => m.summary.replace(INSIDE_TLS, '');

export const REQUEST_LINE = /^[A-Z][A-Z-]{0,31} \S+ HTTP\/\d(?:\.\d)?(?:\s|$)/;
export const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})/;
export const DNS_QUERY = /^Standard query (0x[0-9a-f]{4}) /;
export const DNS_RESPONSE = /^Standard query response (0x[0-9a-f]{4})/;
/** an IMAP command ("a2 SELECT inbox") and its tagged completion ("a2 OK …"); "*" and "+" lines are untagged */
const IMAP_COMMAND = /^([^\s*+]+) [A-Za-z]/;
const IMAP_DONE = /^([^\s*+]+) (OK|NO|BAD)\b/;
/** an SNMP request ("get-request id=42 sysName.0") and its response ("get-response id=42 …") */
export const SNMP_REQUEST = /^(?:get-request|get-next-request|set-request|getBulkRequest) id=(-?\d+)/;
export const SNMP_RESPONSE = /^get-response id=(-?\d+)/;
/** the index protocol (Napster's server, a KaZaA super-node): a command, and its numbered reply */
export const INDEX_COMMAND = /^[A-Za-z]{2,20}(\s|$)/;
export const INDEX_REPLY = /^([1-5]\d\d)[ -]/;
/** the patterns of the protocols whose request and response share a key on one flow */
const KEYED: Record<string, [RegExp, RegExp]> = { dns: [DNS_QUERY, DNS_RESPONSE], imap: [IMAP_COMMAND, IMAP_DONE], snmp: [SNMP_REQUEST, SNMP_RESPONSE] };

/** a SIP row's summary (sip/sip-decoder.ts): "INVITE sip:… · CSeq 1 INVITE · Call-ID x" or "180 Ringing · CSeq …" */
export const SIP_ROW = /^(?:(\d{3})|[A-Z]+) .* · CSeq (\d+ [A-Z]+) · Call-ID (.+)$/;

/** the key a row's request and response share, for the protocols that name it (DNS's ID, IMAP's tag, SNMP's request-id, SIP's Call-ID and CSeq) */
export function keyOf(m: CaptureSummary): { key: string; request: boolean; interim?: boolean } | undefined {
  if (m.kind !== 'message') return undefined;
  if (m.protocol === 'sip') {
    const s = SIP_ROW.exec(m.summary);
    return s ? { key: `${m.service}/${m.conn}/${s[2]}/${s[3]}`, request: !s[1], interim: !!s[1] && s[1] < '200' } : undefined;
  }
  const pair = KEYED[m.protocol];
  const re = pair ? pair[m.dir === 'c2s' ? 0 : 1] : null;
  if (!re || (m.protocol === 'dns' && m.dir === 'c2s' && m.summary.startsWith('Standard query response'))) return undefined;
  const id = re.exec(plain(m))?.[1];
  return id ? { key: `${m.service}/${m.conn}/${id}`, request: m.dir === 'c2s' } : undefined;
}
/** the DNS decoder's answer when a name has no record of the asked type (src-main/lab/dns/decoder.ts) */
export const NO_RECORD = '(no such record)';
/** a response's RCODE as the decoder words it (Wireshark's names), when it is not NOERROR */
export const DNS_ERROR = /^(No such name|Server failure|Format error|Not implemented|Refused)\b/;
