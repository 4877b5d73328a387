/** The checker's side of a TCP exchange with a student's server: send, read until the server closes (or enough came). */
import net from 'node:net';
import type { ClientNames } from '../../internet/names';
import { msg, type LabText, type TextParam } from '../../lab-text';

/** the name the checker's own connections carry in the inspector (a lab client, not an outside one) */
export const CHECKER_NAME = 'the program check';

export interface Exchange {
  bytes: Buffer;
  /** why reading ended: the server closed, `enough` said so, the time ran out, or the connection failed */
  end: 'closed' | 'enough' | 'timeout' | 'error';
  error?: string;
}

export function exchange(port: number, request: Buffer | string, ms: number, enough?: (got: Buffer) => boolean, names?: ClientNames): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const socket = net.connect(port, '127.0.0.1');
    let local = 0;
    const finish = (end: Exchange['end'], error?: string): void => {
      if (done) return;
      done = true;
      if (local) names?.forget(local);
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), end, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish('timeout'), ms);
    socket.on('connect', () => {
      local = socket.localPort ?? 0;
      names?.note(local, { client: { name: CHECKER_NAME }, server: {} });
      socket.write(request);
    });
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (enough?.(Buffer.concat(chunks))) finish('enough');
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', (err) => finish('error', err.message));
  });
}

export interface HttpReply {
  status: number;
  statusLine: string;
  headers: Map<string, string>;
  body: Buffer;
}

/** A response as the checker reads it: status line, headers, body (Content-Length, else until close). */
export function parseHttpReply(bytes: Buffer): HttpReply | null {
  const end = bytes.indexOf('\r\n\r\n');
  const lfEnd = end < 0 ? bytes.indexOf('\n\n') : -1;
  if (end < 0 && lfEnd < 0) return null;
  const headEnd = end >= 0 ? end : lfEnd;
  const head = bytes.toString('latin1', 0, headEnd).split(/\r?\n/);
  const statusLine = head[0] ?? '';
  const m = /^HTTP\/1\.[01] (\d{3})\b/.exec(statusLine);
  if (!m) return null;
  const headers = new Map<string, string>();
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  let body = bytes.subarray(headEnd + (end >= 0 ? 4 : 2));
  const len = Number(headers.get('content-length'));
  if (Number.isInteger(len) && len >= 0 && body.length > len) body = body.subarray(0, len);
  return { status: Number(m[1]), statusLine, headers, body };
}

/** enough of a response has come: the head and Content-Length bytes of body */
export function httpComplete(got: Buffer): boolean {
  const end = got.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const len = /\r\ncontent-length:[ \t]*(\d+)/i.exec(got.toString('latin1', 0, end + 2))?.[1];
  return len !== undefined && got.length >= end + 4 + Number(len);
}

/** a short printable quote of what came back, for a detail */
export function quote(bytes: Buffer, max = 60): string {
  const text = bytes.toString('latin1').trim().replace(/\r?\n/g, '⏎');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** why no HTTP response, for a detail: what came instead, the connection's error, or `nothing` */
export function silence(got: Exchange, nothing: LabText = msg('checkLab.http.nothing')): TextParam {
  if (got.bytes.length) return msg('checkLab.http.began', { text: quote(got.bytes) });
  return got.error ?? nothing;
}
