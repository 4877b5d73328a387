/**
 * The flow graph's rows, worked out apart from drawing (Wireshark's Flow Graph, the textbook's
 * figures across several hosts): one column per host, one row per captured message in
 * capture order, an arrow from its sender's column to its receiver's. Rows all have the
 * same height, so the view draws only the rows in view, however many there are.
 */
import type { CaptureSummary, ConnectionInfo } from '../../api/types';
import { clientHost, serverHost, type FlowHost, type HostNaming } from './flowHosts';

export interface FlowArrow {
  kind: 'arrow';
  m: CaptureSummary;
  from: number;
  to: number;
  /** ms since the first message drawn */
  dt: number;
  /** a connection's open or close drawn as TCP would carry it (SYN, SYN, ACK, FIN, ACK …), from
   *  the capture's note `m` of it: Wireshark's Flow Graph with "TCP flows" on */
  tcp?: string;
}

/** A pause between two messages, marked so that the shared time axis stays honest. */
export interface FlowPause {
  kind: 'pause';
  ms: number;
  dt: number;
}

export type FlowRow = FlowArrow | FlowPause;

export interface FlowGraph {
  hosts: FlowHost[];
  rows: FlowRow[];
  /** row index of each message drawn, by message id */
  rowOf: Map<number, number>;
}

/** A silence longer than this between two messages gets a row of its own. */
export const PAUSE_MS = 1000;

/**
 * The label an arrow carries: the inspector's summary, less what the arrow itself says
 * (a DNS message's "Standard query" and transaction id, an SNMP message's request-id, a line's CRLF).
 */
export function flowLabel(m: CaptureSummary): string {
  let s = m.summary;
  if (m.protocol === 'dns') s = s.replace(/^Standard query response 0x[0-9a-f]+ /, 'response ').replace(/^Standard query 0x[0-9a-f]+ /, 'query ');
  if (m.protocol === 'snmp') s = s.replace(/^(\S+) id=-?\d+ /, '$1 ');
  return s.replace(/(\\r\\n)+$/, '').replace(/\\r\\n/g, ' ⏎ ');
}

/**
 * Builds the graph a batch at a time: live capture appends to the rows already laid out
 * instead of laying out 100,000 again for each batch. `messages`: what the filter selects, in
 * capture order. Notes of the capture itself are not messages between hosts and are left out;
 * with `tcpFlows`, a TCP connection's open and close notes are drawn as the segments that
 * carry them (RFC 9293 §3.5–3.6: SYN, SYN/ACK, ACK; a FIN/ACK from each side, the last ACK).
 * In the view of chunks and messages both, messages are drawn.
 */
export class FlowBuilder {
  private readonly hosts: FlowHost[] = [];
  private readonly rows: FlowRow[] = [];
  private readonly rowOf = new Map<number, number>();
  private readonly column = new Map<string, number>();
  /** per connection: [client column, server column] */
  private readonly ends = new Map<number, [number, number]>();
  private t0: number | undefined;
  private prevT = 0;
  /** a connection's open note, held until its first request names its server (a web request's Host) */
  private readonly opening = new Map<number, CaptureSummary>();
  /** per connection: the side whose FIN came first, and whether the other's came too */
  private readonly fins = new Map<number, { first: 'c2s' | 's2c'; both: boolean }>();

  constructor(
    private readonly connection: (id: number) => ConnectionInfo | undefined,
    private readonly naming: HostNaming,
    private readonly both = false,
    private readonly tcpFlows = false,
  ) {}

  private place(h: FlowHost): number {
    let i = this.column.get(h.key);
    if (i === undefined) {
      i = this.hosts.length;
      this.hosts.push(h);
      this.column.set(h.key, i);
    } else if (h.named && !this.hosts[i].named) this.hosts[i] = h; // first seen as "client" at its address, named later
    return i;
  }

  /** The columns of m's connection, placed when it is first drawn. */
  private pair(m: CaptureSummary): [number, number] | undefined {
    let pair = this.ends.get(m.conn);
    if (!pair) {
      const c = this.connection(m.conn);
      if (!c) return undefined;
      // the client's column first, so a request reads left to right
      const client = this.place(clientHost(c, this.naming));
      pair = [client, this.place(serverHost(c, this.naming, m.kind !== 'event' && m.dir === 'c2s' ? m.summary : undefined))];
      this.ends.set(m.conn, pair);
    }
    return pair;
  }

  /** One arrow for `m` from `dir`'s sender (the label is worked out when the row is drawn: only rows in view need one). */
  private arrow(m: CaptureSummary, dir: 'c2s' | 's2c', tcp?: string): void {
    const pair = this.pair(m);
    if (!pair) return;
    const rows = this.rows;
    this.t0 ??= m.t;
    if (rows.length && m.t - this.prevT > PAUSE_MS) rows.push({ kind: 'pause', ms: m.t - this.prevT, dt: this.prevT - this.t0 });
    this.prevT = Math.max(this.prevT, m.t);
    const [client, server] = pair;
    if (!this.rowOf.has(m.id)) this.rowOf.set(m.id, rows.length);
    rows.push({ kind: 'arrow', m, from: dir === 'c2s' ? client : server, to: dir === 'c2s' ? server : client, dt: m.t - this.t0, ...(tcp ? { tcp } : {}) });
  }

  /** Lays out messages[from..]. */
  add(messages: readonly CaptureSummary[], from = 0): void {
    for (let k = from; k < messages.length; k++) {
      const m = messages[k];
      if (m.kind === 'event' || m.dir === 'none') {
        if (this.tcpFlows && m.transport === 'tcp' && m.kind === 'event') this.tcpNote(m);
        continue;
      }
      if (this.both && m.kind === 'chunk') continue;
      this.opened(m);
      this.arrow(m, m.dir);
    }
  }

  /** The handshake of m's connection, if its open note waits for the first message. */
  private opened(m: CaptureSummary): void {
    const open = this.opening.get(m.conn);
    if (!open) return;
    this.opening.delete(m.conn);
    if (!this.ends.has(m.conn)) this.pair(m);
    this.arrow(open, 'c2s', 'SYN');
    this.arrow(open, 's2c', 'SYN, ACK');
    this.arrow(open, 'c2s', 'ACK');
  }

  /**
   * A TCP connection's note, drawn for a connection whose messages are drawn: its open when
   * its first message comes (which may name its server: a web request's Host), its close
   * after them. A connection with no message drawn (another protocol, filtered out) draws none.
   */
  private tcpNote(m: CaptureSummary): void {
    if (m.summary.startsWith('connection opened')) {
      this.opening.set(m.conn, m);
      return;
    }
    const fin = / closed its side \(FIN\)$/.test(m.summary) && m.dir !== 'none' ? m.dir : null;
    if (!fin && m.summary !== 'connection closed') return;
    if (this.opening.has(m.conn) || !this.ends.has(m.conn)) {
      if (!fin) this.opening.delete(m.conn);
      return;
    }
    const seen = this.fins.get(m.conn);
    if (fin) {
      if (!seen) this.fins.set(m.conn, { first: fin, both: false });
      else if (seen.first !== fin) seen.both = true;
      else return;
      this.arrow(m, fin, 'FIN, ACK');
      return;
    }
    // closed: the FIN/ACKs not drawn yet, then the last ACK from the side that closed first
    const first = seen?.first ?? 'c2s';
    const second = first === 'c2s' ? 's2c' : 'c2s';
    if (!seen) this.arrow(m, first, 'FIN, ACK');
    if (!seen?.both) this.arrow(m, second, 'FIN, ACK');
    this.arrow(m, first, 'ACK');
    this.fins.delete(m.conn);
  }

  /** The graph so far (a new object each time, so a view sees that it changed). */
  graph(): FlowGraph {
    return { hosts: [...this.hosts], rows: this.rows, rowOf: this.rowOf };
  }
}

export function layoutFlow(messages: readonly CaptureSummary[], connection: (id: number) => ConnectionInfo | undefined, naming: HostNaming, both = false, tcpFlows = false): FlowGraph {
  const b = new FlowBuilder(connection, naming, both, tcpFlows);
  b.add(messages);
  return b.graph();
}
