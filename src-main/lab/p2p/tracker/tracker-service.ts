/**
 * The lab's BitTorrent tracker: HTTP announce/scrape on TCP 6969 and the UDP tracker
 * protocol (BEP 15) on UDP 6969, sharing one memory of swarms. Bad requests are answered
 * with a failure reason and the tracker keeps serving.
 *
 * p2p/tracker/ is the tracker protocol, both ends: these listeners, the pure parsers and
 * encoders of HTTP announces (announce.ts, http.ts) and BEP 15 packets (udp-packets.ts), the
 * swarm table, the capture's decoder, and the lab peers' announcing side (tracker-client).
 */
import { randomBytes } from 'node:crypto';
import type { TcpTap } from '../../capture/tcp-tap';
import { TcpLabService } from '../../services/tcp-service';
import { UdpLabService, type Flow } from '../../services/udp-service';
import type { ServiceContext } from '../../services/service';
import { TrackerRequestError } from './announce';
import { encodeResponse, headEnd, HttpHeadError, MAX_HEAD_BYTES, parseHead, respond, TrackerHttpFramer } from './http';
import { TrackerState } from './swarms';
import {
  encodeAnnounceResponse,
  encodeConnectResponse,
  encodeScrapeResponse,
  encodeUdpError,
  parseUdpRequest,
} from './udp-packets';
import './tracker-decoder';

export const TRACKER_PORT = 6969;
/** an idle keep-alive connection is closed after this: a client announces again only after
 *  the interval (minutes), so holding its connection meanwhile only costs a descriptor */
const IDLE_MS = 60_000;
/** a request head must be complete this long after its first byte (slowloris guard); a
 *  BitTorrent client sends its GET in one write */
const HEAD_MS = 20_000;
/** connections at once; the next gets 503 */
const MAX_CONNECTIONS = 512;
const EMPTY = Buffer.alloc(0);
const TOO_MANY = Buffer.from('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 10\r\nContent-Type: text/plain\r\nContent-Length: 38\r\nConnection: close\r\n\r\ntoo many connections, try again later\n');
export const TRACKER_PROTOCOL = 'bittorrent-tracker';

export class TrackerHttpService extends TcpLabService {
  readonly id = 'tracker';
  readonly name = 'Tracker (HTTP)';
  readonly protocol = TRACKER_PROTOCOL;
  readonly description = 'BitTorrent tracker: GET /announce and /scrape (BEP 3, compact peers BEP 23)';
  private buffers = new WeakMap<TcpTap, Buffer>();
  /** connections whose pipelined requests wait for the client to read the answers */
  private waiting = new WeakSet<TcpTap>();

  constructor(
    ctx: ServiceContext,
    port: number,
    readonly swarms: TrackerState,
  ) {
    super(ctx, port);
  }

  // the tap frames requests at the blank line, not at each line
  protected override framer = (): TrackerHttpFramer => new TrackerHttpFramer();

  /** The announce URL lab peers and .torrent files use. */
  announceUrl(): string {
    return `http://127.0.0.1:${this.port}/announce`;
  }

  protected override idleMs = IDLE_MS;
  protected override requestMs = HEAD_MS;
  protected override maxConnections = MAX_CONNECTIONS;

  protected accept(tap: TcpTap): void {
    tap.regulate(() => this.buffers.get(tap)?.length ?? 0, MAX_HEAD_BYTES);
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    // a request usually arrives in one read: nothing is copied unless a head was cut
    const pending = this.buffers.get(tap);
    let buf = pending ? (chunk.length ? Buffer.concat([pending, chunk]) : pending) : chunk;
    let answered = false;
    for (;;) {
      // the client is not reading the answers: the rest waits until it does
      if (tap.congested) {
        if (!this.waiting.has(tap)) {
          this.waiting.add(tap);
          tap.whenWritable(() => {
            this.waiting.delete(tap);
            this.data(tap, EMPTY);
          });
        }
        break;
      }
      const head = headEnd(buf);
      if (!head) break;
      const headBytes = buf.subarray(0, head.end);
      buf = buf.subarray(head.end + head.sep);
      answered = true;
      let keepAlive = false;
      try {
        const head = parseHead(headBytes);
        keepAlive = head.keepAlive;
        tap.send(respond(head, this.swarms, tap.conn.client.address));
      } catch (err) {
        const why = err instanceof HttpHeadError ? err.message : 'internal error';
        tap.send(encodeResponse({ status: 400, reason: 'Bad Request', body: Buffer.from(`${why}\n`), contentType: 'text/plain' }, false));
      }
      if (!keepAlive) {
        tap.end();
        this.buffers.delete(tap);
        return;
      }
    }
    if (buf.length > MAX_HEAD_BYTES && !tap.congested) {
      tap.send(encodeResponse({ status: 431, reason: 'Request Header Fields Too Large', body: Buffer.from(`request head over ${MAX_HEAD_BYTES} bytes\n`), contentType: 'text/plain' }, false));
      tap.end();
      this.buffers.delete(tap);
      return;
    }
    // a head begun and not finished: the listener's clock for it (slowloris) runs from its first
    // byte; complete requests that wait for the client to read are the server's wait, not its
    if (buf.length === 0 || tap.congested) tap.partialSince = 0;
    else if (tap.partialSince === 0 || answered) tap.partialSince = Date.now();
    if (buf.length) this.buffers.set(tap, buf === pending ? buf : Buffer.from(buf));
    else if (pending) this.buffers.delete(tap);
    tap.check();
  }

  protected override idle(tap: TcpTap): void {
    tap.destroy(`idle for ${this.idleMs / 1000} s: the tracker closes the connection`);
  }

  protected override slow(tap: TcpTap): void {
    this.buffers.delete(tap);
    tap.send(encodeResponse({ status: 408, reason: 'Request Timeout', body: Buffer.from(`the request head did not arrive within ${this.requestMs / 1000} s\n`), contentType: 'text/plain' }, false));
    tap.close(`request head not complete within ${this.requestMs / 1000} s (slowloris guard): the tracker closes the connection`);
  }

  /** RFC 9110 §15.6.4: 503 with Retry-After for a server that is overloaded for now */
  protected override refuse(tap: TcpTap): void {
    tap.send(TOO_MANY);
    tap.close('503: too many connections, the tracker closes the connection');
  }
}

export class TrackerUdpService extends UdpLabService {
  readonly id = 'tracker-udp';
  readonly name = 'Tracker (UDP)';
  readonly protocol = TRACKER_PROTOCOL;
  readonly description = 'BitTorrent UDP tracker protocol (BEP 15): connect, announce, scrape';
  private connectionIds = new Map<string, { id: bigint; at: number }>();

  constructor(
    ctx: ServiceContext,
    port: number,
    readonly swarms: TrackerState,
  ) {
    super(ctx, port);
  }

  protected handle(flow: Flow, message: Buffer): void {
    let tx = message.length >= 16 ? message.readUInt32BE(12) : 0;
    try {
      const req = parseUdpRequest(message);
      tx = req.transactionId;
      const key = `${flow.address}:${flow.port}`;
      if (req.action === 'connect') {
        const id = randomBytes(8).readBigUInt64BE(0);
        this.connectionIds.set(key, { id, at: Date.now() });
        if (this.connectionIds.size > 50_000) this.connectionIds.delete(this.connectionIds.keys().next().value as string);
        this.reply(flow, encodeConnectResponse(tx, id));
        return;
      }
      const known = this.connectionIds.get(key);
      // BEP 15: a connection id is good for two minutes
      if (!known || known.id !== req.connectionId || Date.now() - known.at > 120_000) {
        throw new TrackerRequestError('unknown or expired connection id: send a connect request first');
      }
      if (req.action === 'announce') {
        const ip = flow.address.startsWith('::ffff:') ? flow.address.slice(7) : flow.address;
        const a = this.swarms.announceCompact({ infoHash: req.infoHash, peerId: req.peerId, ip, port: req.port, left: req.left, event: req.event, numwant: req.numwant });
        this.reply(flow, encodeAnnounceResponse(tx, a.interval, a.incomplete, a.complete, a.bytes.subarray(0, a.count * 6)));
      } else {
        this.reply(flow, encodeScrapeResponse(tx, req.infoHashes.map((h) => this.swarms.stats(h))));
      }
    } catch (err) {
      const why = err instanceof TrackerRequestError ? err.message : 'internal error';
      this.reply(flow, encodeUdpError(tx, why));
    }
  }
}

export function createTrackerServices(ctx: ServiceContext, httpPort: number, udpPort: number): [TrackerHttpService, TrackerUdpService] {
  const state = new TrackerState();
  return [new TrackerHttpService(ctx, httpPort, state), new TrackerUdpService(ctx, udpPort, state)];
}

/** The announce URL of the lab's running tracker for `protocol` (BEP 3 over HTTP, BEP 15 over UDP), or null. */
export function trackerAnnounceUrl(services: readonly { id: string; state: string; port: number }[], protocol: 'http' | 'udp'): string | null {
  const t = services.find((s) => s.id === (protocol === 'udp' ? 'tracker-udp' : 'tracker'));
  return t?.state === 'running' ? `${protocol}://127.0.0.1:${t.port}/announce` : null;
}
