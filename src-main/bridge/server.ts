/**
 * The browser bridge: serves the renderer and the lab API (over a WebSocket) to a browser
 * on this machine. What it defends against: other programs and users on the machine, and
 * web pages open in the user's browser, driving the lab (which can run programs).
 *  - it listens on 127.0.0.1 only, and answers only requests whose Host names it by a
 *    loopback name and its port (421 otherwise: a DNS-rebinding page names its own site);
 *  - every request, `/` included, needs the per-run token: in the query once (the printed
 *    address), then in an HttpOnly SameSite=Strict cookie; compared in constant time;
 *  - the WebSocket upgrade must also come from our own Origin (cross-site WebSocket hijacking).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, eventNames, type LabApi, type LabEventSource } from '../lab/api';
import { hostAllowed, originAllowed, queryToken, requestToken, tokenCookie, tokensEqual } from './auth';
import { jsonDeeperThan } from './json-depth';
import { serveStatic } from './static';
import { sendDownload } from './download';
import type { Download } from '../lab/capture/download';
import { BEHIND_BYTES, type CaptureFrameSource } from '../lab/capture/batch-frame-feed';
import type { ListQuery } from '../lab/capture/page-frame';

type BridgedLab = LabApi & LabEventSource & Partial<CaptureFrameSource>;

export interface BridgeOptions {
  lab: BridgedLab;
  token: string;
  rendererDir: string;
  port: number;
  host?: string;
  /** files made as they are downloaded (`/export/…`: the capture as pcapng) */
  downloads?: (path: string, params: URLSearchParams) => Download | null;
}

export interface Bridge {
  port: number;
  url: string;
  close(): Promise<void>;
}

const MAX_FRAME = 2 * 1024 * 1024;
/** a call's JSON nests four levels at most (message, args, an options object, a list in it) */
const MAX_FRAME_DEPTH = 16;
/** RFC 9110 §15.5.20: this server will not answer for the authority the request names */
const MISDIRECTED = (port: number): string =>
  `421 Misdirected Request: NetLab answers only at 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.\n`;
/** a browser tab that stops reading: drop it rather than hold the lab's memory */
const MAX_BUFFERED = 64 * 1024 * 1024;

export function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const host = opts.host ?? '127.0.0.1';
  let port = opts.port;

  const server = http.createServer((req, res) => {
    if (!hostAllowed(req.headers.host, port)) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end(MISDIRECTED(port));
      return;
    }
    if (!tokensEqual(requestToken(req, port), opts.token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('401 Unauthorized: open the address `netlab serve` printed (it carries ?token=...).\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (queryToken(req)) {
      // keep the token in a cookie and drop it from the address bar
      res.writeHead(302, {
        'Set-Cookie': `${tokenCookie(port)}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (opts.downloads && url.pathname.startsWith('/export/')) {
      const downloads = opts.downloads;
      void sendDownload(res, () => downloads(url.pathname, url.searchParams));
      return;
    }
    if (url.pathname === '/lab-ca.pem') {
      // the lab CA's certificate, to import in a browser (the Web tab's Lab CA panel links it)
      opts.lab['web.labCa']().then(
        (ca) => res.writeHead(200, { 'Content-Type': 'application/x-pem-file', 'Content-Disposition': 'attachment; filename="netlab-lab-ca.pem"' }).end(ca.pem),
        (err: Error) => res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${err.message}\n`),
      );
      return;
    }
    void serveStatic(opts.rendererDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hostAllowed(req.headers.host, port)) return refuse('421 Misdirected Request');
    if (url.pathname !== '/api') return refuse('404 Not Found');
    if (!tokensEqual(requestToken(req, port), opts.token)) return refuse('401 Unauthorized');
    if (!originAllowed(req.headers.origin, port)) return refuse('403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, opts.lab));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      resolve({
        port,
        url: `http://${host}:${port}/?token=${opts.token}`,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** One browser tab: calls in, results and every lab event out (the capture's batches as
 *  binary frames, batch-frame.ts, where the lab makes them). */
function attach(ws: WebSocket, lab: BridgedLab): void {
  const open = (): boolean => {
    if (ws.readyState !== ws.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.close(1013, 'the page is not keeping up with the lab');
      return false;
    }
    return true;
  };
  const send = (msg: unknown): void => {
    if (open()) ws.send(JSON.stringify(msg));
  };
  const frames = lab.captureFrames?.bind(lab);
  const unsubscribe = eventNames
    .filter((event) => !(frames && event === 'capture.batch'))
    .map((event) => lab.on(event, (payload) => send({ event, payload })));
  if (frames) {
    unsubscribe.push(
      frames(
        (frame) => {
          if (open()) ws.send(frame, { binary: true });
        },
        () => ws.bufferedAmount > BEHIND_BYTES,
      ),
    );
  }
  ws.on('close', () => unsubscribe.forEach((u) => u()));
  ws.on('message', (raw, isBinary) => {
    let id: unknown = null;
    try {
      if (isBinary) throw new Error('binary frames are not part of the API');
      const text = raw.toString();
      // parsing and checking deeply nested JSON costs the lab's event loop a second or more
      // (and printing it recurses): refuse it before JSON.parse sees it
      if (jsonDeeperThan(text, MAX_FRAME_DEPTH)) throw new Error(`a call nested more than ${MAX_FRAME_DEPTH} levels deep`);
      const msg = JSON.parse(text) as { id?: unknown; method?: unknown; args?: unknown; frame?: unknown };
      id = msg.id;
      if (typeof id !== 'number') throw new Error('a call needs a numeric id');
      const callId = id;
      // a page of history asked for as a binary frame (page-frame.ts); the arguments checked as for JSON
      const paged = msg.frame === true && msg.method === 'capture.list' && lab.captureListFrame && Number.isInteger(callId) && callId > 0 && callId <= 0xffffffff;
      const target = paged ? ({ 'capture.list': async (q: ListQuery) => lab.captureListFrame!(q, callId) } as unknown as LabApi) : lab;
      dispatch(target, msg.method, msg.args ?? []).then(
        (result) => {
          if (Buffer.isBuffer(result)) {
            if (open()) ws.send(result, { binary: true });
          } else send({ id: callId, result: result ?? null });
        },
        (err: Error) => send({ id: callId, error: err.message }),
      );
    } catch (err) {
      send({ id, error: (err as Error).message });
    }
  });
}
