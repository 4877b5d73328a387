/**
 * The words for DNS response codes (RFC 1035 §4.1.1, RFC 6895 §2.3), as the inspector's summaries write them.
 * Its own module, free of any codec, so the renderer's search can read it too.
 */
export const RCODE_TEXT: Readonly<Record<string, string>> = {
  NOERROR: 'No error',
  FORMERR: 'Format error',
  SERVFAIL: 'Server failure',
  NXDOMAIN: 'No such name',
  NOTIMP: 'Not implemented',
  REFUSED: 'Refused',
  YXDOMAIN: 'Name exists when it should not',
  YXRRSET: 'RR set exists when it should not',
  NXRRSET: 'RR set that should exist does not',
  NOTAUTH: 'Not authorized',
  NOTZONE: 'Name not in zone',
  // extended RCODEs (RFC 6891 §6.1.3): the upper 8 bits travel in the OPT record
  BADVERS: 'Bad OPT version',
  BADCOOKIE: 'Bad server cookie',
};
