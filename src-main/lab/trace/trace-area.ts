/**
 * The trace file the inspector shows instead of the live capture: uploaded in pieces
 * through the API (a browser reads the file the user picked; no path on the lab's machine
 * is named), then read into a capture of its own. One file at a time; opening another
 * replaces it, and the live capture goes on recording throughout.
 */
import { TraceError } from './pcap-read';
import { importTrace, type TraceCapture } from './import';
import type { TraceInfo } from './trace-types';

/** the largest trace file the inspector opens (editcap -c splits a bigger one) */
export const MAX_TRACE_BYTES = 200 * 1024 * 1024;
/** one upload piece, decoded (base64 makes it a third larger on the wire) */
export const MAX_TRACE_PIECE = 1024 * 1024;

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

interface Upload {
  id: number;
  name: string;
  bytes: Buffer;
  received: number;
}

export class TraceArea {
  private upload: Upload | null = null;
  private nextUpload = 1;
  private view: { store: TraceCapture; info: TraceInfo } | null = null;

  begin(name: string, size: number): { upload: number } {
    if (size > MAX_TRACE_BYTES) {
      throw new TraceError(`${name} is ${megabytes(size)}: the inspector opens trace files up to ${megabytes(MAX_TRACE_BYTES)} (split it with editcap -c, or filter it with tshark -w)`);
    }
    // a new upload replaces one left unfinished
    this.upload = { id: this.nextUpload++, name, bytes: Buffer.alloc(size), received: 0 };
    return { upload: this.upload.id };
  }

  piece(id: number, offset: number, base64: string): { received: number } {
    const u = this.current(id);
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length > MAX_TRACE_PIECE) throw new TraceError(`an upload piece is at most ${MAX_TRACE_PIECE} bytes; this one is ${bytes.length}`);
    if (offset !== u.received) throw new TraceError(`upload of ${u.name}: expected the piece at byte ${u.received}, got one at ${offset}`);
    if (offset + bytes.length > u.bytes.length) {
      this.upload = null;
      throw new TraceError(`upload of ${u.name}: more bytes than the ${u.bytes.length} announced`);
    }
    bytes.copy(u.bytes, offset);
    u.received += bytes.length;
    return { received: u.received };
  }

  open(id: number): TraceInfo {
    const u = this.current(id);
    this.upload = null;
    if (u.received !== u.bytes.length) throw new TraceError(`upload of ${u.name} stopped at byte ${u.received} of ${u.bytes.length}`);
    let read: ReturnType<typeof importTrace>;
    try {
      read = importTrace(u.name, u.bytes);
    } catch (err) {
      if (err instanceof TraceError) throw new TraceError(`${u.name}: ${err.message}`);
      throw err;
    }
    if (read.info.packets === 0) throw new TraceError(`${u.name}: no packets in the file`);
    this.view = read;
    return read.info;
  }

  info(): TraceInfo | null {
    return this.view?.info ?? null;
  }

  close(): void {
    this.view = null;
  }

  /** the capture of the open file; an error when none is open (the inspector went back to live) */
  store(): TraceCapture {
    if (!this.view) throw new TraceError('no trace file is open: open one with "Open capture file…"');
    return this.view.store;
  }

  private current(id: number): Upload {
    if (!this.upload || this.upload.id !== id) throw new TraceError(`no upload ${id} in progress (another upload replaced it, or it ended)`);
    return this.upload;
  }
}
