/**
 * What the lab's two HTTP listeners (the web server and the proxy) share on top of every TCP
 * service: their connections keep their own head and idle timers (408, close), so the
 * listener's idle time is only the backstop behind them, and a connection over the cap is
 * answered 503 in HTTP.
 */
import type { TcpTap } from '../capture/tcp-tap';
import { TcpLabService } from '../services/tcp-service';
import type { TcpLimits } from '../services/tcp-listener';
import { refuseConnection, silentConnectionMs, type ConnectionSettings } from './connection';

export abstract class HttpLabService extends TcpLabService {
  /** what each connection reads for every request */
  protected abstract connectionSettings(): ConnectionSettings;

  override limits(): TcpLimits {
    return { ...super.limits(), idleMs: silentConnectionMs(this.connectionSettings()) };
  }

  protected override idle(tap: TcpTap): void {
    tap.destroy(`no byte either way for ${this.limits().idleMs / 1000} s: dropped`);
  }

  protected override refuse(tap: TcpTap): void {
    refuseConnection(tap, this.connectionSettings());
  }
}
