/**
 * IMAP on port 1143 (RFC 3501; 143 needs root): every lab user's folders on the same
 * Maildirs POP3 reads and the MX servers deliver into. In the lab terminal, mail.<domain>
 * port 143 reaches it, as port 110 reaches POP3.
 *
 * mail/imap/ is IMAP: this listener, the session (imap-session, imap-selected), the folders
 * on disk (imap-folders), the message views (imap-message, imap-fetch, imap-search), and
 * the capture's framer and decoder.
 */
import path from 'node:path';
import { registerDecoder } from '../../capture/decoders';
import { upgradeToTls } from '../../tls/server-tls';
import type { TcpTap } from '../../capture/tcp-tap';
import { MailAccessService } from '../mail-access';
import { imapDecoder } from './imap-decoder';
import { Folders } from './imap-folders';
import { ImapFramer } from './imap-framer';
import { ImapSession, type ImapStore } from './imap-session';

registerDecoder('imap', imapDecoder);

/** RFC 3501 §5.4: an autologout timer of at least 30 minutes (IDLE clients re-issue it every 29) */
const IDLE_MS = 30 * 60_000;
/** pipelined commands waiting for their completions before the server stops reading */
const MAX_QUEUED = 64;

export class ImapService extends MailAccessService {
  readonly id = 'imap';
  readonly name = 'IMAP';
  readonly protocol = 'imap';
  readonly description = "Mail access with folders kept on the server (RFC 3501): `a1 login bob hungry`, `a2 select INBOX`";
  protected override framer = (): ImapFramer => new ImapFramer();
  protected readonly virtualPort = 143;
  protected override idleMs = IDLE_MS;
  private sessions = new Map<TcpTap, ImapSession>();
  private folders = new Map<string, Folders>();

  protected override async listen(): Promise<void> {
    await super.listen();
    // a delivery (SMTP), a POP3 QUIT or another IMAP session changed a mailbox: idling clients hear it
    this.withdraw.push(
      this.mail.onChange((change) => {
        if (!change.mailbox) return;
        for (const s of this.sessions.values()) if (s.account?.address === change.mailbox) void s.notify();
      }),
    );
  }

  protected override async close(): Promise<void> {
    await super.close();
    this.sessions.clear();
  }

  /** one Folders per user, shared by its sessions: one operation at a time per folder */
  private foldersOf(address: string): Folders {
    let f = this.folders.get(address);
    const user = this.mail.directory.user(address);
    if (!f) {
      const root = this.mail.maildir.boxDir(user?.domain ?? '', user?.local ?? '');
      f = new Folders(root, { base: path.dirname(this.mail.maildir.root), scope: root });
      this.folders.set(address, f);
    }
    return f;
  }

  private store(tap: TcpTap): ImapStore {
    return {
      login: (name) => this.mail.directory.login(name),
      folders: (address) => this.foldersOf(address),
      changed: (address) => this.mail.changedMailbox(address),
      logins: this.mail.logins.guard(tap.socket.remoteAddress ?? tap.conn.client.address),
    };
  }

  protected accept(tap: TcpTap): void {
    const session = new ImapSession(this.store(tap), {
      send: (data) => tap.send(data),
      close: (reason) => tap.close(reason),
      note: (text) => tap.note(text),
      ready: () => (tap.congested ? new Promise<void>((r) => tap.whenWritable(r)) : undefined),
      startTls: () => upgradeToTls(tap, this.ctx),
    });
    this.sessions.set(tap, session);
    tap.regulate(() => session.queued, MAX_QUEUED);
    tap.socket.on('end', () => tap.close('the client closed its side: the server closes too'));
    tap.socket.on('close', () => {
      session.closed();
      this.sessions.delete(tap);
    });
    session.greet();
  }

  protected override idle(tap: TcpTap): void {
    tap.send('* BYE autologout: idle for 30 minutes\r\n');
    tap.close(`idle for ${this.idleMs / 1000} s: autologout, nothing lost`);
  }

  protected override slow(tap: TcpTap): void {
    this.sessions.get(tap)?.closed();
    tap.send(`* BYE command line not completed within ${this.requestMs / 1000} s\r\n`);
    tap.close(`a command line not complete ${this.requestMs / 1000} s after its first byte (slowloris guard)`);
  }

  protected override refuse(tap: TcpTap): void {
    tap.send('* BYE [UNAVAILABLE] too many connections, try again later\r\n');
    tap.close('* BYE: too many connections, the server closes the connection');
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    this.sessions.get(tap)?.receive(chunk);
  }
}
