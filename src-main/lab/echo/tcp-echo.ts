/**
 * TCP uppercase echo (Kurose & Ross §2.7.2, TCPServer.py). Two modes:
 *  - textbook: read one sentence (one recv(1024)), send it back in capitals, close;
 *  - persistent: keep the connection, uppercase everything until the client closes.
 *
 * echo/ is the socket chapter's servers: this one, the UDP echo and the uppercasing they share.
 */
import type { EchoMode, ServiceConfig, ServiceInfo } from '../api';
import type { TcpTap } from '../capture/tcp-tap';
import { TcpLabService } from '../services/tcp-service';
import { TEXTBOOK_RECV_SIZE, uppercase } from './uppercase';

const IDLE_MS = { textbook: 60_000, persistent: 600_000 };

export class TcpEchoService extends TcpLabService {
  readonly id = 'echo-tcp';
  readonly name = 'Echo (TCP)';
  readonly protocol = 'echo';
  readonly description = "Uppercase echo over TCP, as the socket chapter's TCPServer";
  mode: EchoMode = 'textbook';
  /** the mode each connection was accepted in: a change applies to new connections */
  private modes = new WeakMap<TcpTap, { mode: EchoMode; answered: boolean }>();

  protected override applyOptions(config: ServiceConfig): void {
    if (config.mode) this.mode = config.mode;
  }

  override info(): ServiceInfo {
    return { ...super.info(), mode: this.mode };
  }

  protected accept(tap: TcpTap): void {
    const mode = this.mode;
    this.modes.set(tap, { mode, answered: false });
    tap.socket.setTimeout(IDLE_MS[mode], () =>
      tap.destroy(`idle for ${IDLE_MS[mode] / 1000} s: connection closed by the server`),
    );
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    const state = this.modes.get(tap);
    if (!state) return;
    if (state.mode === 'persistent') {
      // a client that sends without reading is no longer read past the tap's backlog (TcpTap.regulate)
      tap.send(uppercase(chunk));
      return;
    }
    if (state.answered) return;
    state.answered = true;
    if (chunk.length > TEXTBOOK_RECV_SIZE) {
      this.ctx.store.note(
        tap.conn,
        'c2s',
        `the textbook server reads once, at most ${TEXTBOOK_RECV_SIZE} bytes (recv(1024)): ${chunk.length - TEXTBOOK_RECV_SIZE} bytes left unread`,
      );
    }
    tap.send(uppercase(chunk.subarray(0, TEXTBOOK_RECV_SIZE)));
    tap.end('textbook mode: one sentence answered, the server closes the connection');
  }
}
