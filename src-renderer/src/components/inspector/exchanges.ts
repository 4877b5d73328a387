/**
 * Request/response pairing for the inspector, kept incrementally as capture rows arrive
 * (never by rescanning the list): on an HTTP connection the n-th response answers the
 * n-th request, pipelined or not (RFC 9112 §9.3.2); a DNS response answers the query with
 * its ID on the same flow (RFC 1035 §4.1.1); an IMAP completion answers the command with its
 * tag on the same connection (RFC 3501 §2.2.1); an SNMP response the request with its
 * request-id on the same flow (RFC 3416 §4.2); a SIP response answers the request with its
 * Call-ID and CSeq on the same flow, 1xx first (RFC 3261 §17); on the index protocol (Napster's
 * server, a KaZaA super-node) the n-th numbered reply answers the n-th command, the greeting
 * answering none. Everything here reads only the rows' summaries.
 */
import type { CaptureSummary } from '../../api/types';

export interface Exchange {
  protocol: 'http' | 'dns' | 'imap' | 'snmp' | 'sip' | 'napster';
  request: CaptureSummary;
  response?: CaptureSummary;
  /** 1xx interim responses (100 Continue ...) seen before the final one */
  interim: CaptureSummary[];
  /** t of the first response byte on the wire (the first server→client chunk after the request's turn) */
  firstByteT?: number;
  /** requests on the connection still unanswered when this one was sent: > 0 means pipelined */
  ahead: number;
  /** this request's number on its connection, from 1 */
  nth: number;
  /** the connection closed with this request unanswered */
  unanswered?: boolean;
}

import { INDEX_COMMAND, INDEX_REPLY, keyOf, plain, REQUEST_LINE, STATUS_LINE } from './exchangePatterns';

export { exchangeLabel, formatMs, statusClass } from './exchangeLabels';

/** the protocols whose replies come in the order of their requests, on one connection */
type InOrder = 'http' | 'napster';
const inOrder = (protocol: string): protocol is InOrder => protocol === 'http' || protocol === 'napster';

interface ConnState {
  /** unanswered requests, oldest first */
  queue: Exchange[];
  /** answered requests at the head of the queue that were evicted: their responses pair with nothing */
  skip: number;
  requests: number;
  firstByteT?: number;
}

export class Exchanges {
  private byId = new Map<number, Exchange>();
  private conns = new Map<number, ConnState>();
  /** DNS queries and IMAP commands waiting for their response, by flow and ID or tag */
  private pending = new Map<string, Exchange>();

  of(id: number): Exchange | undefined {
    return this.byId.get(id);
  }

  /** A paired response (in the grouped view it sits under its request's row). */
  isPairedResponse(m: CaptureSummary): boolean {
    return this.byId.get(m.id)?.response === m;
  }

  /** Take one new row (rows come in id order); returns the exchange it opened or completed. */
  add(m: CaptureSummary): Exchange | undefined {
    if (inOrder(m.protocol) && m.conn > 0) return this.addInOrder(m, m.protocol);
    // a DNS-over-TCP read's chunk may hold a whole message too: only the framed message counts
    if ((m.protocol === 'dns' || m.protocol === 'imap' || m.protocol === 'snmp' || m.protocol === 'sip') && m.kind === 'message') return this.addKeyed(m, m.protocol);
    return undefined;
  }

  private conn(id: number): ConnState {
    let c = this.conns.get(id);
    if (!c) {
      c = { queue: [], skip: 0, requests: 0 };
      this.conns.set(id, c);
    }
    return c;
  }

  private addInOrder(m: CaptureSummary, protocol: InOrder): Exchange | undefined {
    const http = protocol === 'http';
    if (m.kind === 'event' || m.dir === 'none') return undefined;
    // a read's chunk (or a message that was a whole read) marks when response bytes began
    if (m.dir === 's2c' && (m.kind === 'chunk' || m.whole)) {
      const c = this.conn(m.conn);
      c.firstByteT ??= m.t;
    }
    if (m.kind !== 'message') return undefined;
    if (m.dir === 'c2s') {
      if (!(http ? REQUEST_LINE : INDEX_COMMAND).test(plain(m))) return undefined;
      const c = this.conn(m.conn);
      const e: Exchange = { protocol, request: m, interim: [], ahead: c.queue.length + c.skip, nth: ++c.requests };
      c.queue.push(e);
      this.byId.set(m.id, e);
      return e;
    }
    const status = (http ? STATUS_LINE : INDEX_REPLY).exec(plain(m));
    if (!status) return undefined;
    const c = this.conn(m.conn);
    const code = Number(status[1]);
    const firstByteT = c.firstByteT ?? m.t;
    c.firstByteT = undefined;
    if (http && code >= 100 && code < 200 && code !== 101) {
      const head = c.skip ? undefined : c.queue[0];
      if (head) {
        head.interim.push(m);
        head.firstByteT ??= firstByteT;
        this.byId.set(m.id, head);
      }
      return head;
    }
    if (c.skip > 0) {
      c.skip--;
      return undefined;
    }
    const e = c.queue.shift();
    if (!e) return undefined; // a response to no request: a 400 for garbage, a 408 timeout
    e.response = m;
    e.firstByteT ??= firstByteT;
    this.byId.set(m.id, e);
    return e;
  }

  private addKeyed(m: CaptureSummary, protocol: 'dns' | 'imap' | 'snmp' | 'sip'): Exchange | undefined {
    const k = keyOf(m);
    if (!k) return undefined;
    if (k.request) {
      const e: Exchange = { protocol, request: m, interim: [], ahead: 0, nth: 1 };
      this.pending.set(k.key, e);
      // a flow that never answers must not grow the table without bound
      if (this.pending.size > 10_000) this.pending.delete(this.pending.keys().next().value as string);
      this.byId.set(m.id, e);
      return e;
    }
    const e = this.pending.get(k.key);
    if (!e) return undefined;
    if (k.interim) {
      // a SIP provisional answer (100 Trying, 180 Ringing): the transaction goes on (RFC 3261 §17.1.1)
      e.interim.push(m);
      e.firstByteT ??= m.t;
      this.byId.set(m.id, e);
      return e;
    }
    this.pending.delete(k.key);
    e.response = m;
    e.firstByteT ??= m.t;
    this.byId.set(m.id, e);
    return e;
  }

  /**
   * Rows evicted from the front of the capture. Returns the responses whose request went:
   * they now stand alone and must get a row of their own.
   */
  forget(rows: readonly CaptureSummary[]): CaptureSummary[] {
    const orphans: CaptureSummary[] = [];
    const gone = new Set<number>();
    for (const m of rows) gone.add(m.id);
    for (const m of rows) {
      const e = this.byId.get(m.id);
      if (!e) continue;
      this.byId.delete(m.id);
      if (e.request !== m) continue;
      for (const i of e.interim) this.byId.delete(i.id);
      if (e.response) {
        this.byId.delete(e.response.id);
        if (!gone.has(e.response.id)) orphans.push(e.response);
      } else if (inOrder(e.protocol)) {
        // still unanswered: its response, when it comes, pairs with nothing
        const c = this.conns.get(m.conn);
        const at = c ? c.queue.indexOf(e) : -1;
        if (c && at >= 0) {
          c.queue.splice(at, 1);
          c.skip++;
        }
      } else {
        for (const [k, v] of this.pending) if (v === e) this.pending.delete(k);
      }
    }
    return orphans.sort((a, b) => a.id - b.id);
  }

  /** A connection closed: its unanswered requests stay unanswered. */
  closed(conn: number): void {
    const c = this.conns.get(conn);
    if (c) for (const e of c.queue) e.unanswered = true;
    this.conns.delete(conn);
  }

  clear(): void {
    this.byId.clear();
    this.conns.clear();
    this.pending.clear();
  }

  /** Pair a whole list from scratch (the first page of history). */
  rebuild(rows: readonly CaptureSummary[], closedConns: (conn: number) => boolean): void {
    this.clear();
    for (const m of rows) this.add(m);
    for (const id of [...this.conns.keys()]) if (closedConns(id)) this.closed(id);
  }

  /**
   * An older page of history put in front of `newer` (the rows paired so far). The page is
   * paired on its own; only the newer rows of a connection the page left with unanswered
   * requests are paired again, continuing from the page's state — never the whole list.
   * Returns whether a newer row's pairing changed (the grouped view then has rows to move).
   */
  prepend(page: readonly CaptureSummary[], newer: readonly CaptureSummary[], closedConns: (conn: number) => boolean): boolean {
    let repaired = false;
    const older = new Exchanges();
    for (const m of page) older.add(m);
    const open = new Set<number>();
    for (const [id, c] of older.conns) if (c.queue.length || c.skip) open.add(id);
    // the newer exchanges of a connection the page also used: numbered after the page's requests
    const shift = new Map<number, number>();
    for (const [id, c] of older.conns) if (!open.has(id) && c.requests) shift.set(id, c.requests);
    if (shift.size) {
      const seen = new Set<Exchange>();
      for (const e of this.byId.values()) {
        const by = inOrder(e.protocol) ? shift.get(e.request.conn) : undefined;
        if (by && !seen.has(e)) {
          seen.add(e);
          e.nth += by;
        }
      }
      for (const [id, by] of shift) {
        const c = this.conns.get(id);
        if (c) c.requests += by;
      }
    }
    for (const [id, e] of older.byId) this.byId.set(id, e);
    for (const [id, c] of older.conns) if (!this.conns.has(id) && !open.has(id) && !closedConns(id)) this.conns.set(id, c);
    if (open.size) {
      const redo = newer.filter((m) => inOrder(m.protocol) && open.has(m.conn));
      for (const m of redo) this.byId.delete(m.id);
      for (const id of open) this.conns.set(id, older.conns.get(id)!);
      for (const m of redo) this.add(m);
      repaired ||= redo.length > 0;
    }
    // a DNS query or IMAP command the page left unanswered: its response is among the newer rows, unpaired
    if (older.pending.size) {
      for (const m of newer) {
        if (this.byId.has(m.id)) continue;
        const k = keyOf(m);
        const e = k && !k.request ? older.pending.get(k.key) : undefined;
        if (!k || !e) continue;
        older.pending.delete(k.key);
        e.response = m;
        e.firstByteT = m.t;
        this.byId.set(m.id, e);
        repaired = true;
      }
    }
    for (const id of open) if (closedConns(id)) this.closed(id);
    return repaired;
  }
}

/** The sort key of a row in the grouped view: a paired response sorts with its request. */
export function groupKey(ex: Exchanges, m: CaptureSummary): number {
  const e = ex.of(m.id);
  return e && e.request !== m ? e.request.id : m.id;
}

/** First index in a grouped view whose key is >= key. */
export function lowerBoundKey(view: readonly CaptureSummary[], ex: Exchanges, key: number): number {
  let lo = 0;
  let hi = view.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (groupKey(ex, view[mid]) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The grouped Messages view: one row per exchange (shown when its request or its response
 * matches the filter), the response under its request only when the row is expanded.
 */
export function groupedView(
  rows: readonly CaptureSummary[],
  ex: Exchanges,
  pred: (m: CaptureSummary) => boolean,
  expanded: ReadonlySet<number>,
): CaptureSummary[] {
  const out: CaptureSummary[] = [];
  for (const m of rows) {
    const e = ex.of(m.id);
    if (!e) {
      if (pred(m)) out.push(m);
      continue;
    }
    if (e.request !== m) continue; // an interim or final response: placed with its request
    if (!(pred(m) || (e.response !== undefined && pred(e.response)))) continue;
    out.push(m);
    if (expanded.has(m.id)) out.push(...e.interim, ...(e.response ? [e.response] : []));
  }
  return out;
}

/**
 * Place one new row in the grouped view (rows arrive in id order). A response goes under
 * its request: nothing to add unless the row is expanded, or the request was filtered out
 * and the response makes the exchange match.
 */
export function placeGrouped(
  view: CaptureSummary[],
  ex: Exchanges,
  m: CaptureSummary,
  pred: (m: CaptureSummary) => boolean,
  expanded: ReadonlySet<number>,
): void {
  const e = ex.of(m.id);
  if (!e) {
    if (pred(m)) view.push(m);
    return;
  }
  if (e.request === m) {
    if (pred(m)) view.push(m);
    return;
  }
  const at = lowerBoundKey(view, ex, e.request.id);
  const shown = view[at]?.id === e.request.id;
  if (!shown) {
    if (!pred(m)) return;
    view.splice(at, 0, e.request);
  }
  if (expanded.has(e.request.id)) {
    // after the request and whatever of its exchange is already under it
    let end = at + 1;
    while (end < view.length && groupKey(ex, view[end]) === e.request.id) end++;
    view.splice(end, 0, m);
  }
}
