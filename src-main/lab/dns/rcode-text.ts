/**
 * The words for DNS response codes (RFC 1035 §4.1.1), as the inspector's summaries write them.
 * Its own module, free of any codec, so the renderer's search can read it too.
 */
export const RCODE_TEXT: Readonly<Record<string, string>> = {
  NOERROR: 'No error',
  FORMERR: 'Format error',
  SERVFAIL: 'Server failure',
  NXDOMAIN: 'No such name',
  NOTIMP: 'Not implemented',
  REFUSED: 'Refused',
};
