/**
 * FTP on port 2121 (RFC 959 with RFC 2428; 21 needs root): port 21 of every lab host in the
 * lab internet (`ftp www.someschool.edu` in the terminal), the lab users' homes and a public
 * area for anonymous, in the data directory. Passive data ports are chosen free at the
 * control connection's address; active data connections go out to the client's port.
 *
 * ftp/ is FTP: this listener, the per-session state machine (ftp-session), its data
 * connections (ftp-data), the files (ftp-files), the capture's framer and decoders.
 */
import { registerDecoder } from '../capture/decoders';
import type { TcpTap } from '../capture/tcp-tap';
import { LoginThrottle } from '../mail/login-throttle';
import { MailDirectory } from '../mail/users';
import type { ServiceContext } from '../services/service';
import { TcpLabService } from '../services/tcp-service';
import { captureDataConnection } from './ftp-data-capture';
import { FtpDataPort } from './ftp-data';
import { FTP_DATA_PROTOCOL, FTP_PROTOCOL, ftpDataDecoder, ftpDecoder } from './ftp-decoder';
import { FtpFiles, ftpRoots, seedPublicArea } from './ftp-files';
import { FtpFramer } from './ftp-framer';
import { FtpSession } from './ftp-session';

registerDecoder(FTP_PROTOCOL, ftpDecoder);
registerDecoder(FTP_DATA_PROTOCOL, ftpDataDecoder);

/** the textbook's FTP control port, in the lab internet */
export const FTP_VIRTUAL_PORT = 21;
/** vsftpd's idle_session_timeout: 300 s */
const IDLE_MS = 5 * 60_000;
/** a command line must be complete this long after its first byte (slowloris) */
const LINE_MS = 60_000;
const MAX_SESSIONS = 64;
const MAX_QUEUED = 64;
/** the largest file a STOR may leave (the benchmark's RETR file is 100 MiB) */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
const ANONYMOUS = new Set(['anonymous', 'ftp']);

export class FtpService extends TcpLabService {
  readonly id = 'ftp';
  readonly name = 'FTP';
  readonly protocol = FTP_PROTOCOL;
  readonly description = 'File transfer (RFC 959): control here, data on connections of their own; `user alice`, `pass hungry`, or anonymous';
  protected override framer = (): FtpFramer => new FtpFramer();
  protected override allowHalfOpen = false;
  protected override noDelay = true;
  protected override lines = true;
  protected override idleMs = IDLE_MS;
  protected override requestMs = LINE_MS;
  protected override maxConnections = MAX_SESSIONS;
  /** STOR's limit: an upload over it is discarded with 452 */
  maxFileBytes = DEFAULT_MAX_FILE_BYTES;
  private sessions = new WeakMap<TcpTap, FtpSession>();
  private users: MailDirectory | null = null;
  private throttle = new LoginThrottle();
  private withdraw: (() => void) | null = null;

  constructor(ctx: ServiceContext, port: number) {
    super(ctx, port);
  }

  protected override async listen(): Promise<void> {
    this.users ??= MailDirectory.load(this.ctx.resourcesDir);
    await seedPublicArea(this.ctx.dataDir);
    await super.listen();
    this.withdraw?.();
    this.withdraw = this.ctx.internet.addRoute({ virtualAddress: '*', virtualPort: FTP_VIRTUAL_PORT, realPort: this.port, service: this.id });
  }

  protected override close(): Promise<void> {
    this.withdraw?.();
    this.withdraw = null;
    return super.close();
  }

  /** USER/PASS: a lab user (alice, bob@hamburger.edu) gets a home; anonymous the public area */
  private async login(user: string, password: string): Promise<FtpFiles | null> {
    const roots = ftpRoots(this.ctx.dataDir);
    if (ANONYMOUS.has(user.toLowerCase())) return new FtpFiles(this.ctx.dataDir, roots.pub, false);
    const account = this.users?.login(user);
    if (!account || account.password !== password) return null;
    const files = new FtpFiles(this.ctx.dataDir, roots.home(account.address), true);
    await files.ensureRoot();
    return files;
  }

  protected accept(tap: TcpTap): void {
    const socket = tap.socket;
    const data = new FtpDataPort(socket.localAddress ?? '127.0.0.1', socket.remoteAddress ?? '127.0.0.1', {
      opened: (s, label, mode) => captureDataConnection(this.ctx.store, this.ctx.names, tap.conn, s, label, mode),
      note: (text) => tap.note(text),
    });
    const session = new FtpSession(
      {
        login: (u, p) => this.login(u, p),
        logins: this.throttle.guard(socket.remoteAddress ?? tap.conn.client.address),
        maxFileBytes: () => this.maxFileBytes,
      },
      data,
      { send: (d) => tap.send(d), close: (reason) => tap.close(reason), note: (text) => tap.note(text) },
    );
    this.sessions.set(tap, session);
    tap.regulate(() => session.queued, MAX_QUEUED);
    socket.on('close', () => session.ended());
    session.greet();
  }

  /** the control connection is quiet while a long transfer runs: that is not idleness */
  protected override idle(tap: TcpTap): void {
    if (this.sessions.get(tap)?.busy) {
      tap.givenUpAt = 0;
      tap.quietSince = Date.now();
      return;
    }
    tap.send(`421 Timeout: no command for ${this.idleMs / 1000} s, closing control connection.\r\n`);
    tap.close(`idle for ${this.idleMs / 1000} s: the server closes the control connection`);
  }

  protected override slow(tap: TcpTap): void {
    this.sessions.get(tap)?.ended();
    tap.send(`421 Command line not completed within ${this.requestMs / 1000} s, closing control connection.\r\n`);
    tap.close(`a command line not complete ${this.requestMs / 1000} s after its first byte (slowloris guard)`);
  }

  protected override refuse(tap: TcpTap): void {
    tap.send('421 Too many connections, service not available; try again later.\r\n');
    tap.close('421: too many connections, the server closes the connection');
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    this.sessions.get(tap)?.receive(chunk);
  }
}
