/**
 * NetLab's own pcapng comments read back (capture/pcapng-endpoints.ts writes them): a
 * connection's first frame names its lab service and its real loopback endpoints; "NetLab:"
 * lines are the lab's notes. A file from elsewhere has none, and loses nothing by it.
 */
import type { Endpoint, Transport } from '../api';

export interface NamedConnection {
  id: number;
  service: string;
  protocol: string;
  transport: Transport;
  client: Endpoint;
  server: Endpoint;
}

const CONNECTION = /^NetLab connection #(\d+), service (\S+) \(([^/\s]+)\/(tcp|udp)\): client (.+) → server (.+)$/;
const ENDPOINT = /^(?:(.+) )?\(real (\[[^\]]+\]|[^:()\s]+):(\d+)(?: as ([^:()\s]+)(?::(\d+))?)?\)$/;

function endpoint(text: string): Endpoint | null {
  const m = ENDPOINT.exec(text);
  if (!m) return null;
  return {
    address: m[2].replace(/^\[|\]$/g, ''),
    port: Number(m[3]),
    ...(m[1] ? { name: m[1] } : {}),
    ...(m[4] ? { virtualAddress: m[4] } : {}),
    ...(m[5] ? { virtualPort: Number(m[5]) } : {}),
  };
}

export interface ReadComment {
  connection?: NamedConnection;
  /** notes about this frame's own connection */
  notes: string[];
}

export function readComment(comment: string | undefined): ReadComment {
  const out: ReadComment = { notes: [] };
  for (const line of comment?.split('\n') ?? []) {
    const c = CONNECTION.exec(line);
    const client = c && endpoint(c[5]);
    const server = c && endpoint(c[6]);
    if (c && client && server) {
      out.connection = { id: Number(c[1]), service: c[2], protocol: c[3], transport: c[4] as Transport, client, server };
      continue;
    }
    // "NetLab, connection #7: …" is a note of another connection, read here as this frame's
    const note = /^NetLab(?:, connection #\d+)?: (.*)$/.exec(line)?.[1];
    if (note && !note.startsWith('NetLab kept the first')) out.notes.push(note);
  }
  return out;
}
