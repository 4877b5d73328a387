/** Capture export as JSON lines: one message per line, bytes in base64, for scripts and jq. */
import type { CaptureQuery } from '../api';
import type { CaptureStore } from './store';

export function exportJsonl(store: CaptureStore, query: CaptureQuery): string {
  const lines: string[] = [];
  for (const m of store.query(query)) {
    const conn = store.connection(m.conn);
    lines.push(
      JSON.stringify({
        id: m.id,
        t: m.t,
        service: m.service,
        protocol: m.protocol,
        transport: m.transport,
        conn: m.conn,
        client: conn?.client,
        server: conn?.server,
        dir: m.dir,
        kind: m.kind,
        size: m.size,
        summary: m.summary,
        truncated: m.truncated,
        bytes: m.bytes.toString('base64'),
      }),
    );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
