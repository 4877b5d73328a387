/**
 * One FTP session's data connections (RFC 959 §3.2, RFC 2428): apart from the control
 * connection, each listing or file goes over a TCP connection of its own that closes when
 * the transfer ends. Passive (PASV/EPSV): the server listens on a fresh port at the
 * control connection's own address and takes the first connection from the client's
 * address. Active (PORT/EPRT): the server connects to the port the client named, which
 * must be on loopback and the client's own address (no FTP bounce, RFC 2577 §3).
 */
import net from 'node:net';

/** how long a transfer command waits for the client to connect (passive) or to be reached (active) */
export const DATA_WAIT_MS = 10_000;

export type DataMode = 'passive' | 'active';

export interface DataHooks {
  /** a data connection opened for `label` (the command that asked for it) */
  opened(socket: net.Socket, label: string, mode: DataMode): void;
  note(text: string): void;
}

type State =
  | { kind: 'passive'; server: net.Server; socket: net.Socket | null; wake: (() => void) | null }
  | { kind: 'active'; host: string; port: number }
  | null;

function sameHost(a: string, b: string): boolean {
  const plain = (x: string): string => x.replace(/^::ffff:/, '');
  return plain(a) === plain(b);
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^::ffff:/, '');
  return h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export class FtpDataPort {
  private state: State = null;

  constructor(
    /** the control connection's two addresses */
    private local: string,
    private remote: string,
    private hooks: DataHooks,
  ) {}

  /** a PASV/EPSV or PORT/EPRT is waiting for its transfer command */
  get ready(): boolean {
    return this.state !== null;
  }

  /** the control connection's local address: where the passive port listens */
  get localAddress(): string {
    return this.local.replace(/^::ffff:/, '');
  }

  /** Listen for the client's data connection; resolves with the port. */
  async passive(): Promise<number> {
    this.reset();
    const server = net.createServer({ pauseOnConnect: true });
    const state: Extract<State, { kind: 'passive' }> = { kind: 'passive', server, socket: null, wake: null };
    server.on('connection', (socket) => {
      socket.on('error', () => undefined);
      if (this.state !== state || state.socket || !sameHost(socket.remoteAddress ?? '', this.remote)) {
        this.hooks.note(`passive port: a connection from ${socket.remoteAddress}:${socket.remotePort} refused (not the control connection's client, or one already came)`);
        socket.destroy();
        return;
      }
      state.socket = socket;
      server.close();
      state.wake?.();
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.localAddress, () => resolve());
    });
    this.state = state;
    return (server.address() as net.AddressInfo).port;
  }

  /** PORT/EPRT: null when accepted, else why not (the session replies 501) */
  active(host: string, port: number): string | null {
    if (!isLoopback(host)) return `${host} is not a loopback address: the lab's FTP server connects only to its own machine`;
    if (!sameHost(host, this.remote) && !(isLoopback(this.remote) && net.isIPv4(host) === net.isIPv4(this.remote.replace(/^::ffff:/, '')))) {
      return `${host} is not the control connection's address`;
    }
    if (port < 1024) return `port ${port} is a privileged port (RFC 2577 §3: no bounce through well-known ports)`;
    this.reset();
    this.state = { kind: 'active', host, port };
    return null;
  }

  /** The data connection for a transfer: open (or waited for) now, then forgotten by the port.
   *  Rejects when it cannot be had (the session answers 425). */
  async open(label: string): Promise<{ socket: net.Socket; alreadyOpen: boolean }> {
    const state = this.state;
    this.state = null;
    if (!state) throw new Error('no PORT or PASV first');
    if (state.kind === 'passive') {
      const alreadyOpen = state.socket !== null;
      if (!state.socket) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, DATA_WAIT_MS);
          state.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      state.server.close();
      const socket = state.socket;
      if (!socket) throw new Error(`the client did not connect to the passive port within ${DATA_WAIT_MS / 1000} s`);
      // paused until the transfer reads (STOR pipes it; a sending transfer resumes it to see the FIN)
      socket.pause();
      this.hooks.opened(socket, label, 'passive');
      return { socket, alreadyOpen };
    }
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: state.host, port: state.port, localAddress: this.localAddress.includes(':') === state.host.includes(':') ? this.localAddress : undefined });
      s.setTimeout(DATA_WAIT_MS, () => s.destroy(new Error('timed out')));
      s.pause();
      s.once('connect', () => {
        s.setTimeout(0);
        s.removeAllListeners('error');
        s.on('error', () => undefined);
        resolve(s);
      });
      s.once('error', (err) => reject(err));
    });
    this.hooks.opened(socket, label, 'active');
    return { socket, alreadyOpen: false };
  }

  /** forget a prepared port (a new PASV/PORT, the session's end) */
  reset(): void {
    const s = this.state;
    this.state = null;
    if (s?.kind === 'passive') {
      s.server.close();
      s.socket?.destroy();
      s.wake?.();
    }
  }
}
