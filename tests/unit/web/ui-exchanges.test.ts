/**
 * The inspector's request/response pairing (src-renderer .../inspector/exchanges.ts): the
 * n-th response on a connection answers the n-th request, pipelined or not; interim 1xx
 * responses wait for the final one; DNS pairs by ID; the grouped view built row by row as
 * batches arrive, or page by page as older history comes, equals the one built from the whole list.
 */
import { describe, expect, it } from 'vitest';
import type { CaptureSummary } from '../../../src-main/lab/api';
import { Exchanges, exchangeLabel, groupedView, placeGrouped } from '../../../src-renderer/src/components/inspector/exchanges';

let nextId = 1;
function row(conn: number, dir: CaptureSummary['dir'], summary: string, extra: Partial<CaptureSummary> = {}): CaptureSummary {
  const id = nextId++;
  return { id, t: id * 10, service: 'http', protocol: 'http', conn, transport: 'tcp', dir, kind: 'message', size: 100, summary, ...extra };
}
const req = (conn: number, path: string) => row(conn, 'c2s', `GET ${path} HTTP/1.1 · Host: www.someschool.edu`);
const res = (conn: number, status = '200 OK', extra: Partial<CaptureSummary> = {}) => row(conn, 's2c', `HTTP/1.1 ${status} · text/html · 1.2 KiB`, extra);

describe('pairing HTTP exchanges', () => {
  it('pipelined requests: the n-th response answers the n-th request, per connection', () => {
    const ex = new Exchanges();
    const rows = [req(1, '/a'), req(1, '/b'), req(2, '/x'), req(1, '/c'), res(1), res(2, '404 Not Found'), res(1, '304 Not Modified'), res(1)];
    for (const m of rows) ex.add(m);
    const [a, b, x, c, ra, rx, rb, rc] = rows;
    expect(ex.of(a.id)?.response).toBe(ra);
    expect(ex.of(b.id)?.response).toBe(rb);
    expect(ex.of(c.id)?.response).toBe(rc);
    expect(ex.of(x.id)?.response).toBe(rx);
    expect(ex.of(rb.id)?.request).toBe(b);
    expect(ex.of(c.id)).toMatchObject({ ahead: 2, nth: 3 });
    expect(ex.of(a.id)).toMatchObject({ ahead: 0, nth: 1 });
    expect(exchangeLabel(ex.of(a.id)!)).toEqual({ request: 'GET /a', response: '200 OK', meta: 'text/html · 1.2 KiB · 40 ms' });
  });

  it('waiting is timed to the first response byte (the first server chunk), not the framed message', () => {
    const ex = new Exchanges();
    const r = req(5, '/big');
    ex.add(r);
    const chunk = row(5, 's2c', 'HTTP/1.1 200 OK…', { kind: 'chunk' });
    ex.add(chunk);
    ex.add(row(5, 's2c', 'more bytes', { kind: 'chunk' }));
    const done = res(5);
    ex.add(done);
    expect(ex.of(r.id)).toMatchObject({ response: done, firstByteT: chunk.t });
  });

  it('100 Continue waits with its request; a response to no request (408, 400 for garbage) stands alone', () => {
    const ex = new Exchanges();
    const stray = res(3, '408 Request Timeout');
    ex.add(stray);
    expect(ex.of(stray.id)).toBeUndefined();
    const put = row(3, 'c2s', 'PUT /up HTTP/1.1 · Host: x');
    const cont = res(3, '100 Continue');
    const ok = res(3, '201 Created');
    for (const m of [put, cont, ok]) ex.add(m);
    expect(ex.of(put.id)).toMatchObject({ response: ok, interim: [cont] });
    // a request the connection closed on (a slowloris head flushed at close) has no response
    const half = req(3, '/never');
    ex.add(half);
    expect(exchangeLabel(ex.of(half.id)!).response).toBe('pending…');
    ex.closed(3);
    expect(exchangeLabel(ex.of(half.id)!).response).toBe('no response');
    const garbage = row(3, 'c2s', 'hello there');
    const bad = res(3, '400 Bad Request');
    ex.add(garbage);
    ex.add(bad);
    expect(ex.of(bad.id)).toBeUndefined();
  });

  it('an evicted unanswered request still takes its response (which then stands alone)', () => {
    const ex = new Exchanges();
    const r1 = req(4, '/1');
    const r2 = req(4, '/2');
    ex.add(r1);
    ex.add(r2);
    expect(ex.forget([r1])).toEqual([]);
    const s1 = res(4);
    const s2 = res(4);
    ex.add(s1);
    ex.add(s2);
    expect(ex.of(s1.id)).toBeUndefined();
    expect(ex.of(r2.id)?.response).toBe(s2);
    // evicting an answered request hands back its response as an orphan
    expect(ex.forget([r2])).toEqual([s2]);
    expect(ex.of(s2.id)).toBeUndefined();
  });

  it('DNS: a response answers the query with its ID on the same flow', () => {
    const ex = new Exchanges();
    const dns = (summary: string, dir: 'c2s' | 's2c') => row(7, dir, summary, { service: 'dns-local', protocol: 'dns', transport: 'udp' });
    const q1 = dns('Standard query 0x0001 A www.someschool.edu', 'c2s');
    const q2 = dns('Standard query 0x0002 MX someschool.edu', 'c2s');
    const a2 = dns('Standard query response 0x0002 MX someschool.edu MX 10 mail.someschool.edu', 's2c');
    const a1 = dns('Standard query response 0x0001 A www.someschool.edu A 128.119.40.186', 's2c');
    for (const m of [q1, q2, a2, a1]) ex.add(m);
    expect(ex.of(q1.id)?.response).toBe(a1);
    expect(ex.of(q2.id)?.response).toBe(a2);
    expect(exchangeLabel(ex.of(q1.id)!)).toMatchObject({ request: 'A www.someschool.edu', response: 'A 128.119.40.186' });
    expect(exchangeLabel(ex.of(q2.id)!).response).toBe('MX 10 mail.someschool.edu');
    const q3 = dns('Standard query 0x0003 A gaia.cs.umass.edu', 'c2s');
    const a3 = dns('Standard query response 0x0003 A gaia.cs.umass.edu referral: edu NS a.edu-servers.net', 's2c');
    ex.add(q3);
    ex.add(a3);
    expect(exchangeLabel(ex.of(q3.id)!)).toMatchObject({ response: 'referral', meta: expect.stringMatching(/^edu NS a\.edu-servers\.net · /) });
  });
});

describe('the grouped Messages view', () => {
  const pass = () => true;

  it('one row per exchange; an expanded row has its response under it; a filter matching the response shows the pair', () => {
    const ex = new Exchanges();
    const rows = [req(1, '/a'), req(1, '/b'), res(1), res(1, '404 Not Found')];
    for (const m of rows) ex.add(m);
    expect(groupedView(rows, ex, pass, new Set()).map((m) => m.id)).toEqual([rows[0].id, rows[1].id]);
    expect(groupedView(rows, ex, pass, new Set([rows[1].id])).map((m) => m.id)).toEqual([rows[0].id, rows[1].id, rows[3].id]);
    const only404 = (m: CaptureSummary) => m.summary.includes('404');
    expect(groupedView(rows, ex, only404, new Set()).map((m) => m.id)).toEqual([rows[1].id]);
  });

  it('built incrementally over 100,000 rows in batches, it equals the view built from the whole list', () => {
    const rows: CaptureSummary[] = [];
    // 40 connections, each pipelining up to 3 requests; some responses filtered in, some out
    const open = new Map<number, number>();
    for (let i = 0; rows.length < 100_000; i++) {
      const conn = 1 + (i % 40);
      const waiting = open.get(conn) ?? 0;
      if (waiting < 3 && (i * 7) % 5 !== 0) {
        rows.push(req(conn, `/p${i}`));
        open.set(conn, waiting + 1);
      } else if (waiting > 0) {
        rows.push(res(conn, i % 9 === 0 ? '404 Not Found' : '200 OK'));
        open.set(conn, waiting - 1);
      } else rows.push(row(conn, 'none', 'connection closed', { kind: 'event' }));
    }
    const pred = (m: CaptureSummary) => m.kind !== 'event' && (m.summary.includes('404') || m.id % 3 !== 0);
    const expanded = new Set(rows.filter((m) => m.id % 11 === 0).map((m) => m.id));
    const ex = new Exchanges();
    const view: CaptureSummary[] = [];
    for (let at = 0; at < rows.length; at += 500) {
      for (const m of rows.slice(at, at + 500)) {
        ex.add(m);
        placeGrouped(view, ex, m, pred, expanded);
      }
    }
    const whole = groupedView(rows, ex, pred, expanded);
    expect(view.length).toBe(whole.length);
    expect(view.map((m) => m.id)).toEqual(whole.map((m) => m.id));
    expect(whole.length).toBeLessThan(rows.length * 0.7);
  });
});

describe('history paged backwards', () => {
  it('an older page put in front pairs as if the whole list had been paired at once', () => {
    const rows: CaptureSummary[] = [];
    const open = new Map<number, number>();
    for (let i = 0; rows.length < 20_000; i++) {
      const conn = 1 + (i % 13);
      const waiting = open.get(conn) ?? 0;
      if (waiting < 4 && (i * 7) % 5 !== 0) {
        rows.push(req(conn, `/p${i}`));
        open.set(conn, waiting + 1);
      } else if (waiting > 0) {
        rows.push(res(conn));
        open.set(conn, waiting - 1);
      } else rows.push(row(conn, 's2c', 'x', { kind: 'chunk' }));
    }
    const whole = new Exchanges();
    whole.rebuild(rows, () => false);
    // newest 3,000 first, then older pages of 5,000 in front, as the capture store loads them
    const paged = new Exchanges();
    let start = rows.length - 3000;
    paged.rebuild(rows.slice(start), () => false);
    while (start > 0) {
      const from = Math.max(0, start - 5000);
      paged.prepend(rows.slice(from, start), rows.slice(start), () => false);
      start = from;
    }
    const shape = (ex: Exchanges) => rows.map((m) => {
      const e = ex.of(m.id);
      return e ? `${e.request.id}>${e.response?.id ?? '-'} #${e.nth} +${e.ahead}` : '';
    });
    expect(shape(paged)).toEqual(shape(whole));
    expect(shape(whole).filter(Boolean).length).toBeGreaterThan(15_000);
  });

  it('the grouped view put together page by page (each page on its own, the whole again only when newer rows were re-paired) equals the whole one', () => {
    const rows: CaptureSummary[] = [];
    const open = new Map<number, number>();
    // HTTP on a few connections (pairs that straddle pages) and DNS on one flow, among plain
    // reads; then echo alone (pages that leave nothing to re-pair)
    for (let i = 0; rows.length < 6_000; i++) {
      const conn = 1 + (i % 5);
      const waiting = open.get(conn) ?? 0;
      if (i % 7 === 3) {
        const id = (0x1000 + i).toString(16);
        rows.push(row(9, 'c2s', `Standard query 0x${id} A gaia.cs.umass.edu`, { service: 'dns-local', protocol: 'dns', transport: 'udp' }));
        if (i % 3) rows.push(row(9, 's2c', `Standard query response 0x${id} A gaia.cs.umass.edu A 128.119.40.205`, { service: 'dns-local', protocol: 'dns', transport: 'udp' }));
      } else if (waiting < 2 && i % 4 !== 0) {
        rows.push(req(conn, `/p${i}`));
        open.set(conn, waiting + 1);
      } else if (waiting > 0) {
        rows.push(res(conn, i % 9 === 0 ? '404 Not Found' : '200 OK'));
        open.set(conn, waiting - 1);
      } else rows.push(row(20 + conn, 's2c', 'x', { kind: 'chunk', protocol: 'echo' }));
    }
    while (rows.length < 12_000) rows.push(row(30, rows.length % 2 ? 's2c' : 'c2s', 'HELLO', { service: 'echo-tcp', protocol: 'echo' }));
    const pred = (m: CaptureSummary) => m.summary.includes('404') || m.id % 3 !== 0;
    const expanded = new Set(rows.filter((m) => m.id % 5 === 0).map((m) => m.id));
    const ex = new Exchanges();
    let start = rows.length - 1000;
    ex.rebuild(rows.slice(start), () => false);
    let view = groupedView(rows.slice(start), ex, pred, expanded);
    let repairs = 0;
    let pages = 0;
    while (start > 0) {
      const from = Math.max(0, start - 997);
      const repaired = ex.prepend(rows.slice(from, start), rows.slice(start), () => false);
      pages++;
      if (repaired) repairs++;
      view = repaired ? groupedView(rows.slice(from), ex, pred, expanded) : groupedView(rows.slice(from, start), ex, pred, expanded).concat(view);
      start = from;
    }
    const whole = new Exchanges();
    whole.rebuild(rows, () => false);
    expect(view.map((m) => m.id)).toEqual(groupedView(rows, whole, pred, expanded).map((m) => m.id));
    // some pages left requests answered among the newer rows, some did not
    expect(repairs).toBeGreaterThan(0);
    expect(pages - repairs).toBeGreaterThan(4);
  });

  it('a DNS query on the older page takes its response from the newer rows', () => {
    const dns = (summary: string, dir: 'c2s' | 's2c') => row(9, dir, summary, { service: 'dns-local', protocol: 'dns', transport: 'udp' });
    const q = dns('Standard query 0x00aa A gaia.cs.umass.edu', 'c2s');
    const a = dns('Standard query response 0x00aa A gaia.cs.umass.edu A 128.119.40.205', 's2c');
    const ex = new Exchanges();
    ex.rebuild([a], () => false);
    expect(ex.of(a.id)).toBeUndefined();
    ex.prepend([q], [a], () => false);
    expect(ex.of(a.id)?.request).toBe(q);
  });
});
