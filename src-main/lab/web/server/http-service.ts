/**
 * The lab's web server (Kurose & Ross §2.2) on port 8080, written on node:net so every
 * message is the lab's own: our parser reads the request, our encoder writes the response,
 * and the capture frames both whole. It answers for every lab host on port 80 of the lab
 * internet (`telnet gaia.cs.umass.edu 80` in the terminal reaches it) and picks the site by
 * the Host header.
 *
 * web/server/ is the web server: this listener, the request handler, the sites on disk,
 * cookies and MIME types. The HTTP codec (heads, framing, decoder) it shares with the proxy
 * and the lab terminal is pure, in web/.
 */
import type { TcpTap } from '../../capture/tcp-tap';
import { HttpConnection, type ConnectionSettings } from '../connection';
import { HttpFramer } from '../framer';
import { DEFAULT_LIMITS } from '../head';
import type { WebSettings } from '../types';
import { HttpLabService } from '../http-listener';
import type { ServiceContext } from '../../services/service';
import { CookieTable } from './cookies';
import { FileCache } from './file-cache';
import { handle, type HandlerContext } from './handler';
import { Sites } from './sites';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';
import type { WebMailBackend } from './webmail';
import { OrderBook } from '../orders/order-book';
import { WEB_SERVER_SIGNATURE } from '../pages';

export const HTTP_VIRTUAL_PORT = 80;

export const DEFAULT_WEB_SETTINGS: WebSettings = {
  forceNonPersistent: false,
  maxAgeSec: 10,
  headerTimeoutMs: 60_000,
  idleTimeoutMs: 120_000,
};

/** Who a web server is: the lab's own answers for every lab host; a CDN cluster (video/) for its own address only. */
export interface HttpIdentity {
  id: string;
  name: string;
  description: string;
  /** the virtual addresses whose port 80 it answers ('*': every lab host without a server of its own) */
  virtualAddresses: string[];
}

const LAB_WEB_SERVER: HttpIdentity = {
  id: 'http',
  name: 'Web server (HTTP)',
  description: 'HTTP/1.1 web server for the lab sites (www.someschool.edu, gaia.cs.umass.edu, …), port 80 of every lab host',
  virtualAddresses: ['*'],
};

export class HttpService extends HttpLabService {
  readonly id: string;
  readonly name: string;
  readonly protocol = 'http';
  readonly description: string;
  readonly sites: Sites;
  /** www.networkutopia.com's orders, for its REST and SOAP web services */
  readonly orders: OrderBook;
  readonly cookies = new CookieTable();
  settings: WebSettings = { ...DEFAULT_WEB_SETTINGS };
  /** web mail for the lab's mail domains (http://mail.hamburger.edu/), wired by lab.ts */
  webmail: WebMailBackend | undefined;
  private files = new FileCache();
  private conns = new WeakMap<TcpTap, HttpConnection>();
  private withdraw: (() => void)[] = [];
  /** paths a lab area answers itself before the site's files (the video area's player script) */
  extraRoutes: ((req: HttpRequest) => HttpResponse | null) | undefined;
  private webListeners = new Set<(what: 'cookies' | 'sites' | 'settings') => void>();
  protected override framer = (): HttpFramer => new HttpFramer();
  protected override keep = keepOfMedia;
  /** a client may send its request and its FIN at once (nc -N, printf | nc): answer it first */
  protected override allowHalfOpen = true;

  constructor(
    ctx: ServiceContext,
    port: number,
    private identity: HttpIdentity = LAB_WEB_SERVER,
  ) {
    super(ctx, port);
    this.id = identity.id;
    this.name = identity.name;
    this.description = identity.description;
    this.sites = new Sites(ctx.resourcesDir, ctx.dataDir);
    this.orders = new OrderBook(ctx.dataDir);
  }

  onWebChange(listener: (what: 'cookies' | 'sites' | 'settings') => void): void {
    this.webListeners.add(listener);
  }

  webChanged(what: 'cookies' | 'sites' | 'settings'): void {
    for (const l of this.webListeners) l(what);
  }

  configureWeb(patch: Partial<WebSettings>): WebSettings {
    this.settings = { ...this.settings, ...patch };
    this.webChanged('settings');
    return { ...this.settings };
  }

  /** what the connections read for every request: a new object only when the settings differ
   *  (they may be changed in place, as the experiments do) */
  private connSettings: ConnectionSettings | null = null;

  connectionSettings(): ConnectionSettings {
    const { forceNonPersistent, headerTimeoutMs, idleTimeoutMs } = this.settings;
    const c = this.connSettings;
    if (!c || c.forceNonPersistent !== forceNonPersistent || c.headerTimeoutMs !== headerTimeoutMs || c.idleTimeoutMs !== idleTimeoutMs) {
      this.connSettings = { limits: DEFAULT_LIMITS, forceNonPersistent, headerTimeoutMs, idleTimeoutMs, serverName: 'NetLab/0.1', signature: WEB_SERVER_SIGNATURE };
    }
    return this.connSettings as ConnectionSettings;
  }

  protected override async listen(): Promise<void> {
    await this.sites.load();
    await super.listen();
    for (const w of this.withdraw.splice(0)) w();
    for (const virtualAddress of this.identity.virtualAddresses) {
      this.withdraw.push(this.ctx.internet.addRoute({ virtualAddress, virtualPort: HTTP_VIRTUAL_PORT, realPort: this.port, service: this.id }));
    }
  }

  protected override close(): Promise<void> {
    for (const w of this.withdraw.splice(0)) w();
    return super.close();
  }

  protected accept(tap: TcpTap): void {
    this.serve(tap);
  }

  /** Serve HTTP on a connection (this listener's, or the HTTPS listener's once TLS is up). */
  serve(tap: TcpTap): HttpConnection {
    // one write per response: no reason to wait for an ACK before the next (nginx: tcp_nodelay)
    tap.socket.setNoDelay(true);
    const note = (text: string): void => this.ctx.store.note(tap.conn, 'none', text);
    const context: HandlerContext = {
      sites: this.sites,
      cookies: this.cookies,
      files: this.files,
      settings: () => this.settings,
      // read at each request: the lab names the dialled host just after the connection opens
      get dialled() {
        return tap.conn.server.name;
      },
      note,
      changed: (what) => this.webChanged(what),
      webmail: this.webmail,
      extraRoutes: this.extraRoutes,
      client: tap.socket.remoteAddress,
      orders: this.orders,
    };
    const conn = new HttpConnection(tap, () => this.connectionSettings(), (req) => handle(req, context), note);
    this.conns.set(tap, conn);
    return conn;
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    this.conns.get(tap)?.data(chunk);
  }
}

/** of a video or audio response (a DASH segment), the capture keeps the head and this much body */
export const MEDIA_KEEP_BYTES = 4096;
const SMALL = 16 * 1024;

/** keepOfMedia's answers for the large buffers it has read: a static file's 200 is encoded once a
 *  second (connection.ts encodeShared) and the same bytes are sent for every request in it, so
 *  their head is read once, not once per segment served */
const keptOf = new WeakMap<Buffer, number>();

/**
 * What the capture keeps of a record: all of it, but of a large video or audio response only
 * its head and the body's first 4 KiB (its size still says how long it was), as the FTP data
 * connection keeps its first bytes. Copying every segment whole into the capture's memory would
 * cost a streaming server most of its rate, for bytes no one reads as text.
 */
export function keepOfMedia(_kind: 'chunk' | 'message', bytes: Buffer): number {
  if (bytes.length <= SMALL || bytes[0] !== 0x48 /* H of HTTP/1.1 */) return Infinity;
  let keep = keptOf.get(bytes);
  if (keep === undefined) {
    keep = mediaKeep(bytes);
    keptOf.set(bytes, keep);
  }
  return keep;
}

function mediaKeep(bytes: Buffer): number {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0 || end > 8192) return Infinity;
  const head = bytes.toString('latin1', 0, end);
  return /\r\ncontent-type:[ \t]*(video|audio)\//i.test(head) ? end + 4 + MEDIA_KEEP_BYTES : Infinity;
}
