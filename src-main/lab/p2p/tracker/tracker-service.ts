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
export const TRACKER_PROTOCOL = 'bittorrent-tracker';

export class TrackerHttpService extends TcpLabService {
  readonly id = 'tracker';
  readonly name = 'Tracker (HTTP)';
  readonly protocol = TRACKER_PROTOCOL;
  readonly description = 'BitTorrent tracker: GET /announce and /scrape (BEP 3, compact peers BEP 23)';
  private buffers = new WeakMap<TcpTap, Buffer>();

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

  protected accept(_tap: TcpTap): void {}

  protected data(tap: TcpTap, chunk: Buffer): void {
    // a request usually arrives in one read: nothing is copied unless a head was cut
    const pending = this.buffers.get(tap);
    let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const head = headEnd(buf);
      if (!head) break;
      const headBytes = buf.subarray(0, head.end);
      buf = buf.subarray(head.end + head.sep);
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
    if (buf.length > MAX_HEAD_BYTES) {
      tap.send(encodeResponse({ status: 431, reason: 'Request Header Fields Too Large', body: Buffer.from(`request head over ${MAX_HEAD_BYTES} bytes\n`), contentType: 'text/plain' }, false));
      tap.end();
      this.buffers.delete(tap);
      return;
    }
    if (buf.length) this.buffers.set(tap, Buffer.from(buf));
    else if (pending) this.buffers.delete(tap);
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
