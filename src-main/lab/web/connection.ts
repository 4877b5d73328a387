/**
 * One HTTP/1.x connection on the server side (the web server's and the proxy's): parses
 * requests as bytes arrive, answers them one at a time and in order (pipelined requests
 * queue up, RFC 9112 §9.3.2), keeps or closes the connection (persistent by default in
 * HTTP/1.1, non-persistent in HTTP/1.0 or on `Connection: close`, or always when the lab
 * forces it), and closes a client that dawdles over its request head (slowloris).
 */
import type { TcpTap } from '../capture/tcp-tap';
import { header, HttpError, type Header, type HttpLimits } from './head';
import { parseRequest, wantsPersistent, type HttpRequest } from './request';
import { dateNow, encodeResponse, type HttpResponse } from './response';
import { errorPage } from './pages';

export interface ConnectionSettings {
  limits: HttpLimits;
  /** answer every request with Connection: close (non-persistent HTTP) */
  forceNonPersistent: boolean;
  /** a request head must be complete this long after its first byte (408 after it) */
  headerTimeoutMs: number;
  /** an idle persistent connection is closed after this */
  idleTimeoutMs: number;
  serverName: string;
}

export type Handler = (req: HttpRequest, tap: TcpTap) => Promise<HttpResponse>;

/** Pipelined requests waiting beyond this stop the reading until answered. */
const MAX_QUEUED = 64;

export class HttpConnection {
  private buf: Buffer = Buffer.alloc(0);
  /** when the first byte of the request head now pending arrived */
  private headStarted = 0;
  private queue: HttpRequest[] = [];
  private busy = false;
  private closing = false;
  /** the client sent its FIN: answer what is queued, then close */
  private peerEnded = false;
  /** 100 Continue was sent for the request whose body is arriving */
  private continued = false;
  /** a request could not be read: answered with this after the ones before it */
  private refused: { err: HttpError; version: '1.0' | '1.1' } | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** requests answered on this connection */
  served = 0;

  constructor(
    private tap: TcpTap,
    private settings: () => ConnectionSettings,
    private handle: Handler,
    private note: (text: string) => void,
  ) {
    this.arm();
    tap.socket.on('close', () => this.clearTimer());
    tap.socket.on('end', () => {
      this.peerEnded = true;
      this.parse();
      if (!this.busy && this.queue.length === 0) this.finish('the client closed its side: the server closes too');
    });
  }

  data(chunk: Buffer): void {
    if (this.closing || this.refused) return;
    if (this.buf.length === 0) this.headStarted = Date.now();
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.parse();
  }

  private parse(): void {
    const { limits } = this.settings();
    const before = this.buf.length;
    while (!this.closing && !this.refused && this.buf.length > 0) {
      const r = parseRequest(this.buf, 0, limits);
      if (!r.ok && r.incomplete) {
        this.maybeContinue();
        break;
      }
      this.continued = false;
      if (!r.ok) {
        this.buf = Buffer.alloc(0);
        this.fail(r.error, r.version ?? '1.1');
        break;
      }
      const req = r.request;
      // copy what the request holds: the buffer is sliced away below
      req.body = Buffer.from(req.body);
      this.buf = this.buf.subarray(req.rawLength);
      for (const note of req.lenient) this.note(note);
      this.queue.push(req);
      if (this.queue.length >= MAX_QUEUED) this.tap.socket.pause();
    }
    if (this.buf.length > 0 && this.buf.length !== before) this.headStarted = Date.now();
    void this.next();
    this.arm();
  }

  private async next(): Promise<void> {
    if (this.busy || this.closing) return;
    const req = this.queue.shift();
    if (!req) {
      if (this.refused) this.answerRefused(this.refused.err, this.refused.version);
      return;
    }
    this.busy = true;
    this.clearTimer();
    let res: HttpResponse;
    try {
      res = await this.handle(req, this.tap);
    } catch (err) {
      this.note(`the handler failed: ${(err as Error).message}`);
      res = errorPage(500, 'The server met an unexpected condition.');
    }
    const keep = !this.settings().forceNonPersistent && wantsPersistent(req) && header(res.headers, 'connection')?.toLowerCase() !== 'close';
    this.send(res, req.method, req.version, keep);
    this.served++;
    this.busy = false;
    if (!keep) {
      if (this.queue.length) this.note(`${this.queue.length} pipelined request(s) dropped: the connection closes after this response`);
      this.finish(this.settings().forceNonPersistent ? 'non-persistent HTTP: the server closes after one response' : 'Connection: close — the server closes after the response');
      return;
    }
    if (this.queue.length < MAX_QUEUED && this.tap.socket.isPaused()) this.tap.socket.resume();
    if (this.queue.length || this.refused) void this.next();
    else if (this.peerEnded) this.finish('the client closed its side: the server closes too');
    else this.arm();
  }

  private send(res: HttpResponse, method: string, version: '1.0' | '1.1', keep: boolean): void {
    const s = this.settings();
    const headers: Header[] = [];
    if (!header(res.headers, 'date')) headers.push(['Date', dateNow()]);
    if (!header(res.headers, 'server')) headers.push(['Server', s.serverName]);
    for (const h of res.headers) if (h[0].toLowerCase() !== 'connection') headers.push(h);
    if (!keep) headers.push(['Connection', 'close']);
    else if (version === '1.0') headers.push(['Connection', 'keep-alive']);
    this.tap.send(encodeResponse({ ...res, headers }, method, version));
  }

  /** A request that cannot be read: answer its status and close (the stream cannot be resynchronised). */
  /**
   * A client that sent `Expect: 100-continue` waits for a go-ahead before its body (curl does
   * for uploads, RFC 9110 §10.1.1): once its head is complete, say 100 Continue.
   */
  private maybeContinue(): void {
    if (this.continued || this.queue.length || this.busy) return;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.toString('latin1', 0, Math.min(end, 64 * 1024));
    if (!/\r\nexpect:[ \t]*100-continue/i.test(head) || /^\S+ \S+ HTTP\/1\.0/.test(head)) return;
    this.continued = true;
    this.tap.send(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'));
  }

  /** A request that cannot be read: answered in order, after the requests before it, and the
   *  connection closed (the stream cannot be resynchronised). */
  private fail(err: HttpError, version: '1.0' | '1.1'): void {
    this.note(`refused: ${err.status} ${err.message}`);
    this.refused = { err, version };
    this.clearTimer();
    void this.next();
  }

  private answerRefused(err: HttpError, version: '1.0' | '1.1'): void {
    this.send(errorPage(err.status, err.message), 'GET', version, false);
    this.finish('the request could not be read: the server closes the connection');
  }

  private finish(reason: string): void {
    this.closing = true;
    this.clearTimer();
    this.tap.end(reason);
  }

  private arm(): void {
    this.clearTimer();
    if (this.closing || this.refused || this.busy || this.queue.length) return;
    const s = this.settings();
    if (this.buf.length > 0) {
      const left = Math.max(0, s.headerTimeoutMs - (Date.now() - this.headStarted));
      this.timer = setTimeout(() => {
        this.note(`request head not complete within ${s.headerTimeoutMs / 1000} s (slowloris guard)`);
        this.buf = Buffer.alloc(0);
        this.send(errorPage(408, `The request did not arrive within ${s.headerTimeoutMs / 1000} s.`), 'GET', '1.1', false);
        this.finish('request timeout: the server closes the connection');
      }, left);
    } else {
      this.timer = setTimeout(() => this.finish(`idle for ${s.idleTimeoutMs / 1000} s: the server closes the persistent connection`), s.idleTimeoutMs);
    }
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

}
