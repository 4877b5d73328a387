/**
 * What a passed state check points at in the capture, so the Labs tab and the report can
 * link to it as they do for traffic checks: the SMTP sessions that carried the message into
 * the mailbox (submission, relay, MX: the path of §2.3's figure), the proxy connection that
 * asked for the cached object. A zone edit and a swarm run have no one telling message:
 * their detail says what was found.
 */
import type { CaptureStore } from '../capture/store';
import type { StateCheck } from './lab-file';

/** what the state check found: the message's envelope sender and subject, the cached object's URL */
export interface StateFound {
  sender?: string;
  subject?: string;
  url?: string;
}

/** connections kept, newest first; their messages are the evidence */
const MAX_CONNECTIONS = 3;

/** The marks a connection's client messages must all show (lower-cased), for one service. */
function marks(check: StateCheck, found: StateFound): { service: (s: string) => boolean; needles: string[] } | null {
  if (check.mailbox) {
    // a message typed by hand may have no Subject: then the envelope alone
    const needles = [
      ...(found.sender ? [`mail from:<${found.sender.toLowerCase()}>`] : []),
      ...(found.subject ? [`\nsubject: ${found.subject.toLowerCase()}`] : []),
    ];
    return needles.length ? { service: (s) => s.startsWith('smtp'), needles } : null;
  }
  // the request line as a client sends it to a proxy: the absolute form (RFC 9112 §3.2.2)
  if (check.proxyCache && found.url) return { service: (s) => s === 'proxy', needles: [` ${found.url.toLowerCase()} http/`] };
  return null;
}

export function stateEvidence(check: StateCheck, found: StateFound | undefined, store: CaptureStore, sinceId: number): number[] {
  const want = found && marks(check, found);
  if (!want) return [];
  const seen = new Map<number, Set<string>>();
  const conns: number[] = [];
  for (const row of store.scan({ kind: 'message' })) {
    if (row.dir !== 'c2s' || !want.service(row.service)) continue;
    const text = row.bytes().toString('latin1').toLowerCase();
    const has = seen.get(row.conn) ?? new Set<string>();
    seen.set(row.conn, has);
    for (const n of want.needles) if (text.includes(n)) has.add(n);
    if (has.size === want.needles.length && !conns.includes(row.conn)) conns.push(row.conn);
  }
  const ids: number[] = [];
  // only what was done since the lab opened
  for (const conn of conns.slice(-MAX_CONNECTIONS)) ids.push(...store.match({ conn, kind: 'message' }, sinceId - 1));
  return ids.sort((a, b) => a - b);
}
