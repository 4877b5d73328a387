/**
 * The lab's link in front of a user's server program. The program listens on a private
 * port; clients reach it through these relays (TCP and UDP, port 12001 by default), so its
 * traffic crosses a lab socket, is captured and can be given a link profile like any service.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { BACKLOG_HIGH, type TcpTap } from '../capture/tcp-tap';
import { TcpLabService } from '../services/tcp-service';
import { UdpLabService, type Flow } from '../services/udp-service';

export const PROGRAM_RELAY_PORT = 12001;

export class TcpProgramRelay extends TcpLabService {
  readonly id = 'program-tcp';
  readonly name = 'Your TCP server';
  readonly protocol = 'echo';
  readonly description = 'The lab link in front of the TCP server program you run from the editor';
  protected override allowHalfOpen = true;
  backendPort = 0;
  private upstream = new WeakMap<TcpTap, net.Socket>();

  protected accept(tap: TcpTap): void {
    const up = net.connect(this.backendPort, '127.0.0.1');
    this.upstream.set(tap, up);
    // and the program does not read what the client sends: stop reading the client
    tap.regulate(() => up.writableLength, BACKLOG_HIGH);
    up.on('drain', () => tap.check());
    up.on('data', (d: Buffer) => {
      tap.send(d);
      // the client does not read what the program sends: hold the program back, not the lab's memory
      if (tap.congested && !up.isPaused()) {
        up.pause();
        tap.whenWritable(() => up.resume());
      }
    });
    up.on('end', () => tap.end());
    up.on('error', (err: NodeJS.ErrnoException) =>
      tap.destroy(
        err.code === 'ECONNREFUSED'
          ? 'your server program is not accepting connections (is it running? did it crash?)'
          : `your server program: ${err.message}`,
      ),
    );
    tap.socket.on('end', () => up.end());
    tap.socket.on('close', () => up.destroy());
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    this.upstream.get(tap)?.write(chunk);
  }
}

export class UdpProgramRelay extends UdpLabService {
  readonly id = 'program-udp';
  readonly name = 'Your UDP server';
  readonly protocol = 'echo';
  readonly description = 'The lab link in front of the UDP server program you run from the editor';
  backendPort = 0;
  private upstream = new Map<Flow, dgram.Socket>();

  protected handle(flow: Flow, message: Buffer): void {
    let up = this.upstream.get(flow);
    if (!up) {
      up = dgram.createSocket('udp4');
      up.on('message', (reply) => this.reply(flow, reply));
      up.on('error', () => this.ctx.store.note(flow.conn, 'none', 'your server program is not receiving (is it running?)'));
      this.upstream.set(flow, up);
    }
    up.send(message, this.backendPort, '127.0.0.1');
  }

  protected override close(): Promise<void> {
    for (const up of this.upstream.values()) up.close();
    this.upstream.clear();
    return super.close();
  }
}
