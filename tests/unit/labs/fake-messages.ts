/** Captured messages as the lab checks see them, built by hand for the matcher's unit tests. */
import type { SeenMessage } from '../../../src-main/lab/labs/message-match';

let nextId = 1;

export function msg(over: Partial<Omit<SeenMessage, 'bytes'>> & { text?: string; raw?: Buffer; clientName?: string; serverName?: string }): SeenMessage {
  const bytes = over.raw ?? Buffer.from(over.text ?? over.summary ?? '');
  const conn = over.conn ?? 1;
  return {
    id: over.id ?? nextId++,
    t: 0,
    service: over.service ?? 'smtp-hamburger',
    protocol: over.protocol ?? 'smtp',
    transport: over.transport ?? 'tcp',
    dir: over.dir ?? 'c2s',
    conn,
    summary: over.summary ?? (over.text ?? '').split('\r\n')[0],
    connection: {
      id: conn,
      transport: 'tcp',
      service: over.service ?? 'smtp-hamburger',
      protocol: 'smtp',
      client: { address: '127.0.0.1', port: 40000 + conn, ...(over.clientName ? { name: over.clientName } : {}) },
      server: { address: '127.0.0.1', port: 2527, ...(over.serverName ? { name: over.serverName } : {}) },
      opened: 0,
    },
    bytes: () => bytes,
  };
}

/** a conversation on one connection: [c2s, s2c, c2s, s2c …] */
export function exchange(conn: number, lines: string[], extra: { clientName?: string; service?: string } = {}): SeenMessage[] {
  return lines.map((text, i) => msg({ conn, text, dir: i % 2 === 0 ? 'c2s' : 's2c', ...extra }));
}
