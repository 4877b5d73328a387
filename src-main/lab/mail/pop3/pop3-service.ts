/**
 * POP3 on port 1110 (RFC 1939; 110 needs root): every lab user's maildrop, read from the
 * Maildirs the MX servers deliver into. In the lab terminal, mail.<domain> port 110 reaches it.
 *
 * mail/pop3/ is POP3: this listener, the per-connection state machine (pop3-session), the
 * capture's framer and decoder. The Maildirs it reads are the mail system's, in mail/.
 */
import { registerDecoder } from '../../capture/decoders';
import type { TcpTap } from '../../capture/tcp-tap';
import { MailAccessService } from '../mail-access';
import type { MaildirFile } from '../maildir';
import { pop3Decoder } from './pop3-decoder';
import { Pop3Framer } from './pop3-framer';
import { Pop3Session, type Pop3Store } from './pop3-session';
import { upgradeToTls } from '../../tls/server-tls';

registerDecoder('pop3', pop3Decoder);

/** RFC 1939 §3: an autologout timer of at least 10 minutes */
const IDLE_MS = 10 * 60_000;
/** pipelined command lines waiting for their replies before the server stops reading */
const MAX_QUEUED = 64;

export class Pop3Service extends MailAccessService {
  readonly id = 'pop3';
  readonly name = 'POP3';
  readonly protocol = 'pop3';
  readonly description = "Mail access (RFC 1939): every lab user's mailbox; `user bob`, `pass hungry`";
  protected override framer = (): Pop3Framer => new Pop3Framer();
  protected readonly virtualPort = 110;
  protected override idleMs = IDLE_MS;
  private sessions = new WeakMap<TcpTap, Pop3Session>();
  private locks = new Set<string>();

  protected override async close(): Promise<void> {
    await super.close();
    this.locks.clear();
  }

  private store(tap: TcpTap): Pop3Store {
    const mail = this.mail;
    const files = new Map<string, MaildirFile>();
    const box = (address: string): { domain: string; local: string } => {
      const user = mail.directory.user(address);
      if (!user) throw new Error('no such maildrop');
      return { domain: user.domain, local: user.local };
    };
    return {
      login: (name) => mail.directory.login(name),
      lock: (address) => {
        if (this.locks.has(address)) return false;
        this.locks.add(address);
        return true;
      },
      unlock: (address) => this.locks.delete(address),
      list: async (address) => {
        const { domain, local } = box(address);
        const list = await mail.maildir.list(domain, local);
        for (const f of list) files.set(f.uid, f);
        return list.map((f) => ({ uid: f.uid, size: f.wireSize }));
      },
      read: async (_address, uid) => {
        const f = files.get(uid);
        if (!f) throw new Error('no such message');
        return mail.maildir.read(f);
      },
      remove: async (address, uids) => {
        for (const uid of uids) {
          const f = files.get(uid);
          if (f) await mail.maildir.remove(f);
        }
        if (uids.length) mail.changedMailbox(address);
      },
      retrieved: (uid) => mail.noteRetrieval(uid, tap.conn.id),
      logins: mail.logins.guard(tap.socket.remoteAddress ?? tap.conn.client.address),
    };
  }

  protected accept(tap: TcpTap): void {
    const session = new Pop3Session(
      this.store(tap),
      {
        send: (data) => tap.send(data),
        close: (reason) => tap.close(reason),
        note: (text) => tap.note(text),
        ready: () => (tap.congested ? new Promise<void>((r) => tap.whenWritable(r)) : undefined),
        startTls: () => upgradeToTls(tap, this.ctx),
      },
      'netlab',
    );
    this.sessions.set(tap, session);
    tap.regulate(() => session.queued, MAX_QUEUED);
    // the FIN is not delayed by the link emulation, the data before it is: let that arrive first
    tap.socket.on('end', () => setTimeout(() => session.peerEnded(), this.link.delayMs > 0 ? this.link.delayMs + this.link.jitterMs + 20 : 0));
    tap.socket.on('close', () => session.closed());
    session.greet();
  }

  protected override idle(tap: TcpTap): void {
    tap.destroy(`idle for ${this.idleMs / 1000} s: autologout, nothing deleted`);
  }

  protected override slow(tap: TcpTap): void {
    this.sessions.get(tap)?.closed();
    tap.send(`-ERR command line not completed within ${this.requestMs / 1000} s, signing off\r\n`);
    tap.close(`a command line not complete ${this.requestMs / 1000} s after its first byte (slowloris guard): nothing deleted`);
  }

  /** RFC 2449 §8 / RFC 3206: a -ERR greeting with [SYS/TEMP] says "try again later" */
  protected override refuse(tap: TcpTap): void {
    tap.send('-ERR [SYS/TEMP] too many connections, try again later\r\n');
    tap.close('-ERR: too many connections, the server closes the connection');
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    this.sessions.get(tap)?.receive(chunk);
  }
}
