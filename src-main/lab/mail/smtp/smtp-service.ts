/**
 * The lab's SMTP listeners. Submission (2525) takes mail from every lab user's user agent
 * and relays it; each lab mail domain has its own MX listener (crepes.fr 2526,
 * hamburger.edu 2527, networkutopia.com 2528 …) with its own banner, reached in the lab as
 * mail.<domain> port 25, so the relay hop is a connection of its own in the inspector.
 *
 * mail/smtp/ is SMTP itself: these listeners, the per-connection state machine
 * (smtp-session), the line and DATA stream, AUTH, the reply table, the capture's framer and
 * decoder, and the relay's client side (smtp-client). What is stored and queued is the mail
 * system's, in mail/.
 */
import { registerDecoder } from '../../capture/decoders';
import type { TcpTap } from '../../capture/tcp-tap';
import { MAX_MESSAGE, MAX_RECIPIENTS, SUBMISSION_HOST, type MailSystem } from '../mail-system';
import type { MailDomain } from '../users';
import type { ServiceContext } from '../../services/service';
import { TcpLabService } from '../../services/tcp-service';
import { virtualAddresses } from '../../services/host-end';
import { smtpDecoder } from './smtp-decoder';
import { SmtpFramer } from './smtp-framer';
import { reply } from './smtp-replies';
import { SmtpSession, type SmtpHost } from './smtp-session';
import { upgradeToTls } from '../../tls/server-tls';

registerDecoder('smtp', smtpDecoder);

/** RFC 5321 §4.5.3.2.7: a server should wait at least 5 minutes for the next command */
const IDLE_MS = 5 * 60_000;
/** a command line (or a line of message text) must be complete this long after its first
 *  byte: RFC 5321 §4.5.3.2 times the wait for a command, and a client sending a byte a
 *  second (slowloris) would otherwise hold the connection for as long as the idle time allows */
const LINE_MS = 60_000;
/** sessions at once per listener (Postfix's default process limit is 100 too); the next gets 421 */
const MAX_SESSIONS = 100;
/** bytes a client may pipeline ahead of the replies before the server stops reading it */
const MAX_UNREAD = 64 * 1024;

export type SmtpRole = { kind: 'submission' } | { kind: 'mx'; domain: MailDomain };

export class SmtpService extends TcpLabService {
  readonly id: string;
  readonly name: string;
  readonly protocol = 'smtp';
  readonly description: string;
  protected override framer = (): SmtpFramer => new SmtpFramer();
  /** a client may send QUIT and FIN at once (nc, scripts): the 250 after fsync must still reach it */
  protected override allowHalfOpen = true;
  protected override noDelay = true;
  protected override lines = true;
  protected override idleMs = IDLE_MS;
  protected override requestMs = LINE_MS;
  protected override maxConnections = MAX_SESSIONS;
  private sessions = new WeakMap<TcpTap, SmtpSession>();
  private withdraw: (() => void)[] = [];

  constructor(
    ctx: ServiceContext,
    port: number,
    readonly mail: MailSystem,
    readonly role: SmtpRole,
  ) {
    super(ctx, port);
    // the mail server it is: an MX's host (mail.hamburger.edu), submission's mail.crepes.fr
    this.hostName = role.kind === 'mx' ? role.domain.host : SUBMISSION_HOST;
    if (role.kind === 'mx') {
      this.id = `smtp-${role.domain.domain.split('.')[0]}`;
      this.name = `SMTP ${role.domain.host}`;
      this.description = `${role.domain.domain}'s mail server (MX): delivers to its users' Maildirs; in the lab, ${role.domain.host} port 25`;
    } else {
      this.id = 'smtp';
      this.name = 'SMTP submission';
      this.description = `${SUBMISSION_HOST} (Alice's mail server, §2.3), every lab user's outgoing mail server: queues and relays to the recipient domain's MX`;
    }
  }

  /** the name in the banner: an MX's domain, as the textbook's `220 hamburger.edu`; submission's host name */
  get hostname(): string {
    return this.role.kind === 'mx' ? this.role.domain.domain : SUBMISSION_HOST;
  }

  protected override async listen(): Promise<void> {
    await this.mail.retain();
    await super.listen();
    if (this.role.kind === 'mx') {
      this.route(this.role.domain.host, 25);
    } else {
      this.mail.submissionPort = this.port;
      // mail.<domain> port 587 is the submission port of that domain's server (RFC 6409)
      for (const d of this.mail.directory.domains) this.route(d.host, 587);
    }
  }

  protected override async close(): Promise<void> {
    for (const w of this.withdraw.splice(0)) w();
    await super.close();
    await this.mail.release();
  }

  private route(host: string, virtualPort: number): void {
    for (const virtualAddress of virtualAddresses(this.ctx, host)) {
      this.withdraw.push(this.ctx.internet.addRoute({ virtualAddress, virtualPort, realPort: this.port, service: this.id }));
    }
  }

  private host: SmtpHost | null = null;

  /** what the sessions ask the mail system: one object per listener, not one per connection */
  private smtpHost(): SmtpHost {
    if (this.host) return this.host;
    const local = this.role.kind === 'mx' ? this.role.domain.domain : undefined;
    const by = this.role.kind === 'mx' ? this.role.domain.host : SUBMISSION_HOST;
    const mail = this.mail;
    this.host = {
      hostname: this.hostname,
      maxMessage: MAX_MESSAGE,
      maxRecipients: MAX_RECIPIENTS,
      // submission refuses text with bare LF outright, so what it relays is the text every next hop reads alike;
      // an MX keeps Postfix's default (normalize): it takes mail from servers, whose text it should not lose
      bareLineEnds: local === undefined ? 'reject' : 'normalize',
      checkSender: (address) => mail.checkSender(local, address),
      checkRecipient: (address) => mail.checkRecipient(local, address),
      verify: (arg) => mail.verify(arg),
      // AUTH is offered on submission only: an MX takes mail from other servers, not from users
      ...(local === undefined ? { authenticate: (login: string, password: string) => mail.authenticate(login, password), logins: mail.logins } : {}),
      accept: (envelope, data, peer) => mail.accept({ local, hostname: by, ...peer }, envelope, data),
    };
    return this.host;
  }

  protected accept(tap: TcpTap): void {
    const peer = { conn: tap.conn.id, clientName: tap.conn.client.name, clientAddress: tap.conn.client.address, remoteAddress: tap.socket.remoteAddress };
    const out = { send: (t: string) => tap.send(t), close: (r: string) => tap.close(r), note: (t: string) => tap.note(t), startTls: () => upgradeToTls(tap, this.ctx) };
    const session = new SmtpSession(this.smtpHost(), out, peer);
    this.sessions.set(tap, session);
    tap.regulate(() => session.unread, MAX_UNREAD);
    const socket = tap.socket;
    // the FIN is not delayed by the link emulation, the data before it is: let that arrive first
    socket.on('end', () => {
      const delay = this.link.delayMs > 0 ? this.link.delayMs + this.link.jitterMs + 20 : 0;
      if (delay === 0) session.peerEnded();
      else setTimeout(() => session.peerEnded(), delay);
    });
    socket.on('close', () => session.closed());
    session.greet();
  }

  protected override idle(tap: TcpTap): void {
    tap.send(`${reply.closing(this.hostname, 'Timeout waiting for input')}\r\n`);
    tap.end(`idle for ${this.idleMs / 1000} s: the server closes the connection`);
  }

  protected override slow(tap: TcpTap): void {
    this.sessions.get(tap)?.closed();
    tap.send(`${reply.closing(this.hostname, `Timeout: a line not completed within ${this.requestMs / 1000} s`)}\r\n`);
    tap.close(`a line not complete ${this.requestMs / 1000} s after its first byte (slowloris guard): the server closes the connection`);
  }

  /** RFC 5321 §3.1: a server may open with 421 when it cannot take the session (RFC 3463 4.3.2: not accepting messages) */
  protected override refuse(tap: TcpTap): void {
    tap.send(`${reply.closing(this.hostname, '4.3.2 Too many connections, try again later')}\r\n`);
    tap.close('421: too many connections, the server closes the connection');
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    this.sessions.get(tap)?.receive(chunk);
  }
}

/** The submission listener and one MX per lab mail domain, all sharing one mail system. */
export function createSmtpServices(ctx: ServiceContext, mail: MailSystem, port: (id: string, fallback: number) => number): SmtpService[] {
  const submission = new SmtpService(ctx, port('smtp', 2525), mail, { kind: 'submission' });
  const mxs = mail.directory.domains.map((domain) => {
    const s = new SmtpService(ctx, 0, mail, { kind: 'mx', domain });
    s.port = port(s.id, domain.port);
    return s;
  });
  return [submission, ...mxs];
}

/**
 * The virtual addresses a mail host answers on: the textbook's (hosts table), and what the
 * lab's zones say if they say something else (an edited zone). Read from the zones, not asked
 * on the wire: starting the lab should put no DNS queries in the inspector and nothing in the
 * local server's cache (a student's first lookup walks from the root).
 */

