/**
 * RFC 1035 §5 master files: the zone format every DNS server reads. Pure: text in, records
 * or line-numbered errors out. Supports $ORIGIN, $TTL (RFC 2308), '@', relative names, a
 * blank owner (the previous one), parentheses across lines, ';' comments, quoted strings,
 * and TTLs in BIND's units (1h, 2d). Checks what a real server would refuse to load: one SOA
 * at the apex, NS at the apex, CNAME alone at its name (RFC 1034 §3.6.2), names inside the
 * zone, label and name lengths, addresses that are addresses.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { canonical, inZone, MAX_LABEL, MAX_NAME, RR_TYPES, type Rr, type RrType } from './records';
import { entries, ParseError, type Entry, type Token } from './zone-lexer';

export interface ZoneError {
  line: number;
  message: string;
}

export interface Zone {
  origin: string;
  records: Rr[];
}

/** `warnings`: what loads but is likely not what was meant (a relative name that was meant absolute) */
export type ZoneParse = { ok: true; zone: Zone; warnings: ZoneError[] } | { ok: false; errors: ZoneError[] };

type Warn = (w: ZoneError) => void;

/** Top-level domains a name written without its trailing dot most likely meant to end in. */
const TLDS = new Set(['com', 'net', 'org', 'edu', 'gov', 'fr', 'de', 'uk', 'arpa', 'netlab', 'io', 'info']);

const MAX_TTL = 2 ** 31 - 1;
const MAX_ERRORS = 20;
const MAX_TEXT = 1_000_000;
const MAX_RECORDS = 20_000;

/** A TTL: seconds, or BIND units (1w2d3h4m5s). */
export function parseTtl(text: string): number | null {
  if (/^\d+$/.test(text)) {
    const v = Number(text);
    return v <= MAX_TTL ? v : null;
  }
  const m = /^(?:\d+[wdhms])+$/i.test(text) ? text.toLowerCase().match(/\d+[wdhms]/g) : null;
  if (!m) return null;
  const unit: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  const v = m.reduce((sum, part) => sum + Number(part.slice(0, -1)) * unit[part.slice(-1)], 0);
  return v <= MAX_TTL ? v : null;
}

/** An absolute name from a master-file token, relative to `origin`. */
function absoluteName(token: Token, origin: string, what: string, warn?: Warn): string {
  const t = token.text;
  if (t === '@') return origin;
  if (t === '') throw new ParseError(token.line, `${what}: an empty name`);
  let name: string;
  if (t === '.') name = '';
  else if (t.endsWith('.')) name = canonical(t);
  else {
    name = canonical(origin === '' ? t : `${t}.${origin}`);
    if (warn && origin !== '' && looksAbsolute(canonical(t), origin)) {
      warn({ line: token.line, message: `relative name: did you mean ${t}. ? Without the trailing dot, ${t} is read relative to the origin and becomes ${name}.` });
    }
  }
  checkName(name, token.line, what);
  return name;
}

/**
 * The classic slip (RFC 1035 §5.1): a full name written without its trailing dot, so the
 * origin is appended again. A relative name that already ends in the origin, or in a
 * top-level domain, was most likely meant as written.
 */
function looksAbsolute(relative: string, origin: string): boolean {
  if (relative === origin || relative.endsWith(`.${origin}`)) return true;
  const labels = relative.split('.');
  return labels.length > 1 && TLDS.has(labels[labels.length - 1]);
}

function checkName(name: string, line: number, what: string): void {
  if (name.length > MAX_NAME) throw new ParseError(line, `${what}: the name is longer than ${MAX_NAME} characters`);
  if (name === '') return;
  for (const label of name.split('.')) {
    if (label === '') throw new ParseError(line, `${what}: '${name}' has an empty label (two dots in a row)`);
    if (label.length > MAX_LABEL) throw new ParseError(line, `${what}: the label '${label.slice(0, 20)}…' is longer than ${MAX_LABEL} characters`);
    if (/\s/.test(label)) throw new ParseError(line, `${what}: white space inside a name`);
  }
}

function hostName(token: Token | undefined, origin: string, type: string, line: number, warn: Warn): string {
  if (!token) throw new ParseError(line, `${type}: a host name is missing`);
  if (isIPv4(token.text.replace(/\.$/, ''))) {
    throw new ParseError(token.line, `${type} needs a host name, not an address (${token.text}): name the host and give it an A record`);
  }
  return absoluteName(token, origin, type, warn);
}

function number(token: Token | undefined, line: number, what: string, max: number): number {
  if (!token || !/^\d+$/.test(token.text)) throw new ParseError(token?.line ?? line, `${what}: a number is needed${token ? `, not '${token.text}'` : ''}`);
  const v = Number(token.text);
  if (v > max) throw new ParseError(token.line, `${what}: ${v} is larger than ${max}`);
  return v;
}

function rdata(type: RrType, tokens: Token[], origin: string, line: number, warn: Warn): Rr['data'] {
  const need = (count: number, form: string): void => {
    if (tokens.length < count) throw new ParseError(line, `${type}: missing data; the form is ${type} ${form}`);
    if (tokens.length > count) throw new ParseError(tokens[count].line, `${type}: unexpected '${tokens[count].text}' after the data; the form is ${type} ${form}`);
  };
  switch (type) {
    case 'A':
      need(1, 'ADDRESS (four numbers 0-255: 128.119.40.205)');
      if (!isIPv4(tokens[0].text)) throw new ParseError(tokens[0].line, `A: '${tokens[0].text}' is not an IPv4 address (like 128.119.40.205)`);
      return tokens[0].text;
    case 'AAAA':
      need(1, 'ADDRESS (IPv6: 2001:db8::1)');
      if (!isIPv6(tokens[0].text)) throw new ParseError(tokens[0].line, `AAAA: '${tokens[0].text}' is not an IPv6 address (like 2001:db8::1)`);
      return tokens[0].text.toLowerCase();
    case 'NS':
    case 'CNAME':
    case 'PTR':
      need(1, 'HOSTNAME');
      return hostName(tokens[0], origin, type, line, warn);
    case 'MX':
      need(2, 'PREFERENCE HOSTNAME (10 mail.crepes.fr.)');
      return { preference: number(tokens[0], line, 'MX preference', 65535), exchange: hostName(tokens[1], origin, 'MX', line, warn) };
    case 'SRV':
      need(4, 'PRIORITY WEIGHT PORT TARGET (0 0 5060 sip.hamburger.edu.)');
      return {
        priority: number(tokens[0], line, 'SRV priority', 65535),
        weight: number(tokens[1], line, 'SRV weight', 65535),
        port: number(tokens[2], line, 'SRV port', 65535),
        target: hostName(tokens[3], origin, 'SRV', line, warn),
      };
    case 'SOA':
      need(7, 'MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM');
      return {
        mname: hostName(tokens[0], origin, 'SOA MNAME', line, warn),
        rname: absoluteName(tokens[1], origin, 'SOA RNAME', warn),
        serial: number(tokens[2], line, 'SOA serial', 2 ** 32 - 1),
        refresh: ttlField(tokens[3], 'SOA refresh'),
        retry: ttlField(tokens[4], 'SOA retry'),
        expire: ttlField(tokens[5], 'SOA expire'),
        minimum: ttlField(tokens[6], 'SOA minimum'),
      };
    case 'TXT': {
      if (tokens.length === 0) throw new ParseError(line, 'TXT: at least one string is needed ("text")');
      const strings = tokens.map((t) => t.text);
      for (const [k, s] of strings.entries()) {
        if (Buffer.byteLength(s) > 255) throw new ParseError(tokens[k].line, 'TXT: each string holds at most 255 bytes; split it into several quoted strings');
      }
      return strings;
    }
  }
}

function ttlField(token: Token, what: string): number {
  const v = parseTtl(token.text);
  if (v === null) throw new ParseError(token.line, `${what}: '${token.text}' is not a time (seconds, or like 1h, 2d)`);
  return v;
}

const TYPES = new Set<string>(RR_TYPES);
const CLASSES = new Set(['IN', 'CH', 'HS', 'CS']);

/**
 * Parse a zone's master file. `origin` is the zone's name ('' for the root); $ORIGIN may
 * move it for relative names, but every owner must stay inside the zone.
 */
export function parseZone(text: string, origin: string): ZoneParse {
  if (text.length > MAX_TEXT) {
    // the line where the cap is passed, so the editor can show where the file grew too long
    const line = text.slice(0, MAX_TEXT).split('\n').length;
    return { ok: false, errors: [{ line, message: `the file is larger than ${MAX_TEXT} characters` }] };
  }
  const zoneName = canonical(origin);
  let list: Entry[];
  try {
    list = entries(text);
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, errors: [{ line: e.line, message: e.message }] };
    throw e;
  }
  const errors: ZoneError[] = [];
  const warnings: ZoneError[] = [];
  const warn: Warn = (w) => void (warnings.length < MAX_ERRORS && warnings.push(w));
  const records: Rr[] = [];
  const lines = new Map<Rr, number>();
  let currentOrigin = zoneName;
  let defaultTtl: number | null = null;
  let lastTtl: number | null = null;
  let lastOwner: string | null = null;
  for (const e of list) {
    if (errors.length >= MAX_ERRORS) break;
    try {
      const [first, ...rest] = e.tokens;
      if (!e.blankOwner && first.text.startsWith('$') && !first.quoted) {
        const directive = first.text.toUpperCase();
        if (directive === '$ORIGIN') {
          if (rest.length !== 1) throw new ParseError(e.line, '$ORIGIN takes one name');
          currentOrigin = absoluteName(rest[0], currentOrigin, '$ORIGIN');
        } else if (directive === '$TTL') {
          const v = rest.length === 1 ? parseTtl(rest[0].text) : null;
          if (v === null) throw new ParseError(e.line, '$TTL takes one time (seconds, or like 1h, 2d)');
          defaultTtl = v;
        } else if (directive === '$INCLUDE') {
          throw new ParseError(e.line, '$INCLUDE is not supported in the lab: put the records in this file');
        } else throw new ParseError(e.line, `unknown directive ${first.text} (the lab knows $ORIGIN and $TTL)`);
        continue;
      }
      let tokens = e.tokens;
      let owner: string;
      if (e.blankOwner) {
        if (lastOwner === null) throw new ParseError(e.line, 'the first record needs an owner name (the line starts with white space)');
        owner = lastOwner;
      } else {
        owner = absoluteName(tokens[0], currentOrigin, 'owner', warn);
        tokens = tokens.slice(1);
      }
      if (!inZone(owner, zoneName)) throw new ParseError(e.line, `${owner || '.'} is outside the zone ${zoneName || '.'}: a zone holds only names ending in ${zoneName || '.'}`);
      lastOwner = owner;
      let ttl: number | null = null;
      let i = 0;
      for (; i < 2 && i < tokens.length; i++) {
        const t = tokens[i].text.toUpperCase();
        if (CLASSES.has(t) && !tokens[i].quoted) {
          if (t !== 'IN') throw new ParseError(tokens[i].line, `class ${t}: the lab serves only class IN (Internet)`);
          continue;
        }
        const v = !tokens[i].quoted && /^\d/.test(t) ? parseTtl(t) : null;
        if (v !== null && ttl === null) {
          ttl = v;
          continue;
        }
        if (/^\d/.test(t)) throw new ParseError(tokens[i].line, `'${tokens[i].text}' is not a TTL (at most ${MAX_TTL} seconds, or like 1h, 2d)`);
        break;
      }
      const typeToken = tokens[i];
      if (!typeToken) throw new ParseError(e.line, 'a record type is missing (A, AAAA, NS, CNAME, MX, SOA, PTR, TXT or SRV)');
      const type = typeToken.text.toUpperCase();
      if (!TYPES.has(type)) {
        throw new ParseError(typeToken.line, `unknown record type '${typeToken.text}' (the lab knows ${RR_TYPES.join(', ')})`);
      }
      const data = rdata(type as RrType, tokens.slice(i + 1), currentOrigin, typeToken.line, warn);
      const soaMinimum = type === 'SOA' ? (data as { minimum: number }).minimum : null;
      const effective: number | null = ttl ?? defaultTtl ?? lastTtl ?? soaMinimum;
      if (effective === null) throw new ParseError(e.line, 'no TTL: give one on the record, or put a $TTL line at the top');
      lastTtl = effective;
      const rr = { name: owner, ttl: effective, type, data } as Rr;
      if (records.length >= MAX_RECORDS) throw new ParseError(e.line, `more than ${MAX_RECORDS} records`);
      records.push(rr);
      lines.set(rr, e.line);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      errors.push({ line: err.line, message: err.message });
    }
  }
  if (errors.length === 0) errors.push(...checkZone(zoneName, records, lines));
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  return { ok: true, zone: { origin: zoneName, records }, warnings };
}

/** Whole-zone rules, each error at the line of the record that breaks it. */
function checkZone(origin: string, records: Rr[], lines: Map<Rr, number>): ZoneError[] {
  const errors: ZoneError[] = [];
  const shown = origin || '.';
  const soas = records.filter((r) => r.type === 'SOA');
  if (soas.length === 0) errors.push({ line: 1, message: `no SOA record: a zone starts with '@ SOA …' for ${shown}` });
  for (const soa of soas) {
    if (soa.name !== origin) errors.push({ line: lines.get(soa) ?? 1, message: `the SOA record belongs at the zone's apex (${shown}, written @)` });
  }
  if (soas.length > 1) errors.push({ line: lines.get(soas[1]) ?? 1, message: 'a zone has exactly one SOA record' });
  if (!records.some((r) => r.type === 'NS' && r.name === origin)) {
    errors.push({ line: lines.get(soas[0]) ?? 1, message: `no NS record at the apex: say which servers are authoritative for ${shown} ('@ NS dns1.…')` });
  }
  const byName = new Map<string, Rr[]>();
  for (const r of records) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  for (const [name, rrs] of byName) {
    const cname = rrs.find((r) => r.type === 'CNAME');
    const other = rrs.find((r) => r.type !== 'CNAME');
    if (cname && other) {
      const later = lines.get(cname)! > lines.get(other)! ? cname : other;
      errors.push({ line: lines.get(later) ?? 1, message: `${name} has a CNAME and other records: a CNAME must be the only record at its name (RFC 1034 §3.6.2)` });
    } else if (cname && rrs.filter((r) => r.type === 'CNAME').length > 1) {
      errors.push({ line: lines.get(rrs[1]) ?? 1, message: `${name} has two CNAME records: an alias points at one name` });
    }
  }
  return errors;
}

/** The zone's SOA (a parsed zone always has one). */
export function soaOf(zone: Zone): Extract<Rr, { type: 'SOA' }> {
  return zone.records.find((r): r is Extract<Rr, { type: 'SOA' }> => r.type === 'SOA')!;
}
