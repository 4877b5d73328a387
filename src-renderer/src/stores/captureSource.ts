/**
 * Where the inspector reads its capture from: the lab's live capture, or a trace file the
 * user opened (read-only). Every read (list, detail, match, statistics, export) goes
 * through `captureRead`, so the list, the pairs, the ladders and the detail follow the file
 * with no change of their own.
 */
import { shallowRef } from 'vue';
import { lab } from '../api';
import type { CaptureFirst, MethodArgs, MethodResult, TraceInfo } from '../api/types';

/** the trace file shown instead of the live capture (null: live) */
export const openedTrace = shallowRef<TraceInfo | null>(null);

type Read = 'list' | 'connections' | 'detail' | 'match' | 'statistics' | 'exportJsonl' | 'exportPcapng';

export function captureRead<K extends Read>(name: K, ...args: MethodArgs<`capture.${K}`>): Promise<MethodResult<`capture.${K}`>> {
  // trace.* mirrors capture.* argument for argument and result for result (api.ts)
  const method = (openedTrace.value ? `trace.${name}` : `capture.${name}`) as `capture.${K}`;
  return lab.call(method, ...args);
}

/** What the list opens with: the settings, the connections and the newest `limit` messages. The
 *  live capture's in one call, whose answer the browser UI's socket brings unasked as it opens
 *  (api/earlyLink.ts); a trace file's in three (the settings stay the live capture's). */
export async function captureOpening(limit: number): Promise<CaptureFirst> {
  if (!openedTrace.value) return lab.call('capture.first', { limit });
  const [settings, messages, connections] = await Promise.all([
    lab.call('capture.settings'),
    captureRead('list', { beforeId: Number.MAX_SAFE_INTEGER, limit }),
    captureRead('connections'),
  ]);
  return { settings, messages, connections };
}
