/**
 * The proxy's side as a client: one request to an origin server over the lab internet, on a
 * connection of its own (non-persistent upstream keeps the example simple). The origin link
 * is emulated here — half the Internet delay each way, and what comes back queues for the
 * institution's one access link, shared by every fetch — so the textbook's caching example
 * (Kurose & Ross §2.2.5) can be measured, queueing delay included.
 */
import net from 'node:net';
import type { CaptureStore } from '../../capture/store';
import { TcpTap } from '../../capture/tcp-tap';
import type { LabInternet } from '../../internet/internet';
import type { ClientNames } from '../../internet/names';
import { LinkDirection, later } from '../../link/link';
import { PERFECT_LINK } from '../../link/profile';
import { HttpError, type Header } from '../head';
import { encodeRequest, parseResponse, type ParsedResponse } from '../response';

export interface OriginContext {
  internet: LabInternet;
  names: ClientNames;
  store: CaptureStore;
  /** ports where a lab service captures the traffic itself */
  isLabPort: (port: number) => boolean;
  internetDelayMs: number;
  /** the access link (Internet → institution): one FIFO queue at its rate for every fetch */
  access: LinkDirection;
  /** bytes that came in over the access link */
  crossed: (bytes: number) => void;
}

export interface OriginRequest {
  host: string;
  port: number;
  method: string;
  target: string;
  headers: Header[];
  body: Buffer;
}

const TIMEOUT_MS = 30_000;
/** the proxy as a lab host: both its ends in the capture (clients to it, it to origins) are one host */
export const PROXY_HOST = 'proxy cache';

export function fetchOrigin(ctx: OriginContext, req: OriginRequest): Promise<ParsedResponse> {
  return new Promise((resolve, reject) => {
    void ctx.internet.dial(req.host, req.port).then((dialled) => {
      if (!dialled.ok) return reject(new HttpError(502, dialled.error));
      const half = ctx.internetDelayMs / 2;
      const up = new LinkDirection(() => ({ ...PERFECT_LINK, delayMs: half }));
      // the way back: half the Internet delay, then the queue for the access link. What came
      // back (bytes, then the close) is handed on in order, at the times the link says.
      let lastAt = 0;
      const due: { at: number; fn: () => void }[] = [];
      let timer: NodeJS.Timeout | null = null;
      const pump = (): void => {
        timer = null;
        while (due.length && due[0].at <= performance.now()) due.shift()!.fn();
        if (due.length) timer = setTimeout(pump, due[0].at - performance.now());
      };
      const down = (bytes: number, fn: () => void): void => {
        const now = performance.now();
        lastAt = Math.max(bytes < 0 ? now : now + half + ctx.access.stream(bytes), lastAt);
        due.push({ at: lastAt, fn });
        if (!timer) pump();
      };
      const socket = net.connect(dialled.port, dialled.address);
      let buf: Buffer = Buffer.alloc(0);
      let done = false;
      const finish = (err: Error | null, res?: ParsedResponse): void => {
        if (done) return;
        done = true;
        socket.destroy();
        if (timer) clearTimeout(timer);
        if (err) reject(err);
        else resolve(res!);
      };
      const tryParse = (closed: boolean): void => {
        const r = parseResponse(buf, 0, req.method, closed);
        if (r.ok && r.response.status < 200) {
          // an interim response (100 Continue): the final one follows
          buf = buf.subarray(r.response.rawLength);
          if (buf.length || closed) tryParse(closed);
          return;
        }
        if (r.ok) finish(null, r.response);
        else if (!r.incomplete) finish(new HttpError(502, `the origin's response could not be read: ${r.error.message}`));
        else if (closed) finish(new HttpError(502, 'the origin closed the connection without a complete response'));
      };
      socket.setTimeout(TIMEOUT_MS, () => finish(new HttpError(504, `the origin ${req.host} did not answer within ${TIMEOUT_MS / 1000} s`)));
      socket.once('connect', () => {
        const server = { name: dialled.name ?? req.host, virtualAddress: dialled.virtualAddress, virtualPort: req.port };
        ctx.names.note(socket.localPort ?? 0, { client: { name: PROXY_HOST }, server });
        const bytes = encodeRequest(req.method, req.target, req.headers, req.body);
        const onData = (chunk: Buffer): void => {
          ctx.crossed(chunk.length);
          down(chunk.length, () => {
            buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
            tryParse(false);
          });
        };
        // the close follows the last byte (-1: no bytes of its own on the link)
        const onEnd = (): void => down(-1, () => tryParse(true));
        if (ctx.isLabPort(dialled.port)) {
          socket.on('data', onData);
          socket.on('end', onEnd);
          later(up.stream(bytes.length), () => socket.write(bytes));
        } else {
          // not a lab service: the capture is taken on our side of the connection
          const tap = new TcpTap(
            socket,
            { store: ctx.store, names: ctx.names, service: 'proxy', protocol: 'http', link: () => PERFECT_LINK, side: 'client', endpoints: { client: { name: PROXY_HOST }, server } },
            onData,
          );
          socket.on('end', onEnd);
          later(up.stream(bytes.length), () => tap.send(bytes));
        }
      });
      socket.on('error', (err) => finish(new HttpError(502, `cannot reach ${req.host}:${req.port}: ${err.message}`)));
      socket.on('close', () => {
        if (socket.localPort) ctx.names.forget(socket.localPort);
        if (!done) down(-1, () => tryParse(true));
      });
    }, reject);
  });
}
