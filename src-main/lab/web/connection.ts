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
  /** the last line of the error pages the connection itself answers with (pages.ts) */
  signature: string;
}

export type Handler = (req: HttpRequest, tap: TcpTap) => HttpResponse | Promise<HttpResponse>;

/** Pipelined requests waiting beyond this stop the reading until answered (the tap's flow control). */
const MAX_QUEUED = 64;
/** On a paced link (link emulation: a rate or a delay) a response larger than this is written
 *  in pieces of this size (sendPieces), so the link's transmitter is fed evenly. */
const PIECE = 16 * 1024;
/** A video or audio response on an unemulated link goes in pieces this large: a DASH segment
 *  (5–400 KB) in one write and one capture record, as nginx's sendfile does (bench/video.mjs:
 *  16 KB pieces cost a write, a callback and a capture record each, most of the serving time).
 *  Other large responses keep 16 KB pieces: long.html shows the Chunks view a server writing
 *  one response in many pieces. */
const LARGE_PIECE = 1024 * 1024;
const MEDIA_TYPE = /^\s*(video|audio)\//i;
const EMPTY = Buffer.alloc(0);

export class HttpConnection {
  private buf: Buffer = EMPTY;
  /** when the first byte of the request head now pending arrived */
  private headStarted = 0;
  /** when the last response went out (or the connection opened): the idle timeout counts from here */
  private idleSince = Date.now();
  private queue: HttpRequest[] = [];
  private busy = false;
  private closing = false;
  /** the client sent its FIN: answer what is queued, then close */
  private peerEnded = false;
  /** 100 Continue was sent for the request whose body is arriving */
  private continued = false;
  /** a request could not be read: answered with this after the ones before it */
  private refused: { err: HttpError; version: '1.0' | '1.1' } | null = null;
  /**
   * One coarse timer per connection, not one per request: it is armed for the earliest
   * deadline known and, when it fires, checks what is due now (nothing while a request is
   * being answered) and re-arms for the rest. A request answered costs no timer call.
   */
  private timer: NodeJS.Timeout | null = null;
  /** when the armed timer fires */
  private timerAt = 0;
  /** requests answered on this connection */
  served = 0;
  /** the next request waits for the client to read the responses before it */
  private waiting = false;

  constructor(
    private tap: TcpTap,
    private settings: () => ConnectionSettings,
    private handle: Handler,
    private note: (text: string) => void,
  ) {
    this.arm();
    tap.regulate(() => this.queue.length, MAX_QUEUED - 1);
    tap.socket.on('close', () => this.clearTimer());
    tap.socket.on('end', () => {
      this.peerEnded = true;
      this.parse();
      if (!this.busy && this.queue.length === 0) this.finish('the client closed its side: the server closes too');
    });
  }

  data(chunk: Buffer): void {
    if (this.closing || this.refused) return;
    if (this.buf.length === 0) {
      this.headStarted = Date.now();
      this.buf = chunk;
    } else this.buf = Buffer.concat([this.buf, chunk]);
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
        this.buf = EMPTY;
        this.fail(r.error, r.version ?? '1.1');
        break;
      }
      const req = r.request;
      // copy what the request holds: the buffer is sliced away below
      if (req.body.length) req.body = Buffer.from(req.body);
      this.buf = req.rawLength === this.buf.length ? EMPTY : this.buf.subarray(req.rawLength);
      for (const note of req.lenient) this.note(note);
      this.queue.push(req);
    }
    if (this.buf.length > 0 && this.buf.length !== before) this.headStarted = Date.now();
    this.next();
    this.arm();
  }

  /** Answer the queued requests in order: at once when the handler answers at once, else when its promise settles. */
  private next(): void {
    while (!this.busy && !this.closing) {
      // a client that does not read its responses gets the next one once it has read these
      if (this.tap.congested) return this.waitWritable();
      const req = this.queue.shift();
      if (!req) {
        if (this.refused) this.answerRefused(this.refused.err, this.refused.version);
        return;
      }
      this.busy = true;
      let res: HttpResponse | Promise<HttpResponse>;
      try {
        res = this.handle(req, this.tap);
      } catch (err) {
        res = this.failed(err);
      }
      if (res instanceof Promise) {
        res.then(
          (r) => this.answer(req, r),
          (err: unknown) => this.answer(req, this.failed(err)),
        );
        return;
      }
      this.answer(req, res);
    }
  }

  private waitWritable(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.tap.whenWritable(() => {
      this.waiting = false;
      this.next();
    });
  }

  private failed(err: unknown): HttpResponse {
    this.note(`the handler failed: ${(err as Error).message}`);
    return errorPage(500, 'The server met an unexpected condition.', [], this.settings().signature);
  }

  private answer(req: HttpRequest, res: HttpResponse): void {
    const s = this.settings();
    const keep = !s.forceNonPersistent && wantsPersistent(req) && header(res.headers, 'connection')?.toLowerCase() !== 'close';
    const bytes = this.encode(res, req.method, req.version, keep);
    const piece = bytes.length > PIECE && !this.tap.paced() && isMedia(res) ? LARGE_PIECE : PIECE;
    if (bytes.length <= piece) {
      this.tap.send(bytes);
      this.answered(keep);
    } else this.sendPieces(bytes, 0, piece, () => this.answered(keep));
  }

  /**
   * A large response goes out in pieces, each written once the socket has taken the one
   * before (a server writing from a buffer of its own, as nginx does): the capture shows the
   * chunks, and one HTTP message framed from them by its Content-Length. The next response
   * waits for the last piece.
   */
  private sendPieces(bytes: Buffer, at: number, piece: number, done: () => void): void {
    const end = Math.min(at + piece, bytes.length);
    if (end === bytes.length) {
      this.tap.send(bytes.subarray(at));
      done();
    } else this.tap.send(bytes.subarray(at, end), () => this.sendPieces(bytes, end, piece, done));
  }

  private answered(keep: boolean): void {
    const s = this.settings();
    this.served++;
    this.busy = false;
    if (!keep) {
      if (this.queue.length) this.note(`${this.queue.length} pipelined request(s) dropped: the connection closes after this response`);
      this.finish(s.forceNonPersistent ? 'non-persistent HTTP: the server closes after one response' : 'Connection: close — the server closes after the response');
      return;
    }
    if (this.queue.length || this.refused) this.next();
    else if (this.peerEnded) this.finish('the client closed its side: the server closes too');
    else {
      this.idleSince = Date.now();
      this.arm();
    }
  }

  private send(res: HttpResponse, method: string, version: '1.0' | '1.1', keep: boolean): void {
    this.tap.send(this.encode(res, method, version, keep));
  }

  private encode(res: HttpResponse, method: string, version: '1.0' | '1.1', keep: boolean): Buffer {
    const s = this.settings();
    if (res.shared) return encodeShared(res, method, version, keep, s.serverName);
    return encodeResponse(withConnectionHeaders(res, version, keep, s.serverName), method, version);
  }

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
    this.next();
  }

  private answerRefused(err: HttpError, version: '1.0' | '1.1'): void {
    this.send(errorPage(err.status, err.message, [], this.settings().signature), 'GET', version, false);
    this.finish('the request could not be read: the server closes the connection');
  }

  private finish(reason: string): void {
    this.closing = true;
    this.clearTimer();
    this.tap.end(reason);
  }

  /** When the connection is due to be closed: the head's deadline while one is pending, the idle one when nothing is; 0 while requests are being answered. */
  private deadline(s: ConnectionSettings): number {
    if (this.closing || this.refused || this.busy || this.queue.length) return 0;
    return this.buf.length > 0 ? this.headStarted + s.headerTimeoutMs : this.idleSince + s.idleTimeoutMs;
  }

  /** Make sure the timer fires no later than the deadline (it is left alone when it already does). */
  private arm(): void {
    const due = this.deadline(this.settings());
    if (due === 0 || (this.timer && this.timerAt <= due)) return;
    this.setTimer(due);
  }

  private setTimer(at: number): void {
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = null;
    if (this.closing || this.refused) return;
    const s = this.settings();
    const due = this.deadline(s);
    const now = Date.now();
    // answering a request: look again later
    if (due === 0) return this.setTimer(now + Math.min(s.headerTimeoutMs, s.idleTimeoutMs));
    if (now < due) return this.setTimer(due);
    if (this.buf.length > 0) {
      this.note(`request head not complete within ${s.headerTimeoutMs / 1000} s (slowloris guard)`);
      this.buf = EMPTY;
      this.send(errorPage(408, `The request did not arrive within ${s.headerTimeoutMs / 1000} s.`, [], s.signature), 'GET', '1.1', false);
      this.finish('request timeout: the server closes the connection');
    } else this.finish(`idle for ${s.idleTimeoutMs / 1000} s: the server closes the persistent connection`);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** whether a response is video or audio, remembered for a shared one (the same object answers every request for a file) */
const mediaOf = new WeakMap<HttpResponse, boolean>();
function isMedia(res: HttpResponse): boolean {
  let media = res.shared ? mediaOf.get(res) : undefined;
  if (media === undefined) {
    media = MEDIA_TYPE.test(header(res.headers, 'content-type') ?? '');
    if (res.shared) mediaOf.set(res, media);
  }
  return media;
}

/**
 * How long the listener lets an HTTP connection carry no byte before it drops it: a backstop
 * behind the connection's own timers, for the case they cannot end it — a client that never
 * reads the response (a graceful close waits for the response to be read) or its pipelined
 * requests waiting on one.
 */
export function silentConnectionMs(s: ConnectionSettings): number {
  return s.idleTimeoutMs + s.headerTimeoutMs;
}

/** Over the listener's cap: 503 with Retry-After (RFC 9110 §15.6.4, §10.2.3), then close. */
export function refuseConnection(tap: TcpTap, s: ConnectionSettings): void {
  const page = errorPage(503, 'Too many connections are open to this server: try again in a few seconds.', [['Retry-After', '5']], s.signature);
  tap.send(encodeResponse(withConnectionHeaders(page, '1.1', false, s.serverName), 'GET', '1.1'));
  tap.close('503: too many connections, the server closes the connection');
}

/** The response with the headers the connection adds: Date and Server unless given, Connection as decided. */
function withConnectionHeaders(res: HttpResponse, version: '1.0' | '1.1', keep: boolean, serverName: string): HttpResponse {
  const headers: Header[] = [];
  if (!header(res.headers, 'date')) headers.push(['Date', dateNow()]);
  if (!header(res.headers, 'server')) headers.push(['Server', serverName]);
  for (const h of res.headers) if (h[0].toLowerCase() !== 'connection') headers.push(h);
  if (!keep) headers.push(['Connection', 'close']);
  else if (version === '1.0') headers.push(['Connection', 'keep-alive']);
  return { ...res, headers };
}

/**
 * The encodings of shared responses (the same object answered again and again: a static
 * file's 200, a proxy hit), kept per variant (HEAD or not, HTTP version, keep-alive or close)
 * for the second their Date header names — nginx formats its Date once per second too.
 */
const encoded = new WeakMap<HttpResponse, { date: string; server: string; variants: (Buffer | undefined)[] }>();

function encodeShared(res: HttpResponse, method: string, version: '1.0' | '1.1', keep: boolean, serverName: string): Buffer {
  const date = dateNow();
  let e = encoded.get(res);
  if (!e || e.date !== date || e.server !== serverName) {
    e = { date, server: serverName, variants: [] };
    encoded.set(res, e);
  }
  const variant = (method === 'HEAD' ? 4 : 0) | (version === '1.0' ? 2 : 0) | (keep ? 1 : 0);
  let bytes = e.variants[variant];
  if (!bytes) {
    bytes = encodeResponse(withConnectionHeaders(res, version, keep, serverName), method, version);
    e.variants[variant] = bytes;
  }
  return bytes;
}
