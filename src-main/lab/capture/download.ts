/**
 * Capture files the browser UI downloads by address (`GET /export/capture.pcapng?…` on the
 * bridge): written in pieces while the browser reads them, so exporting 200,000 messages
 * holds neither the file nor a base64 copy of it in the lab's memory.
 */
import { captureQuerySchema, type CaptureQuery } from '../api';
import type { CaptureStore } from './store';
import { pcapngBatches } from './pcapng';

export interface Download {
  fileName: string;
  type: string;
  body: Iterable<Buffer>;
}

export class DownloadError extends Error {}

/** The query in an address's parameters, checked as the API checks it. */
function queryOf(params: URLSearchParams): CaptureQuery {
  const raw: Record<string, unknown> = {};
  for (const key of ['service', 'text', 'filter', 'kind']) {
    const v = params.get(key);
    if (v) raw[key] = v;
  }
  const conn = params.get('conn');
  if (conn) raw.conn = Number(conn);
  const parsed = captureQuerySchema.safeParse(raw);
  if (!parsed.success) throw new DownloadError(`bad export query: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** `/export/capture.pcapng?source=live|trace&service=…`: null for an address that is no download. */
export function captureDownload(path: string, params: URLSearchParams, stores: { live: CaptureStore; trace: () => CaptureStore }, application: string, hostAddress: (name: string) => string | undefined): Download | null {
  if (path !== '/export/capture.pcapng') return null;
  const query = queryOf(params);
  const store = params.get('source') === 'trace' ? stores.trace() : stores.live;
  return { fileName: 'netlab-capture.pcapng', type: 'application/x-pcapng', body: pcapngBatches(store, query, application, hostAddress) };
}
