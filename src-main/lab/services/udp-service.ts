/**
 * A lab service that listens on UDP. UDP has no connections; the capture groups datagrams
 * into flows by client address and port. Link emulation may lose, delay or reorder
 * datagrams in either direction; each loss is a note in the capture.
 */
import type dgram from 'node:dgram';
import { LinkDirection, later } from '../link/link';
import { listenAddresses } from './addresses';
import { LabService } from './service';
import { UdpSockets } from './udp-sockets';
import { UdpFlows, type Flow } from './udp-flows';

export type { Flow };

export abstract class UdpLabService extends LabService {
  readonly transport = 'udp' as const;
  private sockets: UdpSockets | null = null;
  private flows = new UdpFlows(this.ctx, this);
  private inbound = new LinkDirection(() => this.link);
  private outbound = new LinkDirection(() => this.link);

  connectionCount(): number {
    return 0;
  }

  /** A datagram that came through the link from a client. */
  protected abstract handle(flow: Flow, message: Buffer): void;

  /** Answer a client through the link. */
  protected reply(flow: Flow, message: Buffer): void {
    const socket = this.sockets?.socketFor(flow.address) ?? null;
    const verdict = this.outbound.datagram(message.length);
    if (!verdict.deliver) {
      this.ctx.store.traffic.of(this.id).outDiscards++;
      this.ctx.store.note(flow.conn, 's2c', `reply ${verdict.reason}`, message);
      return;
    }
    // an unemulated link delivers at once: no closure per datagram
    if (verdict.afterMs > 0) later(verdict.afterMs, () => this.sent(socket, flow, message));
    else this.sent(socket, flow, message);
  }

  private sent(socket: dgram.Socket | null, flow: Flow, message: Buffer): void {
    if (!socket || this.sockets?.socketFor(flow.address) !== socket) return;
    this.ctx.store.record({ conn: flow.conn, dir: 's2c', kind: 'message', bytes: message });
    socket.send(message, flow.port, flow.address);
  }

  protected async listen(): Promise<void> {
    const sockets = new UdpSockets((msg, rinfo) => this.receive(msg, rinfo));
    this.sockets = sockets;
    this.port = await sockets.bind(this.port, listenAddresses(this.ctx.bindAddress)); // port 0: the system chose one
    this.addresses = sockets.addresses;
  }

  protected close(): Promise<void> {
    const sockets = this.sockets;
    this.sockets = null;
    this.flows.endAll();
    return sockets ? sockets.close() : Promise.resolve();
  }

  protected forgetFlow(flow: Flow): void {
    this.flows.end(flow);
  }

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const flow = this.flows.get(rinfo.address, rinfo.port);
    const verdict = this.inbound.datagram(msg.length);
    if (!verdict.deliver) {
      this.ctx.store.traffic.of(this.id).inDiscards++;
      this.ctx.store.note(flow.conn, 'c2s', `datagram ${verdict.reason}`, msg);
      return;
    }
    if (verdict.afterMs > 0) later(verdict.afterMs, () => this.delivered(flow, msg));
    else this.delivered(flow, msg);
  }

  private delivered(flow: Flow, msg: Buffer): void {
    if (!this.sockets) return;
    this.ctx.store.record({ conn: flow.conn, dir: 'c2s', kind: 'message', bytes: msg });
    this.handle(flow, msg);
  }
}
