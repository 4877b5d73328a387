/**
 * A lab peer's side of the UDP tracker protocol (BEP 15): connect for a connection id, then
 * announce with it, each request carrying a fresh transaction id the answer must echo.
 * UDP may lose either datagram, so a request unanswered after 15·2^n seconds (n = 0…8) is
 * sent again (scaled by the swarm's time factor); a connection id is reused for a minute.
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { parseCompactPeers } from './announce';
import { encodeAnnounceRequest, encodeConnectRequest } from './udp-packets';
import type { AnnounceReply, AnnounceRequest } from './announce-request';

/** BEP 15: "If a response is not received after 15 * 2 ^ n seconds, the client should retransmit" */
export const RETRY_BASE_S = 15;
export const MAX_RETRIES = 8;
/** BEP 15: a client may use a connection id for one minute after receiving it */
const CONNECTION_ID_S = 60;
const ACTION_CONNECT = 0;
const ACTION_ANNOUNCE = 1;
const ACTION_ERROR = 3;
const EVENT_CODES: Record<AnnounceRequest['event'], 'update' | 'started' | 'completed' | 'stopped'> = { '': 'update', started: 'started', completed: 'completed', stopped: 'stopped' };

export class UdpTrackerError extends Error {}

export interface UdpTrackerOptions {
  /** scenario seconds run this many times faster (the 15 s retry becomes 15/timeFactor s) */
  timeFactor: number;
  /** retransmissions before giving up (BEP 15 allows n up to 8) */
  maxRetries?: number;
}

/** 15·2^n seconds, scaled: how long to wait for the answer to attempt n. */
export function retryDelayMs(n: number, timeFactor: number): number {
  return (RETRY_BASE_S * 2 ** n * 1000) / timeFactor;
}

export function parseUdpTrackerUrl(url: string): { host: string; port: number } {
  const m = /^udp:\/\/([^/:]+):(\d{1,5})(\/.*)?$/.exec(url);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new UdpTrackerError(`not a UDP tracker URL: ${url}`);
  return { host: m[1], port: Number(m[2]) };
}

/** One peer's UDP tracker client: one socket on the peer's address, one request at a time. */
export class UdpTrackerClient {
  private socket: dgram.Socket | null = null;
  private connection: { id: bigint; until: number } | null = null;
  private waiting: { tx: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;
  private closed = false;
  /** requests go one after the other (each waits for its answer or gives up) */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private localAddress: string,
    private options: UdpTrackerOptions,
  ) {}

  announce(r: AnnounceRequest, maxRetries = this.options.maxRetries ?? MAX_RETRIES): Promise<AnnounceReply> {
    const next = this.chain.then(() => this.announceNow(r, maxRetries));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async announceNow(r: AnnounceRequest, maxRetries: number, again = false): Promise<AnnounceReply> {
    const target = parseUdpTrackerUrl(r.url);
    const reused = this.connection !== null && Date.now() < this.connection.until;
    const connectionId = await this.connectionId(target, maxRetries);
    const tx = randomBytes(4).readUInt32BE(0);
    const request = encodeAnnounceRequest({
      connectionId,
      transactionId: tx,
      infoHash: r.infoHash.toString('hex'),
      peerId: r.peerId,
      downloaded: r.downloaded,
      left: r.left,
      uploaded: r.uploaded,
      event: EVENT_CODES[r.event],
      ip: 0, // the tracker uses the datagram's source address
      key: 0,
      numwant: r.numwant,
      port: r.port,
    });
    const reply = await this.exchange(target, request, tx, maxRetries);
    const action = reply.readUInt32BE(0);
    if (action === ACTION_ERROR) {
      this.connection = null;
      // the tracker may have forgotten a connection id we reused (it restarted, or its clock runs
      // faster than ours): connect again and announce once more before calling it a failure
      if (reused && !again) return this.announceNow(r, maxRetries, true);
      return { failure: reply.subarray(8, 308).toString('utf8') };
    }
    if (action !== ACTION_ANNOUNCE || reply.length < 20) throw new UdpTrackerError(`unexpected answer to an announce (action ${action}, ${reply.length} bytes)`);
    return { peers: parseCompactPeers(reply.subarray(20)) };
  }

  close(): void {
    this.closed = true;
    this.waiting?.reject(new UdpTrackerError('the peer closed its tracker client'));
    this.socket?.close();
    this.socket = null;
  }

  private async connectionId(target: { host: string; port: number }, maxRetries: number): Promise<bigint> {
    if (this.connection && Date.now() < this.connection.until) return this.connection.id;
    const tx = randomBytes(4).readUInt32BE(0);
    const reply = await this.exchange(target, encodeConnectRequest(tx), tx, maxRetries);
    const action = reply.readUInt32BE(0);
    if (action === ACTION_ERROR) throw new UdpTrackerError(`tracker refused to connect: ${reply.subarray(8, 308).toString('utf8')}`);
    if (action !== ACTION_CONNECT || reply.length < 16) throw new UdpTrackerError(`unexpected answer to a connect (action ${action}, ${reply.length} bytes)`);
    const id = reply.readBigUInt64BE(8);
    this.connection = { id, until: Date.now() + (CONNECTION_ID_S * 1000) / this.options.timeFactor };
    return id;
  }

  /** Send, wait 15·2^n s (scaled) for the datagram echoing `tx`, resend; give up after maxRetries. */
  private async exchange(target: { host: string; port: number }, request: Buffer, tx: number, maxRetries: number): Promise<Buffer> {
    const socket = await this.open();
    if (this.waiting) throw new UdpTrackerError('a tracker request is already in flight');
    return new Promise<Buffer>((resolve, reject) => {
      let attempt = 0;
      let timer: NodeJS.Timeout | null = null;
      const finish = (err: Error | null, b?: Buffer): void => {
        if (timer) clearTimeout(timer);
        if (this.waiting?.tx === tx) this.waiting = null;
        if (err) reject(err);
        else resolve(b!);
      };
      this.waiting = { tx, resolve: (b) => finish(null, b), reject: (e) => finish(e) };
      const send = (): void => {
        if (this.closed) return finish(new UdpTrackerError('the peer closed its tracker client'));
        socket.send(request, target.port, target.host, (err) => err && finish(err));
        timer = setTimeout(() => {
          if (attempt >= maxRetries) return finish(new UdpTrackerError(`no answer from the tracker after ${attempt + 1} tries`));
          attempt++;
          send();
        }, retryDelayMs(attempt, this.options.timeFactor));
        timer.unref();
      };
      send();
    });
  }

  private open(): Promise<dgram.Socket> {
    if (this.closed) return Promise.reject(new UdpTrackerError('the peer closed its tracker client'));
    if (this.socket) return Promise.resolve(this.socket);
    const socket = dgram.createSocket('udp4');
    this.socket = socket;
    socket.on('message', (msg) => {
      // an answer is at least action + transaction id, and must echo ours (BEP 15)
      if (msg.length < 8 || !this.waiting || msg.readUInt32BE(4) !== this.waiting.tx) return;
      this.waiting.resolve(msg);
    });
    socket.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, this.localAddress, () => {
        socket.off('error', reject);
        resolve(socket);
      });
    });
  }
}
