/**
 * The resolution a captured DNS message belongs to, as the steps the textbook's figure draws
 * (Kurose & Ross fig. 2.19): the requesting host's query to the local server, the local
 * server's queries and the referrals of root, TLD and authoritative servers, and the answer
 * back — read from the capture, so step mode can light the current message's arrow.
 */
import type { CaptureSummary, DnsServerInfo, DnsStep } from '../../api/types';
import { lowerBound } from '../../util/rows';

const LOCAL = 'dns-local';
const HOST = 'requesting host';
const LOCAL_NAME = 'local DNS server';
/** how far back a walk's first query may be (a resolution is a few dozen messages) */
const LOOK_BACK = 400;

function indexOf(rows: readonly CaptureSummary[], id: number): number {
  const i = lowerBound(rows, id);
  return rows[i]?.id === id ? i : -1;
}

const isDns = (m: CaptureSummary): boolean => m.protocol === 'dns' && m.kind !== 'event';

function toStep(m: CaptureSummary, client: string, server: string, n: number, t0: number): DnsStep {
  const query = m.dir === 'c2s';
  return { n, kind: query ? 'query' : 'reply', from: query ? client : server, to: query ? server : client, question: m.summary, text: m.summary, message: m.id, transport: m.transport === 'tcp' ? 'tcp' : 'udp', t: m.t - t0 };
}

/** The steps around `current` (null: not a DNS message). */
export function resolutionAround(rows: readonly CaptureSummary[], current: CaptureSummary, servers: readonly DnsServerInfo[]): DnsStep[] | null {
  if (!isDns(current)) return null;
  const at = indexOf(rows, current.id);
  if (at < 0) return null;
  const hostOf = (service: string): string => servers.find((s) => s.id === service)?.host ?? service;
  // the requesting host's query this message answers to, or is part of the walk of
  let start = -1;
  for (let i = at; i >= Math.max(0, at - LOOK_BACK); i--) {
    const m = rows[i];
    if (m.service === LOCAL && m.dir === 'c2s' && isDns(m)) {
      start = i;
      break;
    }
  }
  let end = -1;
  if (start >= 0) {
    const q = rows[start];
    for (let i = start + 1; i < rows.length; i++) {
      const m = rows[i];
      if (m.service === LOCAL && m.conn === q.conn && m.dir === 's2c' && isDns(m)) {
        end = i;
        break;
      }
    }
  }
  const inWalk = start >= 0 && (end < 0 || at <= end) && (current.service !== LOCAL || current.conn === rows[start].conn);
  if (!inWalk) {
    // a query asked of one server directly (dig @a.root-servers.net): the host and that server
    const pair = rows.filter((m, i) => Math.abs(i - at) <= LOOK_BACK && isDns(m) && m.conn === current.conn);
    const t0 = pair[0]?.t ?? current.t;
    const server = current.service === LOCAL ? LOCAL_NAME : hostOf(current.service);
    return pair.map((m, i) => toStep(m, HOST, server, i + 1, t0));
  }
  const q = rows[start];
  const steps: DnsStep[] = [];
  for (let i = start; i <= (end < 0 ? rows.length - 1 : end); i++) {
    const m = rows[i];
    if (!isDns(m)) continue;
    if (m.service === LOCAL) {
      if (m.conn === q.conn) steps.push(toStep(m, HOST, LOCAL_NAME, steps.length + 1, q.t));
    } else if (servers.some((s) => s.id === m.service)) {
      steps.push(toStep(m, LOCAL_NAME, hostOf(m.service), steps.length + 1, q.t));
    }
  }
  return steps;
}
