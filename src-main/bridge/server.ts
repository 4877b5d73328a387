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
import { hostAllowed, originAllowed, queryToken, requestToken, tokenCookie, tokensEqual } from './auth';
import { serveStatic } from './static';
import { sendDownload } from './download';
import type { Download } from '../lab/capture/download';
import type { BridgedLab, TabSockets } from './attach';

export interface BridgeOptions {
  /** the lab, or the promise of it: `netlab serve` listens (and prints its address) before
   *  the lab's code has loaded; the page is served meanwhile, its WebSocket waits for the lab */
  lab: BridgedLab | Promise<BridgedLab>;
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

/** RFC 9110 §15.5.20: this server will not answer for the authority the request names */
const MISDIRECTED = (port: number): string =>
  `421 Misdirected Request: NetLab answers only at 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.\n`;

export function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const host = opts.host ?? '127.0.0.1';
  let port = opts.port;
  const lab = Promise.resolve(opts.lab);
  // a lab that fails to load (a wrong scenario) ends the process; no unhandled rejection here
  lab.catch(() => undefined);
  /** the WebSocket side (ws, the API's table), loaded at the first upgrade */
  let sockets: Promise<TabSockets> | undefined;
  let closed = false;

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
      void lab.then(
        () => sendDownload(res, () => downloads(url.pathname, url.searchParams)),
        () => res.destroy(),
      );
      return;
    }
    if (url.pathname === '/lab-ca.pem') {
      // the lab CA's certificate, to import in a browser (the Web tab's Lab CA panel links it)
      lab.then((l) => l['web.labCa']()).then(
        (ca) => res.writeHead(200, { 'Content-Type': 'application/x-pem-file', 'Content-Disposition': 'attachment; filename="netlab-lab-ca.pem"' }).end(ca.pem),
        (err: Error) => res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${err.message}\n`),
      );
      return;
    }
    void serveStatic(opts.rendererDir, url.pathname, res);
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hostAllowed(req.headers.host, port)) return refuse('421 Misdirected Request');
    if (url.pathname !== '/api') return refuse('404 Not Found');
    if (!tokensEqual(requestToken(req, port), opts.token)) return refuse('401 Unauthorized');
    if (!originAllowed(req.headers.origin, port)) return refuse('403 Forbidden');
    // the page may ask before the lab has loaded: hold the socket until it has (ws handles
    // its errors from the handshake on; until then a reset only ends this socket)
    const dropped = (): void => void socket.destroy();
    socket.on('error', dropped);
    sockets ??= import('./attach').then((m) => m.tabSockets());
    Promise.all([sockets, lab]).then(
      ([tabs, l]) => {
        socket.off('error', dropped);
        if (closed) socket.destroy();
        else tabs.accept(req, socket, head, l);
      },
      () => socket.destroy(),
    );
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
            closed = true;
            void sockets?.then((tabs) => tabs.close());
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
