/**
 * The proxy's side as a client: one request to an origin server over the lab internet, on a
 * connection of its own (non-persistent upstream keeps the example simple). The origin link
 * is emulated here — half the Internet delay each way and the access link's rate on what
 * comes back — so the textbook's caching example (Kurose & Ross §2.2.5) can be measured.
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
  accessKbps: number;
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

export function fetchOrigin(ctx: OriginContext, req: OriginRequest): Promise<ParsedResponse> {
  return new Promise((resolve, reject) => {
    void ctx.internet.dial(req.host, req.port).then((dialled) => {
      if (!dialled.ok) return reject(new HttpError(502, dialled.error));
      const half = ctx.internetDelayMs / 2;
      const up = new LinkDirection(() => ({ ...PERFECT_LINK, delayMs: half }));
      const down = new LinkDirection(() => ({ ...PERFECT_LINK, delayMs: half, rateKbps: ctx.accessKbps }));
      const socket = net.connect(dialled.port, dialled.address);
      let buf: Buffer = Buffer.alloc(0);
      let done = false;
      const finish = (err: Error | null, res?: ParsedResponse): void => {
        if (done) return;
        done = true;
        socket.destroy();
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
        ctx.names.note(socket.localPort ?? 0, { client: { name: 'proxy cache' }, server });
        const bytes = encodeRequest(req.method, req.target, req.headers, req.body);
        const onData = (chunk: Buffer): void =>
          later(down.stream(chunk.length), () => {
            buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
            tryParse(false);
          });
        const onEnd = (): void => later(down.stream(0), () => tryParse(true));
        if (ctx.isLabPort(dialled.port)) {
          socket.on('data', onData);
          socket.on('end', onEnd);
          later(up.stream(bytes.length), () => socket.write(bytes));
        } else {
          // not a lab service: the capture is taken on our side of the connection
          const tap = new TcpTap(
            socket,
            { store: ctx.store, names: ctx.names, service: 'proxy', protocol: 'http', link: () => PERFECT_LINK, side: 'client', endpoints: { client: { name: 'proxy cache' }, server } },
            onData,
          );
          socket.on('end', onEnd);
          later(up.stream(bytes.length), () => tap.send(bytes));
        }
      });
      socket.on('error', (err) => finish(new HttpError(502, `cannot reach ${req.host}:${req.port}: ${err.message}`)));
      socket.on('close', () => {
        if (socket.localPort) ctx.names.forget(socket.localPort);
        if (!done) later(down.stream(0), () => tryParse(true));
      });
    }, reject);
  });
}
