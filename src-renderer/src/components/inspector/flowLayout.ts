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
 * capture order. Notes of the capture itself (a connection opened, a FIN) are not messages
 * between hosts and are left out; in the view of chunks and messages both, messages are drawn.
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

  constructor(
    private readonly connection: (id: number) => ConnectionInfo | undefined,
    private readonly naming: HostNaming,
    private readonly both = false,
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

  /** Lays out messages[from..]. */
  add(messages: readonly CaptureSummary[], from = 0): void {
    const rows = this.rows;
    for (let k = from; k < messages.length; k++) {
      const m = messages[k];
      if (m.kind === 'event' || m.dir === 'none' || (this.both && m.kind === 'chunk')) continue;
      let pair = this.ends.get(m.conn);
      if (!pair) {
        const c = this.connection(m.conn);
        if (!c) continue;
        // the client's column first, so a request reads left to right
        const client = this.place(clientHost(c, this.naming));
        pair = [client, this.place(serverHost(c, this.naming, m.dir === 'c2s' ? m.summary : undefined))];
        this.ends.set(m.conn, pair);
      }
      this.t0 ??= m.t;
      if (rows.length && m.t - this.prevT > PAUSE_MS) rows.push({ kind: 'pause', ms: m.t - this.prevT, dt: this.prevT - this.t0 });
      this.prevT = m.t;
      const [client, server] = pair;
      this.rowOf.set(m.id, rows.length);
      // the label is worked out when the row is drawn: only rows in view need one
      rows.push({ kind: 'arrow', m, from: m.dir === 'c2s' ? client : server, to: m.dir === 'c2s' ? server : client, dt: m.t - this.t0 });
    }
  }

  /** The graph so far (a new object each time, so a view sees that it changed). */
  graph(): FlowGraph {
    return { hosts: [...this.hosts], rows: this.rows, rowOf: this.rowOf };
  }
}

export function layoutFlow(messages: readonly CaptureSummary[], connection: (id: number) => ConnectionInfo | undefined, naming: HostNaming, both = false): FlowGraph {
  const b = new FlowBuilder(connection, naming, both);
  b.add(messages);
  return b.graph();
}
