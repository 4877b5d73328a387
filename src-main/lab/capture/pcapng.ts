/**
 * The capture as a pcapng file Wireshark and tshark open: on demand (the inspector's Export,
 * `capture.exportPcapng`), or live (`netlab serve --pcapng FILE`, a write per capture batch off the event loop,
 * so the file is a valid trace at any moment and `tail -f` can feed it to Wireshark).
 */
import fs from 'node:fs';
import type { CaptureQuery, ConnectionInfo } from '../api';
import type { CaptureStore } from './store';
import type { TraceRow } from './trace-row';
import { PcapngWriter } from './pcapng-writer';
import { PcapngSink } from './pcapng-sink';
import { LivePcapngFile } from './pcapng-live-file';

/**
 * The connections a query selects. A trace needs whole streams (the handshake, every
 * segment, so Wireshark can reassemble them), so a filter on summaries or decoded fields
 * selects connections: each connection with a matching message goes in whole. No text and
 * no field filter: the service and connection filters alone, nothing to collect.
 */
function selectedConnections(store: CaptureStore, q: CaptureQuery): Set<number> | null {
  if (!q.text && !q.filter) return null;
  const conns = new Set<number>();
  for (const m of store.query({ service: q.service, conn: q.conn, text: q.text, filter: q.filter })) conns.add(m.conn);
  return conns;
}

/** how much of a trace is gathered before it is handed on (to a socket, a file) */
const BATCH_BYTES = 1 << 20;

/**
 * The messages a query selects as a pcapng file, in pieces of about BATCH_BYTES, made as
 * they are asked for: a reader that waits (a slow download) holds back the writing, and the
 * whole file is never in memory (the kind filter does not apply: a trace has segments,
 * whatever view the inspector shows).
 */
export function* pcapngBatches(store: CaptureStore, query: CaptureQuery, application: string, hostAddress?: (name: string) => string | undefined): Generator<Buffer> {
  // frames are written in place into one batch buffer: only the batch lives until it is handed on
  const full: Buffer[] = [];
  const sink = new PcapngSink(BATCH_BYTES, (b) => full.push(b));
  const writer = new PcapngWriter(store.epochMs, sink, application, hostAddress);
  const wanted = selectedConnections(store, query);
  const connOf = (id: number): ConnectionInfo | undefined => store.connection(id);
  for (const m of store.traceRows({ service: query.service, conn: query.conn })) {
    if (wanted && !wanted.has(m.conn)) continue;
    writer.add(m, connOf);
    if (full.length) yield* full.splice(0);
  }
  writer.end();
  yield* full.splice(0);
  const rest = sink.rest();
  if (rest.length > 0) yield rest;
}

/** The whole file at once (the API's base64 answer, for the Electron shell and scripts). */
export function exportPcapng(store: CaptureStore, query: CaptureQuery, application: string, hostAddress?: (name: string) => string | undefined): Buffer {
  return Buffer.concat([...pcapngBatches(store, query, application, hostAddress)]);
}

export interface LivePcapng {
  /** write what is left and close the file */
  close(): void;
}

/**
 * Write the capture to `file` as it happens: the header at once, then each batch the store
 * delivers, in one write. Throws if the file cannot be opened; a later write error (a full
 * disk) is reported once through `onError` and stops the writing, not the lab.
 */
export function writePcapngLive(
  store: CaptureStore,
  file: string,
  options: { application: string; onError: (err: Error) => void; hostAddress?: (name: string) => string | undefined },
): LivePcapng {
  const fd = fs.openSync(file, 'w');
  // the blocks written in place into one buffer; each batch leaves in one write, off the event loop
  const sink = new PcapngSink(256 * 1024);
  const out = new LivePcapngFile(fd, sink, options.onError);
  const write = (): void => out.write();
  const writer = new PcapngWriter(store.epochMs, sink, options.application, options.hostAddress);
  out.writeNow();
  let last = 0;
  // per batch: the new rows in a plain loop (one callback, nothing made per row), the frames
  // written into the sink's buffer in place, then one write
  const connOf = (id: number): ConnectionInfo | undefined => store.connection(id);
  const add = (m: TraceRow): void => writer.add(m, connOf);
  const drain = (): void => {
    last = store.eachTraceRow(last, add);
    writer.flush();
    write();
  };
  drain();
  // told that something was recorded, no rows built: it reads the store itself
  const unsubscribe = store.onRecorded(drain);
  return {
    close() {
      unsubscribe();
      drain();
      writer.end();
      out.close();
    },
  };
}
