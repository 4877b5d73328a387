/**
 * Display filters over decoded fields, in Wireshark's words: `http.status == 304`,
 * `dns.qname contains "umass"`, `smtp.command == "DATA" || !dns`. Pure (no Node): the
 * inspector parses as the user types to mark a mistake at its character; the core
 * evaluates against the fields its decoders produce (field-values.ts).
 */

/** The fields the decoders know, for completion and for checking names. */
export const FILTER_FIELDS: Record<string, string> = {
  http: 'an HTTP request or response',
  'http.method': 'request method (GET, HEAD, POST …)',
  'http.uri': 'request target',
  'http.version': 'HTTP version of the start line',
  'http.status': 'response status code (200, 304, 404 …)',
  'http.reason': 'response reason phrase',
  'http.host': 'Host header field',
  dns: 'a DNS message',
  'dns.id': 'transaction ID',
  'dns.qname': 'name in the question section',
  'dns.qtype': 'type in the question section (A, NS, MX …)',
  'dns.flags.qr': '1 for a response, 0 for a query',
  'dns.flags.aa': 'authoritative answer',
  'dns.flags.tc': 'truncated',
  'dns.flags.rd': 'recursion desired',
  'dns.flags.ra': 'recursion available',
  'dns.rcode': 'response code (NOERROR, NXDOMAIN …)',
  smtp: 'an SMTP command, reply or message content',
  'smtp.command': 'command verb (HELO, MAIL, RCPT, DATA …)',
  'smtp.reply': 'reply code (250, 354 …)',
  pop3: 'a POP3 command or response',
  'pop3.command': 'command verb (USER, LIST, RETR …)',
  'pop3.status': '+OK or -ERR',
  imap: 'an IMAP command or response',
  'imap.command': 'command name (LOGIN, SELECT, FETCH …)',
  'imap.tag': 'the tag that pairs a command with its completion',
  'imap.status': 'OK, NO or BAD of the tagged completion',
  sip: 'a SIP request or response',
  'sip.method': 'request method (REGISTER, INVITE, ACK, BYE, CANCEL …)',
  'sip.status': 'response status code (100, 180, 200, 404 …)',
  'sip.call_id': 'the Call-ID every message of a call carries',
  'sip.cseq': 'the CSeq: sequence number and method of the transaction',
  tracker: 'a BitTorrent tracker announce or reply (HTTP or UDP)',
  'tracker.event': 'announce event (started, completed, stopped)',
  'tracker.port': "the announcing peer's port",
  'tracker.left': 'bytes the peer still needs',
  'tracker.action': 'UDP tracker action (connect, announce …)',
  snmp: 'an SNMP message (v1 or v2c)',
  'snmp.community': 'the community string',
  'snmp.pdu': 'PDU type (get-request, get-next-request, getBulkRequest, set-request, get-response, snmpV2-trap)',
  'snmp.request_id': 'the request-id that pairs a response with its request',
  'snmp.error_status': 'error-status of a response (noError, noSuchName, wrongType, notWritable …)',
  'snmp.oid': 'an object identifier in the variable-bindings (numeric)',
  tcp: 'a message carried over TCP',
  'tcp.stream': "the capture's connection id",
  udp: 'a datagram carried over UDP',
  'udp.stream': "the capture's connection id",
};

export type Value = string | number;
export type Op = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'contains';
export type Expr =
  | { t: 'and' | 'or'; a: Expr; b: Expr }
  | { t: 'not'; a: Expr }
  | { t: 'has'; field: string }
  | { t: 'cmp'; field: string; op: Op; value: Value };

export class FilterError extends Error {
  constructor(
    message: string,
    /** the 0-based character the mistake starts at */
    readonly pos: number,
  ) {
    super(`${message} (at character ${pos + 1})`);
  }
}

type Tok = { k: 'field' | 'num' | 'str' | 'op' | 'end'; v: string; pos: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', 'and', 'or', 'not', 'eq', 'ne', 'contains'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        s += src[i++];
      }
      if (i >= src.length) throw new FilterError('a string is not closed: a " is missing', start);
      i++;
      out.push({ k: 'str', v: s, pos: start });
      continue;
    }
    const sym = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')'].find((o) => src.startsWith(o, i));
    if (sym) {
      out.push({ k: 'op', v: sym, pos: start });
      i += sym.length;
      continue;
    }
    if (c === '=' || c === '&' || c === '|') throw new FilterError(`"${c}" alone is not an operator: write ${c === '=' ? '==' : c + c}`, start);
    const word = /^[A-Za-z0-9_.+\-:/]+/.exec(src.slice(i));
    if (!word) throw new FilterError(`unexpected character "${c}"`, start);
    const w = word[0];
    i += w.length;
    if (OPS.includes(w.toLowerCase())) out.push({ k: 'op', v: w.toLowerCase(), pos: start });
    else if (/^-?\d+(\.\d+)?$/.test(w) || /^0x[0-9a-f]+$/i.test(w)) out.push({ k: 'num', v: w, pos: start });
    else out.push({ k: 'field', v: w, pos: start });
  }
  out.push({ k: 'end', v: '', pos: src.length });
  return out;
}

const ALIAS: Record<string, string> = { and: '&&', or: '||', not: '!', eq: '==', ne: '!=' };

/** Parse a display filter; throws FilterError at the character of the mistake. */
export function parseFilter(src: string): Expr {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok => toks[p];
  const opIs = (t: Tok, ...vs: string[]): boolean => t.k === 'op' && vs.includes(ALIAS[t.v] ?? t.v);
  const what = (t: Tok): string => (t.k === 'end' ? 'the end of the filter' : `"${t.v}"`);

  function or(): Expr {
    let a = and();
    while (opIs(peek(), '||')) {
      p++;
      a = { t: 'or', a, b: and() };
    }
    return a;
  }
  function and(): Expr {
    let a = unary();
    while (opIs(peek(), '&&')) {
      p++;
      a = { t: 'and', a, b: unary() };
    }
    return a;
  }
  function unary(): Expr {
    const t = peek();
    if (opIs(t, '!')) {
      p++;
      return { t: 'not', a: unary() };
    }
    if (opIs(t, '(')) {
      p++;
      const e = or();
      if (!opIs(peek(), ')')) throw new FilterError(`a ")" is missing before ${what(peek())}`, peek().pos);
      p++;
      return e;
    }
    return comparison();
  }
  function comparison(): Expr {
    const t = peek();
    if (t.k !== 'field') throw new FilterError(`a field name is expected, not ${what(t)}`, t.pos);
    if (!(t.v in FILTER_FIELDS)) throw new FilterError(`"${t.v}" is not a field the decoders know`, t.pos);
    p++;
    const o = peek();
    if (!opIs(o, '==', '!=', '<', '>', '<=', '>=', 'contains')) return { t: 'has', field: t.v };
    p++;
    const v = peek();
    if (v.k !== 'num' && v.k !== 'str' && v.k !== 'field') throw new FilterError(`a value is expected after ${o.v}, not ${what(v)}`, v.pos);
    p++;
    const op = (ALIAS[o.v] ?? o.v) as Op;
    if ((op === '<' || op === '>' || op === '<=' || op === '>=') && v.k !== 'num')
      throw new FilterError(`${op} compares numbers: "${v.v}" is not one`, v.pos);
    return { t: 'cmp', field: t.v, op, value: v.k === 'num' ? Number(v.v) : v.v };
  }

  if (peek().k === 'end') throw new FilterError('the filter is empty', 0);
  const e = or();
  if (peek().k !== 'end') throw new FilterError(`${what(peek())} is not expected here (an operator like && or || is missing?)`, peek().pos);
  return e;
}

/** A message's values of a field (none: the field is absent from it). */
export type FieldSource = (field: string) => readonly Value[];

function compare(x: Value, op: Op, v: Value): boolean {
  if (op === 'contains') return String(x).toLowerCase().includes(String(v).toLowerCase());
  if (typeof v === 'number') {
    const n = typeof x === 'number' ? x : Number(x);
    if (Number.isNaN(n)) return op === '!=';
    return op === '==' ? n === v : op === '!=' ? n !== v : op === '<' ? n < v : op === '>' ? n > v : op === '<=' ? n <= v : n >= v;
  }
  // strings compare case-blind, as the protocols' verbs and names are
  const eq = String(x).toLowerCase() === v.toLowerCase();
  return op === '==' ? eq : op === '!=' ? !eq : false;
}

/** Whether a message whose fields `get` gives matches the expression. A comparison on an
 *  absent field is false (Wireshark's rule): `!(dns.flags.rd == 1)` finds non-DNS too. */
export function evaluate(e: Expr, get: FieldSource): boolean {
  switch (e.t) {
    case 'and':
      return evaluate(e.a, get) && evaluate(e.b, get);
    case 'or':
      return evaluate(e.a, get) || evaluate(e.b, get);
    case 'not':
      return !evaluate(e.a, get);
    case 'has':
      return get(e.field).length > 0;
    case 'cmp':
      return get(e.field).some((x) => compare(x, e.op, e.value));
  }
}

/** Whether a filter bar text is a display filter rather than a summary search: it starts
 *  (after any `!` or `(`) with a field name the decoders know, or holds an operator that a
 *  summary search would not (`==`, `!=`, `&&`, `||`, a spaced `<` or `>`). A search for
 *  `<bob@hamburger.edu>` or `(no such record)` stays a search. */
export function looksLikeFilter(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (/==|!=|&&|\|\||\s[<>]=?\s/.test(t)) return true;
  const lead = /^[!(\s]*/.exec(t)![0];
  const first = /^[A-Za-z0-9_.]+/.exec(t.slice(lead.length))?.[0] ?? '';
  if (first === '') return false;
  const known = first in FILTER_FIELDS || Object.keys(FILTER_FIELDS).some((f) => f.startsWith(first) && first.includes('.'));
  // a bare protocol name ("dns") is a search unless a ! or ( makes it an expression
  return known && (first.includes('.') || lead.trim() !== '');
}
