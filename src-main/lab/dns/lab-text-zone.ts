/**
 * The zone checker's errors and warnings (zone-lexer.ts, zone-parser.ts) as catalogue
 * messages: key, English text, an example of the parameters (src-main/lab/lab-text.ts explains). Signs
 * that are special in the catalogues' syntax ('@', '$') are parameters.
 */
import type { LabTextEntry } from '../lab-text';


export const ZONE_LAB_TEXT = {
  'dnsLab.zone.owner': { en: () => 'owner', example: {} },
  'dnsLab.zone.parenInParen': { en: () => "a '(' inside parentheses: close the first one", example: {} },
  'dnsLab.zone.parenUnopened': { en: () => "a ')' with no '(' before it", example: {} },
  'dnsLab.zone.quoteOpen': { en: () => 'a quoted string is not closed on its line', example: {} },
  'dnsLab.zone.parenUnclosed': { en: () => "a '(' is never closed", example: {} },
  'dnsLab.zone.notByte': { en: (p) => `${p.escape} is not a byte (0-255)`, example: { escape: '\\300' } },
  'dnsLab.zone.backslashEnd': { en: () => 'a backslash at the end of a line', example: {} },
  'dnsLab.zone.emptyName': { en: (p) => `${p.what}: an empty name`, example: { what: 'NS' } },
  'dnsLab.zone.nameLong': { en: (p) => `${p.what}: the name is longer than ${p.max} characters`, example: { what: { key: 'dnsLab.zone.owner' }, max: 253 } },
  'dnsLab.zone.emptyLabel': { en: (p) => `${p.what}: '${p.name}' has an empty label (two dots in a row)`, example: { what: 'MX', name: 'mail..crepes.fr' } },
  'dnsLab.zone.labelLong': { en: (p) => `${p.what}: the label '${p.label}…' is longer than ${p.max} characters`, example: { what: 'CNAME', label: 'aaaaaaaaaaaaaaaaaaaa', max: 63 } },
  'dnsLab.zone.spaceInName': { en: (p) => `${p.what}: white space inside a name`, example: { what: 'NS' } },
  'dnsLab.zone.hostMissing': { en: (p) => `${p.type}: a host name is missing`, example: { type: 'NS' } },
  'dnsLab.zone.hostIsAddress': {
    en: (p) => `${p.type} needs a host name, not an address (${p.address}): name the host and give it an A record`,
    example: { type: 'NS', address: '212.212.212.1' },
  },
  'dnsLab.zone.numberNeeded': { en: (p) => `${p.what}: a number is needed`, example: { what: { key: 'dnsLab.zone.field.mxPreference' } } },
  'dnsLab.zone.numberNeededNot': { en: (p) => `${p.what}: a number is needed, not '${p.token}'`, example: { what: { key: 'dnsLab.zone.field.soaSerial' }, token: 'ten' } },
  'dnsLab.zone.numberLarge': { en: (p) => `${p.what}: ${p.value} is larger than ${p.max}`, example: { what: { key: 'dnsLab.zone.field.srvPriority' }, value: 70000, max: 65535 } },
  'dnsLab.zone.missingData': { en: (p) => `${p.type}: missing data; the form is ${p.type} ${p.form}`, example: { type: 'MX', form: 'PREFERENCE HOSTNAME (10 mail.crepes.fr.)' } },
  'dnsLab.zone.unexpectedData': {
    en: (p) => `${p.type}: unexpected '${p.token}' after the data; the form is ${p.type} ${p.form}`,
    example: { type: 'NS', token: 'extra', form: 'HOSTNAME' },
  },
  'dnsLab.zone.notIpv4': { en: (p) => `A: '${p.token}' is not an IPv4 address (like 128.119.40.205)`, example: { token: '128.119.40.300' } },
  'dnsLab.zone.notIpv6': { en: (p) => `AAAA: '${p.token}' is not an IPv6 address (like 2001:db8::1)`, example: { token: '2001:db8:::1' } },
  'dnsLab.zone.txtEmpty': { en: () => 'TXT: at least one string is needed ("text")', example: {} },
  'dnsLab.zone.txtLong': { en: () => 'TXT: each string holds at most 255 bytes; split it into several quoted strings', example: {} },
  'dnsLab.zone.notTime': { en: (p) => `${p.what}: '${p.token}' is not a time (seconds, or like 1h, 2d)`, example: { what: { key: 'dnsLab.zone.field.soaRefresh' }, token: 'soon' } },
  'dnsLab.zone.originArgs': { en: (p) => `${p.directive} takes one name`, example: { directive: '$ORIGIN' } },
  'dnsLab.zone.ttlArgs': { en: (p) => `${p.directive} takes one time (seconds, or like 1h, 2d)`, example: { directive: '$TTL' } },
  'dnsLab.zone.include': { en: (p) => `${p.directive} is not supported in the lab: put the records in this file`, example: { directive: '$INCLUDE' } },
  'dnsLab.zone.unknownDirective': {
    en: (p) => `unknown directive ${p.directive} (the lab knows ${p.origin} and ${p.ttl})`,
    example: { directive: '$GENERATE', origin: '$ORIGIN', ttl: '$TTL' },
  },
  'dnsLab.zone.firstOwner': { en: () => 'the first record needs an owner name (the line starts with white space)', example: {} },
  'dnsLab.zone.outside': {
    en: (p) => `${p.owner} is outside the zone ${p.zone}: a zone holds only names ending in ${p.zone}`,
    example: { owner: 'www.crepes.fr', zone: 'umass.edu' },
  },
  'dnsLab.zone.classOnly': { en: (p) => `class ${p.cls}: the lab serves only class IN (Internet)`, example: { cls: 'CH' } },
  'dnsLab.zone.notTtl': { en: (p) => `'${p.token}' is not a TTL (at most ${p.max} seconds, or like 1h, 2d)`, example: { token: '9x', max: 2147483647 } },
  'dnsLab.zone.typeMissing': { en: () => 'a record type is missing (A, AAAA, NS, CNAME, MX, SOA, PTR, TXT or SRV)', example: {} },
  'dnsLab.zone.unknownType': { en: (p) => `unknown record type '${p.token}' (the lab knows ${p.types})`, example: { token: 'SRV', types: 'A, AAAA, NS' } },
  'dnsLab.zone.noTtl': { en: (p) => `no TTL: give one on the record, or put a ${p.directive} line at the top`, example: { directive: '$TTL' } },
  'dnsLab.zone.tooMany': { en: (p) => `more than ${p.max} records`, example: { max: 2000 } },
  'dnsLab.zone.tooLarge': { en: (p) => `the file is larger than ${p.max} characters`, example: { max: 200000 } },
  'dnsLab.zone.noSoa': { en: (p) => `no SOA record: a zone starts with '${p.soa}' for ${p.zone}`, example: { soa: '@ SOA …', zone: 'umass.edu' } },
  'dnsLab.zone.soaApex': { en: (p) => `the SOA record belongs at the zone's apex (${p.zone}, written ${p.at})`, example: { zone: 'umass.edu', at: '@' } },
  'dnsLab.zone.twoSoa': { en: () => 'a zone has exactly one SOA record', example: {} },
  'dnsLab.zone.noNs': {
    en: (p) => `no NS record at the apex: say which servers are authoritative for ${p.zone} ('${p.example}')`,
    example: { zone: 'umass.edu', example: '@ NS dns1.…' },
  },
  'dnsLab.zone.cnameOther': {
    en: (p) => `${p.name} has a CNAME and other records: a CNAME must be the only record at its name (RFC 1034 §3.6.2)`,
    example: { name: 'www.cs.umass.edu' },
  },
  'dnsLab.zone.twoCname': { en: (p) => `${p.name} has two CNAME records: an alias points at one name`, example: { name: 'www.cs.umass.edu' } },
  'dnsLab.zone.relative': {
    en: (p) => `relative name: did you mean ${p.name}. ? Without the trailing dot, ${p.name} is read relative to the origin and becomes ${p.full}.`,
    example: { name: 'dns1.networkutopia.com', full: 'dns1.networkutopia.com.com' },
  },
  // the fields of a record whose value is a number or a time, named in the messages above
  'dnsLab.zone.field.mxPreference': { en: () => 'MX preference', example: {} },
  'dnsLab.zone.field.srvPriority': { en: () => 'SRV priority', example: {} },
  'dnsLab.zone.field.srvWeight': { en: () => 'SRV weight', example: {} },
  'dnsLab.zone.field.srvPort': { en: () => 'SRV port', example: {} },
  'dnsLab.zone.field.soaSerial': { en: () => 'SOA serial', example: {} },
  'dnsLab.zone.field.soaRefresh': { en: () => 'SOA refresh', example: {} },
  'dnsLab.zone.field.soaRetry': { en: () => 'SOA retry', example: {} },
  'dnsLab.zone.field.soaExpire': { en: () => 'SOA expire', example: {} },
  'dnsLab.zone.field.soaMinimum': { en: () => 'SOA minimum', example: {} },
} satisfies Record<string, LabTextEntry>;
