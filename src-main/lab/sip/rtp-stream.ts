/**
 * One softphone's media (RFC 3550): an RTP socket that sends a tone as G.711 µ-law, 20 ms
 * a packet (sequence number +1, timestamp +160 each), in talkspurts of 800 ms with 200 ms of
 * silence sent as nothing (the marker bit opens each spurt, K&R §9.3); the service's link
 * emulation decides each packet's loss and delay on the way. What arrives goes to a
 * receiver with a playout buffer (playout.ts), and every RTCP_MS a receiver report goes
 * back. The capture keeps each sender's first packets whole (recorded as they leave) and then
 * one note a second (a voice stream is 50 packets a second: the inspector summarises it).
 */
import dgram from 'node:dgram';
import type { ConnectionInfo, LinkProfile } from '../api';
import type { CaptureStore } from '../capture/store';
import { LinkDirection, later } from '../link/link';
import { decodeRtcp, decodeRtp, encodeRr, encodeRtp, isRtcp, PACKET_MS, PCMU, SAMPLES_PER_PACKET, tonePayload } from './rtp';
import { RtpReceiver, type PlayoutSettings } from './playout';

export const RTCP_MS = 5000;
/** packets kept whole in the capture at the start of each direction */
const KEEP_FIRST = 10;
const SPURT_PACKETS = 40;
const SILENT_PACKETS = 10;

export interface StreamContext {
  store: CaptureStore;
  link: () => LinkProfile;
  /** the lab's clock, ms (shared by both phones: the textbook's synchronised clocks) */
  clock: () => number;
}

export class RtpStream {
  readonly socket = dgram.createSocket('udp4');
  port = 0;
  receiver: RtpReceiver | null = null;
  private ssrc = (Math.random() * 0xffffffff) >>> 0;
  private seq = Math.floor(Math.random() * 0x8000);
  private timestamp = 0;
  private packetNo = 0;
  private timer: NodeJS.Timeout | null = null;
  private rtcpTimer: NodeJS.Timeout | null = null;
  private out: LinkDirection;
  private conn: ConnectionInfo | null = null;
  private peer: { address: string; port: number } | null = null;
  private kept = { sent: 0 };
  private lastSecond = { sent: 0, got: 0, lost: 0, late: 0 };
  private remoteSsrc = 0;
  /** the sender's timestamp origin on the lab clock: the peer's receiver reads it (same clock) */
  epoch = 0;
  peerEpoch: () => number = () => 0;
  sentPackets = 0;
  lastReport: string | null = null;
  private closed = false;

  constructor(
    private ctx: StreamContext,
    readonly label: string,
    public playout: PlayoutSettings,
    private freq: number,
  ) {
    this.out = new LinkDirection(ctx.link);
    this.socket.on('message', (msg) => this.arrived(msg));
    this.socket.on('error', () => undefined);
  }

  async open(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
    this.port = this.socket.address().port;
    return this.port;
  }

  /** start sending to the peer's address from its SDP, and receiving */
  start(peer: { address: string; port: number }, peerLabel: string): void {
    this.stopSending();
    this.peer = peer;
    this.conn = this.ctx.store.openConnection({ transport: 'udp', service: 'sip', protocol: 'rtp', client: { address: '127.0.0.1', port: this.port, name: this.label }, server: { address: peer.address, port: peer.port, name: peerLabel } });
    this.ctx.store.note(this.conn, 'none', `RTP from ${this.label} to ${peerLabel} (${peer.address}:${peer.port}): G.711 µ-law, 20 ms a packet; the first ${KEEP_FIRST} kept whole, then a note a second`);
    this.epoch = this.ctx.clock();
    this.receiver = new RtpReceiver(this.playout, 0);
    this.kept = { sent: 0 };
    const tick = (): void => {
      const due = this.epoch + (this.packetNo + 1) * PACKET_MS;
      this.sendOne();
      this.timer = setTimeout(tick, Math.max(0, due - this.ctx.clock()));
    };
    this.timer = setTimeout(tick, PACKET_MS);
    this.rtcpTimer = setInterval(() => this.sendReport(), RTCP_MS);
  }

  private sendOne(): void {
    const inSpurt = this.packetNo % (SPURT_PACKETS + SILENT_PACKETS);
    const n = this.packetNo++;
    this.timestamp = n * SAMPLES_PER_PACKET;
    if (inSpurt >= SPURT_PACKETS || !this.peer) return; // silence: nothing sent, the clock runs on
    const packet = encodeRtp({ marker: inSpurt === 0, payloadType: PCMU, seq: this.seq, timestamp: this.timestamp, ssrc: this.ssrc, payload: tonePayload(this.freq, this.timestamp) });
    this.seq = (this.seq + 1) & 0xffff;
    this.sentPackets++;
    this.lastSecond.sent++;
    this.send(packet, this.kept.sent++ < KEEP_FIRST);
  }

  private send(bytes: Buffer, record: boolean): void {
    const peer = this.peer;
    const conn = this.conn;
    if (!peer || !conn) return;
    const v = this.out.datagram(bytes.length);
    if (!v.deliver) {
      if (record) this.ctx.store.note(conn, 'c2s', `RTP ${v.reason}`, bytes);
      return;
    }
    const go = (): void => {
      if (this.closed) return;
      if (record) this.ctx.store.record({ conn, dir: 'c2s', kind: 'message', bytes });
      this.socket.send(bytes, peer.port, peer.address);
    };
    if (v.afterMs > 0) later(v.afterMs, go);
    else go();
  }

  private arrived(msg: Buffer): void {
    if (isRtcp(msg)) {
      const r = decodeRtcp(msg);
      if (typeof r !== 'string' && r.blocks[0]) {
        const b = r.blocks[0];
        this.lastReport = `${Math.round(b.fractionLost * 100)}% lost, ${b.cumulativeLost} in all, jitter ${((b.jitter / 8000) * 1000).toFixed(1)} ms`;
      }
      return; // recorded by its sender
    }
    const p = decodeRtp(msg);
    if (typeof p === 'string' || !this.receiver) return;
    this.remoteSsrc = p.ssrc;
    if (p.marker) this.receiver.talkspurt();
    const r = this.receiver.packet(p.seq, p.timestamp, p.marker, this.ctx.clock() - this.peerEpoch());
    this.lastSecond.got++;
    if (r.late) this.lastSecond.late++;
  }

  /** once a second: a point for the plot and one note in the capture */
  secondTick(): void {
    if (!this.receiver || !this.conn) return;
    this.receiver.flush();
    const pt = this.receiver.points[this.receiver.points.length - 1];
    const s = this.lastSecond;
    if (s.sent || s.got) this.ctx.store.note(this.conn, 'none', `RTP last second: ${s.sent} sent; ${s.got} received${pt ? `, ${pt.lost} lost, ${pt.late} late, jitter ${pt.jitterMs.toFixed(1)} ms, playout delay ${pt.playoutMs.toFixed(0)} ms` : ''}`);
    this.lastSecond = { sent: 0, got: 0, lost: 0, late: 0 };
  }

  private sendReport(): void {
    if (!this.receiver || !this.peer || !this.conn) return;
    const r = this.receiver.report();
    const rr = encodeRr(this.ssrc, { ssrc: this.remoteSsrc, ...r, lsr: 0, dlsr: 0 });
    this.send(rr, true);
  }

  private stopSending(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.rtcpTimer) clearInterval(this.rtcpTimer);
    this.timer = this.rtcpTimer = null;
  }

  /** the call ended: no more packets; the receiver's figures stay for the plot */
  stop(): void {
    this.stopSending();
    this.receiver?.flush();
    if (this.conn) this.ctx.store.closeConnection(this.conn);
    this.conn = null;
    this.peer = null;
    this.packetNo = 0;
  }

  close(): void {
    this.closed = true;
    this.stop();
    try {
      this.socket.close();
    } catch {
      /* closed */
    }
  }
}
