/** Edit and resend: a captured request sent again from a lab client to the same lab service. */
export default {
  buttonTitle: 'Edit this request and send it again from a lab client to the same lab service (the new exchange lands in the capture)',
  button: 'Resend…',
  titleLoading: 'Resend #{id}',
  title: 'Resend #{id}: {what}',
  what: { http: 'HTTP request', dns: 'DNS query', session: '{protocol} session' },
  target: 'to the {service} on {address} ({via}), from a new lab client',
  closeTitle: 'Close (Esc)',
  close: 'Close',
  httpNote: 'Sent byte for byte as written, its lines ending in CRLF: a longer or shorter body needs its Content-Length changed too.',
  dnsName: 'name',
  dnsType: 'type',
  rdTitle: 'Recursion desired: ask the server to resolve the name all the way (RFC 1035 §4.1.1)',
  rd: 'RD (recursion desired)',
  dnsNote: 'Sent as a new query (a fresh id) in one UDP datagram, as dig does.',
  linesNote:
    "The session's command lines up to line {line}, one a line, as the client sent them. The lab reads the greeting, then sends each line and waits for its reply.",
  linesNoteSmtp:
    "The session's command lines up to line {line}, one a line, as the client sent them. The lab reads the greeting, then sends each line and waits for its reply (after DATA, the text up to a lone \".\" goes at once).",
  apop: "APOP's digest answers one greeting's timestamp only (RFC 1939 §7): the new connection's greeting differs, so use USER and PASS instead.",
  loading: 'Loading…',
  selected: 'selected #{id}',
  hidden: "the list's filter hides it",
  sending: 'Sending…',
  send: 'Send',
};
