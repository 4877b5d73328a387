/**
 * A captured request made editable: an HTTP request as its raw text, a DNS query as its
 * question (name, type, RD), an SMTP or POP3 command as the whole session's command lines up
 * to it (a later command needs the state the earlier ones built: HELO before MAIL, USER and
 * PASS before RETR).
 */
import * as packet from 'dns-packet';
import type { CaptureStore } from '../capture/store';
import type { LabService } from '../services/service';
import { ResendError, type ResendDraft, type ResendTarget } from './resend-types';

/** The running-or-not lab service behind a captured connection. */
export function targetOf(store: CaptureStore, services: readonly LabService[], id: number): ResendTarget {
  const summary = store.list(id - 1, 1)[0];
  if (!summary || summary.id !== id) throw new ResendError(`message #${id} is no longer in the capture (it was evicted or cleared)`);
  const conn = store.connection(summary.conn);
  const service = services.find((s) => s.id === summary.service && s.transport === summary.transport) ?? services.find((s) => s.id === summary.service);
  if (!conn || !service) throw new ResendError(`message #${id} did not reach a lab service, so there is nothing to resend it to`);
  const host = conn.server.name;
  return { service: service.id, serviceName: service.name, port: service.port, transport: summary.transport === 'udp' ? 'udp' : 'tcp', ...(host ? { host } : {}) };
}

/** DNS over TCP carries a two-byte length first (RFC 1035 §4.2.2); a datagram does not. */
export function decodeDnsQuery(bytes: Buffer): packet.DecodedPacket {
  try {
    return packet.decode(bytes);
  } catch {
    return packet.decode(bytes.subarray(2));
  }
}

export function draftOf(store: CaptureStore, services: readonly LabService[], id: number): ResendDraft {
  const target = targetOf(store, services, id);
  const detail = store.detail(id);
  if (!detail) throw new ResendError(`message #${id} is no longer in the capture`);
  if (detail.kind === 'event' || detail.dir !== 'c2s') throw new ResendError(`message #${id} is not a client's request: open a request (client → server) to resend it`);
  if (detail.kind === 'chunk' && !detail.whole && detail.transport === 'tcp') throw new ResendError(`message #${id} is one read's chunk: pick the request in the Messages view to resend it`);
  if (detail.truncated || detail.bytesDropped) throw new ResendError(`message #${id} was not kept whole in the capture, so it cannot be resent as it was`);
  const bytes = store.bytes(id) ?? Buffer.alloc(0);
  switch (detail.protocol) {
    case 'http':
      return { kind: 'http', from: id, target, text: bytes.toString('latin1') };
    case 'dns': {
      let query: packet.DecodedPacket;
      try {
        query = decodeDnsQuery(bytes);
      } catch (e) {
        throw new ResendError(`message #${id} is not a DNS message the lab can read: ${(e as Error).message}`);
      }
      const q = query.questions?.[0];
      if (!q) throw new ResendError(`message #${id} asks no question`);
      return { kind: 'dns', from: id, target, name: q.name || '.', type: q.type, rd: ((query.flags ?? 0) & packet.RECURSION_DESIRED) !== 0 };
    }
    case 'smtp':
    case 'pop3': {
      const lines = sessionLines(store, detail.conn, id);
      return { kind: 'lines', from: id, target, protocol: detail.protocol, lines: lines.lines, at: lines.at };
    }
    default:
      throw new ResendError(`a ${detail.protocol.toUpperCase()} message cannot be resent from the inspector (HTTP, DNS, SMTP and POP3 can)`);
  }
}

/** The client's lines of a connection, up to and including message `id`'s. */
function sessionLines(store: CaptureStore, conn: number, id: number): { lines: string[]; at: number } {
  const lines: string[] = [];
  let at = 0;
  for (const mid of store.match({ conn, kind: 'message' }, 0)) {
    if (mid > id) break;
    const d = store.detail(mid);
    if (!d || d.dir !== 'c2s') continue;
    const text = (store.bytes(mid) ?? Buffer.alloc(0)).toString('latin1').replace(/\r?\n$/, '');
    if (mid === id) at = lines.length;
    lines.push(...text.split(/\r?\n/));
  }
  return { lines, at };
}
