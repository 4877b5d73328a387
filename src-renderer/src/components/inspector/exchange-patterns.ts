/** What the inspector's pairing reads in the rows' summaries (exchanges.ts, exchange-label.ts). */
export const REQUEST_LINE = /^[A-Z][A-Z-]{0,31} \S+ HTTP\/\d(?:\.\d)?(?:\s|$)/;
export const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})/;
export const DNS_QUERY = /^Standard query (0x[0-9a-f]{4}) /;
export const DNS_RESPONSE = /^Standard query response (0x[0-9a-f]{4})/;
/** an IMAP command ("a2 SELECT inbox") and its tagged completion ("a2 OK …"); "*" and "+" lines are untagged */
export const IMAP_COMMAND = /^([^\s*+]+) [A-Za-z]/;
export const IMAP_DONE = /^([^\s*+]+) (OK|NO|BAD)\b/;

/** the index protocol (Napster's server, a KaZaA super-node): a command, and its numbered reply */
export const INDEX_COMMAND = /^[A-Za-z]{2,20}(\s|$)/;
export const INDEX_REPLY = /^([1-5]\d\d)[ -]/;
/** a response's RCODE as the decoder words it (Wireshark's names), when it is not NOERROR */
export const DNS_ERROR = /^(No such name|Server failure|Format error|Not implemented|Refused)\b/;
