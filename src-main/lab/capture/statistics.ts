/**
 * The inspector's Statistics, worked out over what the filter selects (Wireshark's
 * Conversations, Protocol Hierarchy, HTTP Packet Counter, DNS response times; and the SMTP
 * reply codes of RFC 5321 §4.2). A pure pass over the stored rows and connection records:
 * nothing is kept between calls.
 *
 * Bytes are counted once: the chunk view (each read as it came, a UDP datagram, a message a
 * read delivered whole) is what crossed the socket; messages are counted in the message view,
 * or as chunks on a connection no framer splits into messages (echo over TCP).
 */
import type { CaptureQuery, ConnectionInfo, Endpoint } from '../api';
import type { CaptureStore, ScanRow } from './store';
import type { CaptureStatistics, StatConversation, StatCount, StatDnsServer, StatEndpoint, StatProtocol } from './statistics-types';

type HostAddress = (name: string) => string | undefined;

interface ConnTally {
  conn: ConnectionInfo | undefined;
  service: string;
  protocol: string;
  transport: 'tcp' | 'udp';
  messages: number;
  chunks: number;
  bytesC2s: number;
  bytesS2c: number;
  /** bytes of message rows, for a connection whose chunks the filter left out */
  messageBytes: number;
  first: number;
  last: number;
  /** the web host a request named (Host:), for a server the connection knows only by address */
  host?: { name: string; virtualAddress: string };
}

const isMessage = (m: ScanRow): boolean => m.kind === 'message' || m.transport === 'udp';
const isWire = (m: ScanRow): boolean => m.kind === 'chunk' || m.transport === 'udp' || m.whole;

function endpoint(e: Endpoint | undefined, hostAddress: HostAddress | undefined): StatEndpoint {
  if (!e) return { label: '?', address: '?', port: 0 };
  const virtualAddress = e.virtualAddress ?? (e.name ? hostAddress?.(e.name) : undefined);
  return {
    label: e.name ?? virtualAddress ?? e.address,
    ...(e.name ? { name: e.name } : {}),
    ...(virtualAddress ? { virtualAddress } : {}),
    address: e.address,
    port: e.virtualPort ?? e.port,
  };
}

function firstLine(bytes: Buffer): string {
  const head = bytes.subarray(0, 512).toString('latin1');
  const end = head.search(/\r?\n/);
  return end < 0 ? head : head.slice(0, end);
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function counts(map: Map<string, number>): StatCount[] {
  return [...map].map(([key, count]) => ({ key, count })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A DNS message's header: id and whether it is a response (RFC 1035 §4.1.1); over TCP
 *  a message may carry its two-byte length first (§4.2.2). */
function dnsHeader(m: ScanRow): { id: number; response: boolean } | null {
  let b = m.bytes();
  if (m.transport === 'tcp' && b.length >= 14 && b.readUInt16BE(0) === b.length - 2) b = b.subarray(2);
  if (b.length < 12) return null;
  return { id: b.readUInt16BE(0), response: (b[2] & 0x80) !== 0 };
}

/** A client that dialled 127.0.0.1 with `Host: gaia.cs.umass.edu` reached gaia (as in the
 *  pcapng export): the conversation's server is the lab host the request named. */
function hostOf(t: ConnTally, request: Buffer, hostAddress: HostAddress | undefined): ConnTally['host'] {
  if (!hostAddress || t.service === 'proxy' || t.conn?.server.virtualAddress) return undefined;
  const host = /\r?\nHost:[ \t]*([A-Za-z0-9.-]+)/i.exec(request.toString('latin1', 0, 4096))?.[1]?.toLowerCase().replace(/\.$/, '');
  const virtualAddress = host ? hostAddress(host) : undefined;
  return host && virtualAddress ? { name: host, virtualAddress } : undefined;
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

class DnsTimes {
  /** per flow: query id → the times its queries were sent, oldest first */
  private waiting = new Map<string, number[]>();
  private servers = new Map<string, { server: string; service: string; times: number[]; queries: number }>();

  add(m: ScanRow, server: string): void {
    const h = dnsHeader(m);
    if (!h) return;
    const key = `${m.conn}/${h.id}`;
    const s = this.servers.get(m.service) ?? { server, service: m.service, times: [], queries: 0 };
    // a server seen by name on any of its flows is shown by that name
    if (/^[\d.:[\]]+$/.test(s.server) && !/^[\d.:[\]]+$/.test(server)) s.server = server;
    this.servers.set(m.service, s);
    if (!h.response && m.dir === 'c2s') {
      s.queries++;
      const list = this.waiting.get(key) ?? [];
      list.push(m.t);
      this.waiting.set(key, list);
    } else if (h.response && m.dir === 's2c') {
      const sent = this.waiting.get(key)?.shift();
      if (sent !== undefined) s.times.push(m.t - sent);
    }
  }

  result(): StatDnsServer[] {
    return [...this.servers.values()]
      .filter((s) => s.queries > 0)
      .map((s) => {
        const sorted = [...s.times].sort((a, b) => a - b);
        return {
          server: s.server,
          service: s.service,
          answered: sorted.length,
          unanswered: s.queries - sorted.length,
          medianMs: sorted.length ? round(median(sorted)) : 0,
          maxMs: sorted.length ? round(sorted[sorted.length - 1]) : 0,
        };
      })
      .sort((a, b) => (a.service < b.service ? -1 : 1));
  }
}

export function captureStatistics(store: CaptureStore, query: CaptureQuery, hostAddress?: HostAddress): CaptureStatistics {
  // the Chunks / Messages choice is a view of the same traffic: statistics count both
  const { kind: _view, ...q } = query;
  const tallies = new Map<number, ConnTally>();
  const methods = new Map<string, number>();
  const statuses = new Map<string, number>();
  const replies = new Map<string, number>();
  const dns = new DnsTimes();
  for (const m of store.scan(q)) {
    if (m.kind === 'event') continue;
    let t = tallies.get(m.conn);
    if (!t) {
      const conn = store.connection(m.conn);
      t = { conn, service: m.service, protocol: m.protocol, transport: m.transport, messages: 0, chunks: 0, bytesC2s: 0, bytesS2c: 0, messageBytes: 0, first: m.t, last: m.t };
      tallies.set(m.conn, t);
    }
    t.last = m.t;
    if (isWire(m)) {
      t.chunks++;
      if (m.dir === 's2c') t.bytesS2c += m.size;
      else t.bytesC2s += m.size;
    }
    if (!isMessage(m)) continue;
    t.messages++;
    t.messageBytes += m.size;
    if (m.protocol === 'http' && m.kind === 'message') {
      const bytes = m.bytes();
      const line = firstLine(bytes);
      const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(line);
      if (m.dir === 's2c' && status) bump(statuses, `${status[1]} ${status[2]}`.trim());
      else if (m.dir === 'c2s' && /^[A-Z]+\s/.test(line)) {
        bump(methods, line.split(' ')[0]);
        t.host ??= hostOf(t, bytes, hostAddress);
      }
    } else if (m.protocol === 'smtp' && m.dir === 's2c') {
      const code = /^(\d{3})[ -]/.exec(firstLine(m.bytes()));
      if (code) bump(replies, code[1]);
    } else if (m.protocol === 'dns') {
      dns.add(m, endpoint(t.conn?.server, hostAddress).label);
    }
  }
  return summarize([...tallies.values()], hostAddress, { methods, statuses, replies, dns });
}

function summarize(
  tallies: ConnTally[],
  hostAddress: HostAddress | undefined,
  parts: { methods: Map<string, number>; statuses: Map<string, number>; replies: Map<string, number>; dns: DnsTimes },
): CaptureStatistics {
  const conversations = new Map<string, StatConversation & { start: number; end: number }>();
  const protocols = new Map<string, StatProtocol>();
  let total = 0;
  let messages = 0;
  for (const t of tallies) {
    const count = t.messages || t.chunks;
    const wire = t.bytesC2s + t.bytesS2c;
    const c2s = wire ? t.bytesC2s : 0;
    const s2c = wire ? t.bytesS2c : t.messageBytes;
    const bytes = c2s + s2c;
    total += bytes;
    messages += count;
    const client = endpoint(t.conn?.client, hostAddress);
    const server = endpoint(t.conn && t.host ? { ...t.conn.server, name: t.conn.server.name ?? t.host.name, virtualAddress: t.host.virtualAddress } : t.conn?.server, hostAddress);
    const start = t.transport === 'tcp' && t.conn ? Math.min(t.conn.opened, t.first) : t.first;
    const end = t.transport === 'tcp' && t.conn?.closed !== undefined ? t.conn.closed : t.last;
    const key = `${t.service}\u0000${client.label}\u0000${server.label}`;
    const c = conversations.get(key);
    if (c) {
      c.connections++;
      c.messages += count;
      c.bytesC2s += c2s;
      c.bytesS2c += s2c;
      c.start = Math.min(c.start, start);
      c.end = Math.max(c.end, end);
      if (c.client.port !== client.port) c.client.port = 0;
    } else {
      conversations.set(key, { service: t.service, protocol: t.protocol, transport: t.transport, client, server, connections: 1, messages: count, bytesC2s: c2s, bytesS2c: s2c, durationMs: 0, start, end });
    }
    const pkey = `${t.protocol}\u0000${t.service}`;
    const p = protocols.get(pkey) ?? { protocol: t.protocol, service: t.service, transport: t.transport, messages: 0, bytes: 0, share: 0 };
    p.messages += count;
    p.bytes += bytes;
    protocols.set(pkey, p);
  }
  return {
    messages,
    bytes: total,
    conversations: [...conversations.values()]
      .map(({ start, end, ...c }) => ({ ...c, durationMs: round(Math.max(0, end - start)) }))
      .sort((a, b) => b.bytesC2s + b.bytesS2c - (a.bytesC2s + a.bytesS2c)),
    protocols: [...protocols.values()]
      .map((p) => ({ ...p, share: total ? p.bytes / total : 0 }))
      .sort((a, b) => (a.protocol === b.protocol ? b.bytes - a.bytes : a.protocol < b.protocol ? -1 : 1)),
    httpMethods: counts(parts.methods),
    httpStatuses: counts(parts.statuses),
    dnsServers: parts.dns.result(),
    smtpReplies: counts(parts.replies),
  };
}
