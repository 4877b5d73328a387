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
  label: string;
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
 * (a DNS message's "Standard query" and transaction id, a line's CRLF).
 */
export function flowLabel(m: CaptureSummary): string {
  let s = m.summary;
  if (m.protocol === 'dns') s = s.replace(/^Standard query response 0x[0-9a-f]+ /, 'response ').replace(/^Standard query 0x[0-9a-f]+ /, 'query ');
  return s.replace(/(\\r\\n)+$/, '').replace(/\\r\\n/g, ' ⏎ ');
}

/**
 * `messages`: what the filter selects, in capture order. Notes of the capture itself (a
 * connection opened, a FIN) are not messages between hosts and are left out; in the view of
 * chunks and messages both, the messages are drawn.
 */
export function layoutFlow(messages: readonly CaptureSummary[], connection: (id: number) => ConnectionInfo | undefined, naming: HostNaming, both = false): FlowGraph {
  const hosts: FlowHost[] = [];
  const column = new Map<string, number>();
  /** per connection: [client column, server column] */
  const ends = new Map<number, [number, number]>();
  const rows: FlowRow[] = [];
  const rowOf = new Map<number, number>();
  const place = (h: FlowHost): number => {
    let i = column.get(h.key);
    if (i === undefined) {
      i = hosts.length;
      hosts.push(h);
      column.set(h.key, i);
    } else if (h.named && !hosts[i].named) hosts[i] = h; // first seen as "client" at its address, named later
    return i;
  };
  let t0: number | undefined;
  let prevT = 0;
  for (const m of messages) {
    if (m.kind === 'event' || m.dir === 'none' || (both && m.kind === 'chunk')) continue;
    let pair = ends.get(m.conn);
    if (!pair) {
      const c = connection(m.conn);
      if (!c) continue;
      // the client's column first, so a request reads left to right
      const client = place(clientHost(c, naming));
      pair = [client, place(serverHost(c, naming, m.dir === 'c2s' ? m.summary : undefined))];
      ends.set(m.conn, pair);
    }
    t0 ??= m.t;
    if (rows.length && m.t - prevT > PAUSE_MS) rows.push({ kind: 'pause', ms: m.t - prevT, dt: prevT - t0 });
    prevT = m.t;
    const [client, server] = pair;
    rowOf.set(m.id, rows.length);
    rows.push({ kind: 'arrow', m, from: m.dir === 'c2s' ? client : server, to: m.dir === 'c2s' ? server : client, dt: m.t - t0, label: flowLabel(m) });
  }
  return { hosts, rows, rowOf };
}
