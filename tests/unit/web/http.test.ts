/** The pure HTTP/1.x code: request parser and its limits, response encoder/parser, the capture's framer and decoder, HAR pairing. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src-main/lab/web/head';
import { parseRequest, wantsPersistent } from '../../../src-main/lab/web/request';
import { encodeRequest, encodeResponse, parseResponse } from '../../../src-main/lab/web/response';
import { HttpFramer } from '../../../src-main/lab/web/framer';
import { decodeHttp, summarizeHttp } from '../../../src-main/lab/web/decoder';
import { Sites } from '../../../src-main/lab/web/server/sites';
import { notModified, authorised } from '../../../src-main/lab/web/server/handler';
import { parseCookies } from '../../../src-main/lab/web/server/cookies';
import { referencedObjects } from '../../../src-main/lab/web/experiments';
import { cachingPlan } from '../../../src-main/lab/web/caching-experiment';
import { endToEnd } from '../../../src-main/lab/web/proxy/proxy-service';

const req = (s: string) => parseRequest(Buffer.from(s, 'latin1'), 0, DEFAULT_LIMITS);
const status = (s: string) => {
  const r = req(s);
  return r.ok ? 200 : r.incomplete ? 0 : r.error.status;
};

describe('request parser', () => {
  it('reads a request with CRLF or bare LF lines, and the slide-style target without a slash', () => {
    const r = req('GET index.html HTTP/1.1\nHost: gaia.cs.umass.edu\n\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request.path).toBe('/index.html');
    expect(r.request.lenient.join(' ')).toMatch(/no leading slash.*bare LF/);
    const q = req('GET /echo?a=1&b=2 HTTP/1.0\r\n\r\n');
    expect(q.ok && [q.request.path, q.request.query, q.request.version]).toEqual(['/echo', 'a=1&b=2', '1.0']);
  });

  it('waits for the whole head and body, then reports the bytes used (pipelining)', () => {
    expect(status('GET / HTTP/1.1\r\nHost: a\r\n')).toBe(0);
    expect(status('POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nab')).toBe(0);
    const two = Buffer.from('POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n');
    const a = parseRequest(two, 0, DEFAULT_LIMITS);
    expect(a.ok && a.request.body.toString()).toBe('hello');
    const b = a.ok ? parseRequest(two, a.request.rawLength, DEFAULT_LIMITS) : null;
    expect(b?.ok && b.request.method).toBe('GET');
  });

  it('decodes chunked bodies', () => {
    const r = req('PUT /f HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n');
    expect(r.ok && r.request.body.toString()).toBe('hello world');
  });

  it('answers what it cannot read with the status a server owes', () => {
    expect(status('GET / HTTP/2.0\r\n\r\n')).toBe(505);
    expect(status('GET / HTTP/3.0\r\n\r\n')).toBe(505);
    expect(status('GET / HTTP/1.x\r\n\r\n')).toBe(400);
    const lower = req('get / http/1.1\r\n\r\n');
    expect(!lower.ok && !lower.incomplete && lower.error.message).toMatch(/case-sensitive: HTTP\/1\.1/);
    expect(status('GET /\r\n\r\n')).toBe(400);
    expect(status('hello there\r\n\r\n')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nBad Header\r\n\r\n')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nX: 1\r\n folded\r\n\r\n')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n')).toBe(400);
    expect(status('POST /echo HTTP/1.1\r\n\r\n')).toBe(411);
    expect(status(`POST /echo HTTP/1.1\r\nContent-Length: ${DEFAULT_LIMITS.maxBody + 1}\r\n\r\n`)).toBe(413);
    expect(status(`GET /${'a'.repeat(DEFAULT_LIMITS.maxStartLine)} HTTP/1.1\r\n\r\n`)).toBe(414);
    expect(status(`GET /${'a'.repeat(DEFAULT_LIMITS.maxStartLine)}`)).toBe(414);
    expect(status(`GET / HTTP/1.1\r\nX: ${'a'.repeat(DEFAULT_LIMITS.maxHeaderLine)}\r\n\r\n`)).toBe(431);
    expect(status(`GET / HTTP/1.1\r\n${'X: 1\r\n'.repeat(DEFAULT_LIMITS.maxHeaders + 1)}\r\n`)).toBe(431);
    expect(status(`\r\n`.repeat(600))).toBe(400);
  });

  it('knows persistent from non-persistent (RFC 9112 §9.3)', () => {
    const p = (s: string) => {
      const r = req(s);
      return r.ok && wantsPersistent(r.request);
    };
    expect(p('GET / HTTP/1.1\r\n\r\n')).toBe(true);
    expect(p('GET / HTTP/1.1\r\nConnection: close\r\n\r\n')).toBe(false);
    expect(p('GET / HTTP/1.0\r\n\r\n')).toBe(false);
    expect(p('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')).toBe(true);
  });

  it('keeps an absolute-form target for the proxy', () => {
    const r = req('GET http://www.someschool.edu:8000/a?b HTTP/1.1\r\n\r\n');
    expect(r.ok && r.request.absolute).toEqual({ scheme: 'http', host: 'www.someschool.edu', port: 8000 });
    expect(r.ok && [r.request.path, r.request.query]).toEqual(['/a', 'b']);
  });
});

describe('responses', () => {
  it('round-trips through the encoder and the parser; HEAD and 304 have no body', () => {
    const bytes = encodeResponse({ status: 200, headers: [['Content-Type', 'text/plain']], body: Buffer.from('hi') }, 'GET');
    const r = parseResponse(bytes, 0, 'GET', false);
    expect(r.ok && [r.response.status, r.response.body.toString(), r.response.rawLength]).toEqual([200, 'hi', bytes.length]);
    const head = encodeResponse({ status: 200, headers: [], body: Buffer.from('hello') }, 'HEAD');
    expect(head.toString()).toMatch(/Content-Length: 5\r\n\r\n$/);
    expect(parseResponse(head, 0, 'HEAD', false).ok).toBe(true);
    const nm = encodeResponse({ status: 304, headers: [['ETag', '"x"']], body: Buffer.alloc(0) }, 'GET');
    expect(nm.toString()).not.toMatch(/Content-Length/);
  });

  it('reads a body that runs to the close', () => {
    const bytes = Buffer.from('HTTP/1.0 200 OK\r\n\r\nall of it');
    expect(parseResponse(bytes, 0, 'GET', false)).toEqual({ ok: false, incomplete: true });
    const r = parseResponse(bytes, 0, 'GET', true);
    expect(r.ok && r.response.body.toString()).toBe('all of it');
  });

  it('encodes requests with a length when they carry a body', () => {
    expect(encodeRequest('POST', '/echo', [['Host', 'a']], Buffer.from('x=1')).toString()).toBe('POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nx=1');
  });
});

describe('capture framing and decoding', () => {
  it('frames whole messages however the bytes were split, by length and by chunks', () => {
    const f = new HttpFramer();
    const reqs = 'GET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD /x HTTP/1.1\r\n\r\nPOST /e HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc';
    const frames = [...reqs].flatMap((c) => f.push('c2s', Buffer.from(c)));
    expect(frames.map((x) => x.bytes.toString().split('\r\n')[0])).toEqual(['GET / HTTP/1.1', 'HEAD /x HTTP/1.1', 'POST /e HTTP/1.1']);
    const res =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n' + // the answer to HEAD: no body
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    const out = [...res].flatMap((c) => f.push('s2c', Buffer.from(c)));
    expect(out.map((x) => x.bytes.length)).toEqual([60, 39, 40]);
  });

  it('frames from the bytes alone whatever the case of the names, and leaves the unusual to the parser', () => {
    const reqs = [
      'POST /a HTTP/1.1\r\nCONTENT-length:  3 \r\n\r\nabc',
      'PUT /b HTTP/1.1\nContent-Length: 2\n\nhi', // bare LF: the full parser
      'POST /c HTTP/1.1\r\ntransfer-ENCODING: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      'GET /d HTTP/1.1\r\nHost: x\r\n\r\n',
    ];
    for (const split of [false, true]) {
      const f = new HttpFramer();
      const all = reqs.join('');
      const frames = split ? [...all].flatMap((c) => f.push('c2s', Buffer.from(c))) : f.push('c2s', Buffer.from(all));
      expect(frames.map((x) => x.bytes.toString())).toEqual(reqs);
    }
    const f = new HttpFramer();
    f.push('c2s', Buffer.from('HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n'));
    const res = ['HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n', 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nto the close'];
    expect(f.push('s2c', Buffer.from(res.join(''))).map((x) => x.bytes.toString())).toEqual([res[0]]);
    expect(f.flush('s2c').map((x) => x.bytes.toString())).toEqual([res[1]]);
  });

  it('keeps bytes that are not HTTP as one message', () => {
    const f = new HttpFramer();
    expect(f.push('c2s', Buffer.from([0x16, 0x03, 0x01, 0x0a, 0x0a])).map((x) => x.bytes.length)).toEqual([5]);
    expect(f.push('c2s', Buffer.from('half a line')).length).toBe(0);
    expect(f.flush('c2s').map((x) => x.bytes.toString())).toEqual(['half a line']);
  });

  it('summarises and decodes the start line, header fields and body', () => {
    expect(summarizeHttp(Buffer.from('GET /a HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n'))).toBe('GET /a HTTP/1.1 · Host: gaia.cs.umass.edu');
    expect(summarizeHttp(Buffer.from('GET /a HTTP/1.1\nHost: x\n\n'))).toBe('GET /a HTTP/1.1 · Host: x');
    const res = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5\r\nX-Cache: HIT\r\n\r\nhello');
    expect(summarizeHttp(res)).toBe('HTTP/1.1 200 OK · text/html · 5 B · X-Cache: HIT');
    const fields = decodeHttp(res)!;
    expect(fields[0].children!.map((c) => c.value)).toEqual(['HTTP/1.1', '200', 'OK']);
    expect(fields[1].children!.map((c) => c.name)).toEqual(['Content-Type', 'Content-Length', 'X-Cache']);
    expect(fields[2].children![1]).toEqual({ name: 'Preview', value: 'hello' });
    expect(summarizeHttp(Buffer.from('\x16\x03garbage\r\n\r\n'))).toBeNull();
  });
});

describe('server logic', () => {
  it('refuses paths that leave the site, plain or encoded', () => {
    for (const p of ['/../x', '/a/../../x', '/%2e%2e/x', '/%2E%2E/x', '/a%2f..%2fx', '/..%5cx', '/%00', '/.hidden']) {
      expect(() => Sites.segments(p), p).toThrow();
    }
    expect(Sites.segments('/some%20Department/a.html')).toEqual(['some Department', 'a.html']);
    expect(() => Sites.segments('/%zz')).toThrow(/percent/);
  });

  it('answers conditional GET by ETag first, then by date (RFC 9110 §13.2.2)', () => {
    const mtime = Date.parse('Sat, 21 Nov 2026 10:00:00 GMT') + 400;
    const r = (h: string) => {
      const x = req(`GET / HTTP/1.1\r\n${h}\r\n\r\n`);
      if (!x.ok) throw new Error('parse');
      return notModified(x.request, '"abc"', mtime);
    };
    expect(r('If-None-Match: "abc"')).toBe(true);
    expect(r('If-None-Match: W/"abc", "zzz"')).toBe(true);
    expect(r('If-None-Match: "zzz"\r\nIf-Modified-Since: Sat, 21 Nov 2026 10:00:00 GMT')).toBe(false);
    expect(r('If-Modified-Since: Sat, 21 Nov 2026 10:00:00 GMT')).toBe(true);
    expect(r('If-Modified-Since: Sat, 21 Nov 2026 09:59:59 GMT')).toBe(false);
    expect(r('If-Modified-Since: yesterday')).toBe(false);
  });

  it('checks Basic credentials and parses cookies', () => {
    const b64 = Buffer.from('wireshark-students:network').toString('base64');
    expect(authorised(`Basic ${b64}`, 'wireshark-students', 'network')).toBe(true);
    expect(authorised(`Basic ${b64}`, 'wireshark-students', 'other')).toBe(false);
    expect(authorised('Bearer x', 'a', 'b')).toBe(false);
    expect(parseCookies('id=1678; theme="dark"; id=2')).toEqual({ id: '1678', theme: 'dark' });
  });

  it('drops hop-by-hop headers, including those Connection names', () => {
    expect(endToEnd([['Connection', 'X-A, close'], ['X-A', '1'], ['Keep-Alive', '5'], ['Proxy-Connection', 'x'], ['Accept', '*/*']])).toEqual([['Accept', '*/*']]);
  });

  it('finds the images a page references; the caching plan offers a requests/s, h of them for popular objects, the same every run', () => {
    expect(referencedObjects('<img src="images/a.png"><IMG alt="" src="/b.png"><img src="http://x/c.png">', '/dir/page.html')).toEqual(['/dir/images/a.png', '/b.png']);
    const plan = cachingPlan({ requestsPerSec: 15, durationS: 100, hitRate: 0.4 });
    expect(plan.timesS.length).toBeGreaterThan(1350);
    expect(plan.timesS.length).toBeLessThan(1650);
    expect(plan.timesS.every((t, i) => t < 100 && (i === 0 || t >= plan.timesS[i - 1]))).toBe(true);
    const popular = plan.objects.filter((o) => o.startsWith('popular-')).length / plan.objects.length;
    expect(popular).toBeGreaterThan(0.35);
    expect(popular).toBeLessThan(0.45);
    expect(new Set(plan.objects.filter((o) => !o.startsWith('popular-'))).size).toBe(plan.objects.length * (1 - popular));
    expect(cachingPlan({ requestsPerSec: 15, durationS: 100, hitRate: 0.4 })).toEqual(plan);
  });
});
