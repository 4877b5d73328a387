import { describe, expect, it } from 'vitest';
import { evaluate, FilterError, looksLikeFilter, parseFilter, type Value } from '../../../src-main/lab/capture/field-filter';

/** a message as its fields: absent fields give no values */
const msg = (fields: Record<string, Value | Value[]>) => (name: string): Value[] => {
  const v = fields[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
const response304 = msg({ http: 'http', 'http.status': 304, 'http.reason': 'Not Modified', tcp: 3, 'tcp.stream': 3 });
const get = msg({ http: 'http', 'http.method': 'GET', 'http.uri': '/index.html', tcp: 3, 'tcp.stream': 3 });
const iterative = msg({ dns: 'dns', 'dns.flags.rd': 0, 'dns.qname': 'gaia.cs.umass.edu', 'dns.id': 0x1a2b, udp: 7, 'udp.stream': 7 });
const data = msg({ smtp: 'smtp', 'smtp.command': 'DATA', tcp: 12, 'tcp.stream': 12 });

const matches = (filter: string, m: ReturnType<typeof msg>) => evaluate(parseFilter(filter), m);

function mistakeAt(filter: string): number {
  try {
    parseFilter(filter);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    expect((e as Error).message).toContain(`at character ${(e as FilterError).pos + 1}`);
    return (e as FilterError).pos;
  }
  throw new Error(`"${filter}" parsed`);
}

describe('display filters: good expressions', () => {
  it('compares numbers and strings, case-blind for strings', () => {
    expect(matches('http.status == 304', response304)).toBe(true);
    expect(matches('http.status == 200', response304)).toBe(false);
    expect(matches('http.status != 200', response304)).toBe(true);
    expect(matches('http.status > 300 && http.status < 400', response304)).toBe(true);
    expect(matches('http.method == "GET"', get)).toBe(true);
    expect(matches('http.method == "get"', get)).toBe(true);
    expect(matches('http.method == GET', get)).toBe(true);
    expect(matches('http.method == "POST"', get)).toBe(false);
    expect(matches('dns.flags.rd == 0', iterative)).toBe(true);
    expect(matches('dns.id == 0x1a2b', iterative)).toBe(true);
    expect(matches('smtp.command == "DATA"', data)).toBe(true);
    expect(matches('tcp.stream == 12', data)).toBe(true);
    expect(matches('tcp.stream == 12', get)).toBe(false);
  });

  it('contains finds a piece of a string', () => {
    expect(matches('dns.qname contains "umass"', iterative)).toBe(true);
    expect(matches('dns.qname contains "UMASS"', iterative)).toBe(true);
    expect(matches('dns.qname contains "example"', iterative)).toBe(false);
  });

  it('&&, ||, ! and parentheses, with && binding tighter than ||', () => {
    expect(matches('http && !(http.status == 304)', response304)).toBe(false);
    expect(matches('http && !(http.status == 304)', get)).toBe(true);
    expect(matches('smtp.command == "DATA" || dns.flags.rd == 0', iterative)).toBe(true);
    expect(matches('smtp.command == "DATA" || dns.flags.rd == 0', get)).toBe(false);
    // a || b && c is a || (b && c)
    expect(matches('http.status == 304 || dns && smtp', response304)).toBe(true);
    expect(matches('(http.status == 304 || dns) && smtp', response304)).toBe(false);
    expect(matches('dns and not dns.flags.rd == 1', iterative)).toBe(true);
  });

  it('a comparison on an absent field is false; its negation true (Wireshark\'s rule)', () => {
    expect(matches('dns.flags.rd == 0', get)).toBe(false);
    expect(matches('!(dns.flags.rd == 1)', get)).toBe(true);
    expect(matches('dns', get)).toBe(false);
    expect(matches('http', get)).toBe(true);
  });
});

describe('display filters: mistakes at their character', () => {
  it('marks each mistake where it starts', () => {
    expect(mistakeAt('http.stat == 304')).toBe(0);
    expect(mistakeAt('http.status = 304')).toBe(12);
    expect(mistakeAt('http.status == ')).toBe(15);
    expect(mistakeAt('http.status == 304 &&')).toBe(21);
    expect(mistakeAt('(http.status == 304')).toBe(19);
    expect(mistakeAt('http.method == "GET')).toBe(15);
    expect(mistakeAt('http.status 304')).toBe(12);
    expect(mistakeAt('dns.qname < "a"')).toBe(12);
    expect(mistakeAt('http.status == 304 # x')).toBe(19);
    expect(mistakeAt('   ')).toBe(0);
    expect(mistakeAt('dns & http')).toBe(4);
  });

  it('says what is wrong', () => {
    expect(() => parseFilter('http.stat == 304')).toThrow(/"http.stat" is not a field/);
    expect(() => parseFilter('http.status = 304')).toThrow(/write ==/);
    expect(() => parseFilter('(dns')).toThrow(/"\)" is missing/);
  });
});

describe('the filter bar tells a display filter from a summary search', () => {
  it('field names and operators make a filter; plain words stay a search', () => {
    expect(looksLikeFilter('http.status == 304')).toBe(true);
    expect(looksLikeFilter('dns.flags.rd')).toBe(true);
    expect(looksLikeFilter('http.sta')).toBe(true);
    expect(looksLikeFilter('!dns')).toBe(true);
    expect(looksLikeFilter('GET /index.html')).toBe(false);
    expect(looksLikeFilter('NXDOMAIN')).toBe(false);
    expect(looksLikeFilter('gaia.cs.umass.edu')).toBe(false);
    expect(looksLikeFilter('')).toBe(false);
    expect(looksLikeFilter('dns')).toBe(false);
    expect(looksLikeFilter('!dns')).toBe(true);
    expect(looksLikeFilter('(http.status == 304 || dns)')).toBe(true);
    expect(looksLikeFilter('http.status > 300')).toBe(true);
    // what summaries say stays a search
    expect(looksLikeFilter('<bob@hamburger.edu>')).toBe(false);
    expect(looksLikeFilter('TO:<bob')).toBe(false);
    expect(looksLikeFilter('(no such record)')).toBe(false);
    expect(looksLikeFilter('(truncated)')).toBe(false);
  });
});
