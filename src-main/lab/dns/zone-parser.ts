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
import { msg, zoneMessage, type TextParam, type TextParams } from '../lab-text';
import { entries, ParseError, type Entry, type Token } from './zone-lexer';

export interface ZoneError {
  line: number;
  message: string;
  /** the message's catalogue key and parameters (lab-text-zone.ts) */
  textKey?: string;
  textParams?: TextParams;
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
function absoluteName(token: Token, origin: string, what: TextParam, warn?: Warn): string {
  const t = token.text;
  if (t === '@') return origin;
  if (t === '') throw new ParseError(token.line, msg('dnsLab.zone.emptyName', { what }));
  let name: string;
  if (t === '.') name = '';
  else if (t.endsWith('.')) name = canonical(t);
  else {
    name = canonical(origin === '' ? t : `${t}.${origin}`);
    if (warn && origin !== '' && looksAbsolute(canonical(t), origin)) {
      warn(zoneMessage(token.line, msg('dnsLab.zone.relative', { name: t, full: name })));
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

function checkName(name: string, line: number, what: TextParam): void {
  if (name.length > MAX_NAME) throw new ParseError(line, msg('dnsLab.zone.nameLong', { what, max: MAX_NAME }));
  if (name === '') return;
  for (const label of name.split('.')) {
    if (label === '') throw new ParseError(line, msg('dnsLab.zone.emptyLabel', { what, name }));
    if (label.length > MAX_LABEL) throw new ParseError(line, msg('dnsLab.zone.labelLong', { what, label: label.slice(0, 20), max: MAX_LABEL }));
    if (/\s/.test(label)) throw new ParseError(line, msg('dnsLab.zone.spaceInName', { what }));
  }
}

function hostName(token: Token | undefined, origin: string, type: string, line: number, warn: Warn): string {
  if (!token) throw new ParseError(line, msg('dnsLab.zone.hostMissing', { type }));
  if (isIPv4(token.text.replace(/\.$/, ''))) {
    throw new ParseError(token.line, msg('dnsLab.zone.hostIsAddress', { type, address: token.text }));
  }
  return absoluteName(token, origin, type, warn);
}

function number(token: Token | undefined, line: number, what: TextParam, max: number): number {
  if (!token || !/^\d+$/.test(token.text)) throw new ParseError(token?.line ?? line, token ? msg('dnsLab.zone.numberNeededNot', { what, token: token.text }) : msg('dnsLab.zone.numberNeeded', { what }));
  const v = Number(token.text);
  if (v > max) throw new ParseError(token.line, msg('dnsLab.zone.numberLarge', { what, value: v, max }));
  return v;
}

function rdata(type: RrType, tokens: Token[], origin: string, line: number, warn: Warn): Rr['data'] {
  const need = (count: number, form: string): void => {
    if (tokens.length < count) throw new ParseError(line, msg('dnsLab.zone.missingData', { type, form }));
    if (tokens.length > count) throw new ParseError(tokens[count].line, msg('dnsLab.zone.unexpectedData', { type, token: tokens[count].text, form }));
  };
  switch (type) {
    case 'A':
      need(1, 'ADDRESS (four numbers 0-255: 128.119.40.205)');
      if (!isIPv4(tokens[0].text)) throw new ParseError(tokens[0].line, msg('dnsLab.zone.notIpv4', { token: tokens[0].text }));
      return tokens[0].text;
    case 'AAAA':
      need(1, 'ADDRESS (IPv6: 2001:db8::1)');
      if (!isIPv6(tokens[0].text)) throw new ParseError(tokens[0].line, msg('dnsLab.zone.notIpv6', { token: tokens[0].text }));
      return tokens[0].text.toLowerCase();
    case 'NS':
    case 'CNAME':
    case 'PTR':
      need(1, 'HOSTNAME');
      return hostName(tokens[0], origin, type, line, warn);
    case 'MX':
      need(2, 'PREFERENCE HOSTNAME (10 mail.crepes.fr.)');
      return { preference: number(tokens[0], line, msg('dnsLab.zone.field.mxPreference'), 65535), exchange: hostName(tokens[1], origin, 'MX', line, warn) };
    case 'SRV':
      need(4, 'PRIORITY WEIGHT PORT TARGET (0 0 5060 sip.hamburger.edu.)');
      return {
        priority: number(tokens[0], line, msg('dnsLab.zone.field.srvPriority'), 65535),
        weight: number(tokens[1], line, msg('dnsLab.zone.field.srvWeight'), 65535),
        port: number(tokens[2], line, msg('dnsLab.zone.field.srvPort'), 65535),
        target: hostName(tokens[3], origin, 'SRV', line, warn),
      };
    case 'SOA':
      need(7, 'MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM');
      return {
        mname: hostName(tokens[0], origin, 'SOA MNAME', line, warn),
        rname: absoluteName(tokens[1], origin, 'SOA RNAME', warn),
        serial: number(tokens[2], line, msg('dnsLab.zone.field.soaSerial'), 2 ** 32 - 1),
        refresh: ttlField(tokens[3], msg('dnsLab.zone.field.soaRefresh')),
        retry: ttlField(tokens[4], msg('dnsLab.zone.field.soaRetry')),
        expire: ttlField(tokens[5], msg('dnsLab.zone.field.soaExpire')),
        minimum: ttlField(tokens[6], msg('dnsLab.zone.field.soaMinimum')),
      };
    case 'TXT': {
      if (tokens.length === 0) throw new ParseError(line, msg('dnsLab.zone.txtEmpty'));
      const strings = tokens.map((t) => t.text);
      for (const [k, s] of strings.entries()) {
        if (Buffer.byteLength(s) > 255) throw new ParseError(tokens[k].line, msg('dnsLab.zone.txtLong'));
      }
      return strings;
    }
  }
}

function ttlField(token: Token, what: TextParam): number {
  const v = parseTtl(token.text);
  if (v === null) throw new ParseError(token.line, msg('dnsLab.zone.notTime', { what, token: token.text }));
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
    return { ok: false, errors: [zoneMessage(line, msg('dnsLab.zone.tooLarge', { max: MAX_TEXT }))] };
  }
  const zoneName = canonical(origin);
  let list: Entry[];
  try {
    list = entries(text);
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, errors: [zoneMessage(e.line, e.said)] };
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
          if (rest.length !== 1) throw new ParseError(e.line, msg('dnsLab.zone.originArgs', { directive: '$ORIGIN' }));
          currentOrigin = absoluteName(rest[0], currentOrigin, '$ORIGIN');
        } else if (directive === '$TTL') {
          const v = rest.length === 1 ? parseTtl(rest[0].text) : null;
          if (v === null) throw new ParseError(e.line, msg('dnsLab.zone.ttlArgs', { directive: '$TTL' }));
          defaultTtl = v;
        } else if (directive === '$INCLUDE') {
          throw new ParseError(e.line, msg('dnsLab.zone.include', { directive: '$INCLUDE' }));
        } else throw new ParseError(e.line, msg('dnsLab.zone.unknownDirective', { directive: first.text, origin: '$ORIGIN', ttl: '$TTL' }));
        continue;
      }
      let tokens = e.tokens;
      let owner: string;
      if (e.blankOwner) {
        if (lastOwner === null) throw new ParseError(e.line, msg('dnsLab.zone.firstOwner'));
        owner = lastOwner;
      } else {
        owner = absoluteName(tokens[0], currentOrigin, { key: 'dnsLab.zone.owner' }, warn);
        tokens = tokens.slice(1);
      }
      if (!inZone(owner, zoneName)) throw new ParseError(e.line, msg('dnsLab.zone.outside', { owner: owner || '.', zone: zoneName || '.' }));
      lastOwner = owner;
      let ttl: number | null = null;
      let i = 0;
      for (; i < 2 && i < tokens.length; i++) {
        const t = tokens[i].text.toUpperCase();
        if (CLASSES.has(t) && !tokens[i].quoted) {
          if (t !== 'IN') throw new ParseError(tokens[i].line, msg('dnsLab.zone.classOnly', { cls: t }));
          continue;
        }
        const v = !tokens[i].quoted && /^\d/.test(t) ? parseTtl(t) : null;
        if (v !== null && ttl === null) {
          ttl = v;
          continue;
        }
        if (/^\d/.test(t)) throw new ParseError(tokens[i].line, msg('dnsLab.zone.notTtl', { token: tokens[i].text, max: MAX_TTL }));
        break;
      }
      const typeToken = tokens[i];
      if (!typeToken) throw new ParseError(e.line, msg('dnsLab.zone.typeMissing'));
      const type = typeToken.text.toUpperCase();
      if (!TYPES.has(type)) {
        throw new ParseError(typeToken.line, msg('dnsLab.zone.unknownType', { token: typeToken.text, types: RR_TYPES.join(', ') }));
      }
      const data = rdata(type as RrType, tokens.slice(i + 1), currentOrigin, typeToken.line, warn);
      const soaMinimum = type === 'SOA' ? (data as { minimum: number }).minimum : null;
      const effective: number | null = ttl ?? defaultTtl ?? lastTtl ?? soaMinimum;
      if (effective === null) throw new ParseError(e.line, msg('dnsLab.zone.noTtl', { directive: '$TTL' }));
      lastTtl = effective;
      const rr = { name: owner, ttl: effective, type, data } as Rr;
      if (records.length >= MAX_RECORDS) throw new ParseError(e.line, msg('dnsLab.zone.tooMany', { max: MAX_RECORDS }));
      records.push(rr);
      lines.set(rr, e.line);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      errors.push(zoneMessage(err.line, err.said));
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
  if (soas.length === 0) errors.push(zoneMessage(1, msg('dnsLab.zone.noSoa', { soa: '@ SOA …', zone: shown })));
  for (const soa of soas) {
    if (soa.name !== origin) errors.push(zoneMessage(lines.get(soa) ?? 1, msg('dnsLab.zone.soaApex', { zone: shown, at: '@' })));
  }
  if (soas.length > 1) errors.push(zoneMessage(lines.get(soas[1]) ?? 1, msg('dnsLab.zone.twoSoa')));
  if (!records.some((r) => r.type === 'NS' && r.name === origin)) {
    errors.push(zoneMessage(lines.get(soas[0]) ?? 1, msg('dnsLab.zone.noNs', { zone: shown, example: '@ NS dns1.…' })));
  }
  const byName = new Map<string, Rr[]>();
  for (const r of records) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  for (const [name, rrs] of byName) {
    const cname = rrs.find((r) => r.type === 'CNAME');
    const other = rrs.find((r) => r.type !== 'CNAME');
    if (cname && other) {
      const later = lines.get(cname)! > lines.get(other)! ? cname : other;
      errors.push(zoneMessage(lines.get(later) ?? 1, msg('dnsLab.zone.cnameOther', { name })));
    } else if (cname && rrs.filter((r) => r.type === 'CNAME').length > 1) {
      errors.push(zoneMessage(lines.get(rrs[1]) ?? 1, msg('dnsLab.zone.twoCname', { name })));
    }
  }
  return errors;
}

/** The zone's SOA (a parsed zone always has one). */
export function soaOf(zone: Zone): Extract<Rr, { type: 'SOA' }> {
  return zone.records.find((r): r is Extract<Rr, { type: 'SOA' }> => r.type === 'SOA')!;
}
