/**
 * The trace area's part of the lab API: the upload, and the same reads the live capture
 * answers (list, connections, detail, match, statistics, export) over the open file's
 * capture, so the inspector shows a file as it shows live traffic.
 */
import type { AreaMethods } from '../api';
import { exportJsonl } from '../capture/export';
import { exportPcapng } from '../capture/pcapng';
import { captureStatistics } from '../capture/statistics';
import type { TraceArea } from './trace-area';

export function traceMethods(trace: TraceArea, application: string, hostAddress: () => (name: string) => string | undefined): AreaMethods<'trace'> {
  return {
    'trace.begin': async (name, size) => trace.begin(name, size),
    'trace.piece': async (id, offset, data) => trace.piece(id, offset, data),
    'trace.open': async (id) => trace.open(id),
    'trace.info': async () => trace.info(),
    'trace.close': async () => trace.close(),
    'trace.list': async (q) => ('beforeId' in q ? trace.store().history(q.beforeId, q.limit) : trace.store().list(q.afterId, q.limit)),
    'trace.connections': async () => trace.store().allConnections(),
    'trace.detail': async (id) => trace.store().detail(id),
    'trace.match': async (query, afterId) => trace.store().match(query, afterId),
    'trace.exportJsonl': async (query) => exportJsonl(trace.store(), query),
    'trace.exportPcapng': async (query) => exportPcapng(trace.store(), query, application, hostAddress()).toString('base64'),
    'trace.statistics': async (query) => captureStatistics(trace.store(), query, hostAddress()),
  };
}
