/**
 * A lab BitTorrent peer on real TCP sockets: announces to the tracker, dials the peers it
 * is given, accepts others, fetches pieces (picker.ts) and decides whom to serve
 * (choker.ts), verifying every piece by SHA-1. Its access link is two rate queues (upload
 * shared by all its connections, download likewise), so u_i and d_i hold as in §2.5.1.
 */
import net from 'node:net';
import { TcpTap } from '../capture/tcp-tap';
import { blockKey, listen, PeerConnection, type BlockRef, type ConnectionOwner } from './connection';
import { PieceFetcher } from './piece-fetcher';
import { newPeerId } from './peer-spec';
import { RateQueue } from './rate';
import { pieceSize, sha1 } from './torrent';
import { TrackerClient } from './tracker/tracker-client';
import { UploadSlots } from './upload-slots';
import type { TapContext } from '../capture/tcp-tap';
import type { PeerConfig } from './peer-config';
export type { PeerConfig, PeerEvents } from './peer-config';
import { bitfieldFrom, bitfieldTo, MAX_BLOCK, WireError, type WireMessage } from './wire';

/** neighbours a peer dials (BitTorrent clients keep a few dozen; each costs two descriptors) */
const MAX_DIAL = 30;
const MAX_BAD_PIECES = 2;
const DOWNLOAD_BACKLOG = 512 * 1024;

export class LabPeer implements ConnectionOwner {
  readonly peerId: Buffer;
  readonly numPieces: number;
  readonly infoHash: Buffer;
  readonly have: boolean[];
  haveCount = 0;
  readonly data: Buffer;
  port = 0;
  startedAt = 0;
  completedAt: number | null = null;
  stoppedAt: number | null = null;
  badPieces = 0;
  conns = new Set<PeerConnection>();
  /** payload bytes over connections already closed (the open ones keep their own counts) */
  private closedUp = 0;
  private closedDown = 0;
  /** bytes uploaded to each neighbour (by peer id hex) while this peer was still downloading */
  uploadedWhileLeeching = new Map<string, number>();
  /** block bytes uploaded to each neighbour (by peer id hex), over the peer's whole life */
  uploadedTo = new Map<string, number>();
  /** whom this peer serves: tit-for-tat rounds and the slots given between them */
  readonly slots: UploadSlots;
  private fetcher: PieceFetcher;
  private badFrom = new Map<string, number>();
  private upload: RateQueue;
  private download: RateQueue;
  private server: net.Server | null = null;
  private timers: NodeJS.Timeout[] = [];
  /** host:port of each neighbour dialled, from the dial until the connection closes */
  private dialing = new Set<string>();
  /** dials not yet connected */
  private pendingDials = 0;
  private stopped = false;
  private tracker: TrackerClient;
  announceUrl = '';

  constructor(readonly config: PeerConfig) {
    const { meta } = config;
    this.peerId = config.peerId ?? newPeerId();
    this.numPieces = meta.pieceHashes.length;
    this.infoHash = meta.infoHash;
    this.data = config.data ? Buffer.from(config.data) : Buffer.alloc(meta.length);
    this.have = new Array<boolean>(this.numPieces).fill(!!config.data);
    this.haveCount = config.data ? this.numPieces : 0;
    this.fetcher = new PieceFetcher({
      meta,
      strategy: config.strategy,
      random: config.random,
      data: this.data,
      have: this.have,
      verified: (i) => this.verified(i),
      failed: (i, senders) => this.failed(i, senders),
    });
    // a seed's link serves first the requests of the neighbour it has given least (its turns,
    // upload-slots.ts); a leecher's, in the order they came
    this.upload = new RateQueue(config.uploadRate, undefined, (j) => (this.seeding ? this.slots.served(j.tag as PeerConnection) : 0));
    this.download = new RateQueue(config.downloadRate);
    this.onWire = config.wire;
    this.tracker = new TrackerClient(this.host, config.timeFactor);
    this.slots = new UploadSlots(this);
  }

  get name(): string {
    return this.config.name;
  }
  get host(): string {
    return this.config.host ?? '127.0.0.1';
  }
  get seeding(): boolean {
    return this.haveCount === this.numPieces;
  }

  async start(announceUrl: string): Promise<void> {
    this.announceUrl = announceUrl;
    this.startedAt = performance.now();
    if (this.seeding) this.completedAt = this.startedAt;
    this.server = net.createServer((socket) => this.adopt(socket, false));
    this.port = await listen(this.server, this.config.port ?? 0, this.host);
    const tf = this.config.timeFactor;
    this.timers.push(setInterval(() => this.slots.rechokeRound(), 10_000 / tf));
    this.timers.push(setInterval(() => void this.announce(''), 30_000 / tf));
    // BEP 3: a keep-alive every two minutes keeps a quiet connection open (one that carried
    // nothing since the last round; a busy one needs none)
    this.timers.push(
      setInterval(() => {
        for (const c of this.conns) {
          if (c.remoteId && !c.sentSince) c.send({ type: 'keep-alive' });
          c.sentSince = false;
        }
      }, 120_000 / tf),
    );
    for (const t of this.timers) t.unref();
    await this.announce('started');
  }

  /** Leave the swarm: politely (tell the tracker) or abruptly (churn: sockets just close). */
  async stop(abrupt = false): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stoppedAt = performance.now();
    for (const t of this.timers) clearInterval(t);
    this.upload.close();
    this.download.close();
    for (const c of this.conns) c.close(abrupt ? 'peer left abruptly' : 'peer left the swarm');
    this.server?.close();
    if (!abrupt) await this.announce('stopped').catch(() => undefined);
    this.tracker.close();
  }

  connect(host: string, port: number): void {
    const key = `${host}:${port}`;
    // dials still under way count: a tracker's 50 addresses are not 50 sockets at once
    if (this.stopped || (port === this.port && host === this.host) || this.dialing.has(key) || this.conns.size + this.pendingDials >= this.dialLimit) return;
    this.dialing.add(key);
    this.pendingDials++;
    let pending = true;
    const settle = (): void => {
      if (pending) this.pendingDials--;
      pending = false;
    };
    const socket = net.connect({ host, port, localAddress: this.host });
    socket.once('connect', () => {
      settle();
      this.adopt(socket, true, this.config.dialTap?.(host, port) ?? null);
    });
    socket.once('error', () => undefined);
    socket.once('close', () => {
      settle();
      this.dialing.delete(key);
    });
  }

  /** A leecher dials a few dozen neighbours. A peer that starts with the whole file — the server
   *  of §2.5.1, there to hand it out — dials as many as it would accept: a leecher that never
   *  meets it starts with only the pieces others already hold, nobody's tit-for-tat favours it,
   *  and it trails the swarm to the end (in 50-peer runs the last to finish was always one). */
  private get dialLimit(): number {
    const n = this.config.maxConnections ?? MAX_DIAL;
    return this.config.data ? 2 * n : n;
  }

  private adopt(socket: net.Socket, outgoing: boolean, tapContext: TapContext | null = null): void {
    // a peer dials up to MAX_DIAL neighbours and accepts twice that, so late joiners still get in
    if (this.stopped || (!outgoing && this.conns.size >= 2 * (this.config.maxConnections ?? MAX_DIAL))) {
      socket.destroy();
      return;
    }
    const feed = (chunk: Buffer): void => {
      this.download.push({
        size: chunk.length,
        tag: c,
        run: () => {
          c.receive(chunk);
          if (this.download.queuedBytes < DOWNLOAD_BACKLOG / 2) this.resumeReaders();
        },
      });
      if (this.download.queuedBytes > DOWNLOAD_BACKLOG && !socket.isPaused()) {
        socket.pause();
        this.paused.add(socket);
      }
    };
    // a neighbour outside the lab: the bytes pass through a client-side capture tap both ways
    const tap = tapContext ? new TcpTap(socket, tapContext, feed) : null;
    if (!tap) socket.on('data', feed);
    const c = new PeerConnection(socket, outgoing, this, tap ? (bytes) => tap.send(bytes) : undefined);
    this.conns.add(c);
  }

  // ---------- ConnectionOwner ----------

  onWire: ConnectionOwner['onWire'];

  onHandshake(c: PeerConnection, remoteId: Buffer, infoHash: Buffer): void {
    if (!infoHash.equals(this.infoHash)) throw new WireError(`handshake for another torrent (info_hash ${infoHash.toString('hex').slice(0, 8)}…)`);
    if (remoteId.equals(this.peerId)) throw new WireError('connected to itself');
    for (const other of this.conns) {
      if (other !== c && other.remoteId?.equals(remoteId)) {
        // both dialled each other: both sides keep the connection the smaller peer id dialled
        const dialer = (x: PeerConnection): Buffer => (x.outgoing ? this.peerId : remoteId);
        if (Buffer.compare(dialer(other), dialer(c)) <= 0) throw new WireError('duplicate connection');
        other.close('duplicate connection');
      }
    }
    if (!c.outgoing) c.sendHandshake();
    if (this.haveCount > 0) c.send({ type: 'bitfield', bits: bitfieldFrom(this.have) });
  }

  onMessage(c: PeerConnection, m: WireMessage): void {
    switch (m.type) {
      case 'bitfield': {
        const had = c.has;
        c.has = bitfieldTo(m.bits, this.numPieces);
        c.has.forEach((h, i) => {
          if (h && !had[i]) this.fetcher.availability[i]++;
        });
        this.updateInterest(c);
        this.fetcher.fill(c);
        return;
      }
      case 'have': {
        if (c.has[m.index]) return;
        c.has[m.index] = true;
        this.fetcher.availability[m.index]++;
        if (!this.have[m.index] && !c.amInterested) c.send({ type: 'interested' });
        this.fetcher.fill(c);
        return;
      }
      case 'choke':
        c.peerChoking = true;
        this.fetcher.release(c);
        return;
      case 'unchoke':
        c.peerChoking = false;
        this.fetcher.fill(c);
        return;
      case 'interested':
        c.peerInterested = true;
        this.slots.interested(c);
        return;
      case 'not-interested':
        c.peerInterested = false;
        this.slots.notInterested(c);
        return;
      case 'request':
        return this.serve(c, m);
      case 'cancel':
        this.upload.cancel((j) => j.tag === c && (j as { key?: number }).key === blockKey(m));
        return;
      case 'piece':
        return this.fetcher.received(c, m);
      default:
        return;
    }
  }

  /** the SHA-1 of what it holds, hex (the whole file once complete) */
  dataSha1(): string {
    return sha1(this.data).toString('hex');
  }

  /** payload bytes sent and received over the peer's whole life */
  totals(): { up: number; down: number } {
    let up = this.closedUp;
    let down = this.closedDown;
    for (const c of this.conns) {
      up += c.totalOut;
      down += c.totalIn;
    }
    return { up, down };
  }

  onClose(c: PeerConnection, reason: string): void {
    if (!this.conns.delete(c)) return;
    this.closedUp += c.totalOut;
    this.closedDown += c.totalIn;
    c.has.forEach((h, i) => {
      if (h) this.fetcher.availability[i]--;
    });
    this.fetcher.release(c);
    this.upload.cancel((j) => j.tag === c);
    this.download.cancel((j) => j.tag === c);
    this.resumeReaders();
    if (c.remoteId) this.config.events?.dropped?.(this, c.remoteId.toString('hex'), reason);
  }

  // ---------- downloading ----------

  private updateInterest(c: PeerConnection): void {
    const wants = c.has.some((h, i) => h && !this.have[i]);
    if (wants && !c.amInterested) c.send({ type: 'interested' });
    if (!wants && c.amInterested) c.send({ type: 'not-interested' });
  }

  /** A piece passed its SHA-1 check: tell every neighbour that lacks it, and ask for more. */
  private verified(index: number): void {
    this.have[index] = true;
    this.haveCount++;
    for (const c of this.conns) {
      if (!c.remoteId) continue;
      // have suppression: a neighbour that holds the piece learns nothing from it (it never asks
      // us for it, and its interest in us does not change); in a big swarm haves are most of the
      // messages — a seed's neighbours would each get one per piece it already has
      if (!c.has[index]) c.send({ type: 'have', index });
      // holding one more piece can only end our interest in a neighbour that had it
      if (c.amInterested && c.has[index]) this.updateInterest(c);
    }
    for (const c of this.conns) this.fetcher.fill(c);
    if (this.haveCount === this.numPieces) this.completed();
  }

  /** A piece failed its SHA-1 check: count it against whoever sent its blocks. */
  private failed(index: number, senders: PeerConnection[]): void {
    this.badPieces++;
    for (const s of senders) {
      const id = s.remoteId?.toString('hex') ?? s.key;
      const n = (this.badFrom.get(id) ?? 0) + 1;
      this.badFrom.set(id, n);
      this.config.events?.badPiece?.(this, index, id);
      if (n >= MAX_BAD_PIECES) s.close(`sent ${n} pieces that failed their SHA-1 check`);
    }
  }

  private completed(): void {
    this.completedAt = performance.now();
    this.config.events?.complete?.(this);
    void this.announce('completed');
    if (this.config.afterComplete === 'leave') setTimeout(() => void this.stop(false), 0);
  }

  // ---------- uploading ----------

  private serve(c: PeerConnection, r: BlockRef): void {
    if (!this.have[r.index]) throw new WireError(`request for piece ${r.index}, which this peer does not have`);
    if (r.begin + r.length > pieceSize(this.config.meta, r.index) || r.length > MAX_BLOCK) {
      c.close(`request beyond the end of piece ${r.index} (${r.begin}+${r.length})`);
      return;
    }
    if (c.amChoking) return; // BEP 3: requests while choked are discarded
    const job = {
      size: r.length,
      tag: c,
      key: blockKey(r),
      run: () => {
        if (c.closed || c.amChoking) return;
        let block = this.data.subarray(r.index * this.config.meta.pieceLength + r.begin, r.index * this.config.meta.pieceLength + r.begin + r.length);
        if (this.config.corrupt) {
          block = Buffer.from(block);
          block[0] ^= 0xff;
        }
        const id = c.remoteHex;
        if (id) this.uploadedTo.set(id, (this.uploadedTo.get(id) ?? 0) + r.length);
        if (id && !this.seeding) this.uploadedWhileLeeching.set(id, (this.uploadedWhileLeeching.get(id) ?? 0) + r.length);
        c.send({ type: 'piece', index: r.index, begin: r.begin, block });
        this.slots.sent(c, r.length);
      },
    };
    this.upload.push(job);
  }

  dropUploads(c: PeerConnection): void {
    this.upload.cancel((j) => j.tag === c);
  }

  isOptimistic(c: PeerConnection): boolean {
    return this.slots.isOptimistic(c);
  }

  /** the readers paused while the download link's backlog was full (a set: resuming is per chunk) */
  private paused = new Set<net.Socket>();

  private resumeReaders(): void {
    if (this.paused.size === 0) return;
    for (const s of this.paused) s.resume();
    this.paused.clear();
  }

  // ---------- the tracker ----------

  async announce(event: '' | 'started' | 'completed' | 'stopped'): Promise<void> {
    if ((this.stopped && event !== 'stopped') || !this.announceUrl) return;
    const { up, down } = this.totals();
    const left = this.seeding ? 0 : Math.max(0, this.config.meta.length - this.haveCount * this.config.meta.pieceLength);
    // a regular announce is skipped while the last one is still waiting (a UDP tracker retries for long)
    if (event === '' && this.tracker.busy) return;
    try {
      const reply = await this.tracker.announce({ url: this.announceUrl, infoHash: this.infoHash, peerId: this.peerId, port: this.port, host: this.host, left, uploaded: up, downloaded: down, event, numwant: 50 });
      if ('failure' in reply) this.config.events?.log?.(this, `tracker: ${reply.failure}`);
      else if (event !== 'stopped' && !this.stopped) for (const p of reply.peers) this.connect(p.ip, p.port);
    } catch (err) {
      this.config.events?.log?.(this, `tracker unreachable: ${(err as Error).message}`);
    }
  }
}
