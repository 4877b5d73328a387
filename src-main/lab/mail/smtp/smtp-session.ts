/**
 * The server side of one SMTP connection: the state machine of RFC 5321 §4.1.4
 * (greeting → HELO/EHLO → MAIL → RCPT… → DATA → message → back to MAIL), with no socket.
 * Bytes come in through `receive`; replies go out through `out.send`; the message is
 * handed to `host.accept`, which resolves only once it is durably stored — the 250 waits.
 *
 * Before a command is dispatched, guards run in a fixed order: the session is closing;
 * an HTTP request line on the mail port (a web page can reach loopback: refuse it); the
 * command line was too long (500, continue); too many unknown commands (421, close).
 */
import { decodeBase64, LOGIN_PASS, LOGIN_USER, MECHANISMS, parsePlain, type Mechanism } from './smtp-auth';
import { CONTROL, mailParams, parsePath } from './smtp-paths';
import { reply } from './smtp-replies';
import { SmtpStream, type BareLineEnds, type SmtpEvent } from './smtp-stream';
import type { Envelope, RecipientCheck } from '../envelope';
import { minutes, type LoginGuard, type LoginThrottle } from '../login-throttle';

export type { SmtpHost, SmtpOutput, SmtpPeer } from './smtp-session-types';
import type { SmtpHost, SmtpOutput, SmtpPeer } from './smtp-session-types';
export { parsePath } from './smtp-paths';

export const MAX_COMMAND_LINE = 512;
const MAX_UNKNOWN = 10;
const HTTP_LINE = /^(GET|POST|PUT|HEAD|OPTIONS|DELETE|PATCH|CONNECT) \S+ HTTP\/\d/i;

type State = 'fresh' | 'ready' | 'mail' | 'closed';

export class SmtpSession {
  private stream: SmtpStream;
  private state: State = 'fresh';
  private helo = '';
  private esmtp = false;
  private from = '';
  private rcpts: string[] = [];
  /** MAIL FROM's BODY= (RFC 6152), passed on by the relay */
  private body: '7BIT' | '8BITMIME' | undefined;
  private unknown = 0;
  private pumping = false;
  private ended = false;
  private outbox: string[] = [];
  /** the authenticated user, after 235 */
  private authUser: string | undefined;
  /** an AUTH exchange waiting for the client's next line (a 334 was sent) */
  private authStep: { mech: 'PLAIN' } | { mech: 'LOGIN'; user?: string } | null = null;
  private guard: LoginGuard | undefined;
  private secure = false;

  constructor(
    private host: SmtpHost,
    private out: SmtpOutput,
    private peer: SmtpPeer = { clientAddress: '127.0.0.1' },
  ) {
    this.stream = new SmtpStream({ maxLine: MAX_COMMAND_LINE, maxMessage: host.maxMessage }, host.bareLineEnds ?? 'reject');
  }

  greet(): void {
    this.out.send(`${reply.greeting(this.host.hostname)}\r\n`);
  }

  receive(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.stream.push(chunk);
    this.pump();
  }

  /** bytes received and not yet read as a command or message text (they wait while a reply does) */
  get unread(): number {
    return this.stream.pending;
  }

  /** the client closed its side (FIN): answer what it sent, then close ours */
  peerEnded(): void {
    this.ended = true;
    this.pump();
  }

  /** the connection went away: whatever was half-received is dropped, nothing is stored */
  closed(): void {
    this.state = 'closed';
  }

  /** after a reply that waited (the 250 after the spool's commit): read on */
  private readonly resume = (): void => {
    this.pumping = false;
    this.pump();
  };

  /**
   * Read the events received so far and answer them. Synchronous until an answer has to wait
   * (a message being stored, a failed login slowed down): the replies so far go out, and
   * reading resumes once it is settled. Most reads (a command, its reply) cost no promise.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    while (this.state !== 'closed') {
      const ev = this.stream.next();
      if (!ev) break;
      const pending = this.handle(ev);
      if (pending) {
        this.flush();
        void pending.then(this.resume, this.resume);
        return;
      }
    }
    this.pumping = false;
    this.flush();
    if (this.ended && this.state !== 'closed') {
      this.state = 'closed';
      this.out.close('the client closed its side: the server closes too');
    }
  }

  private say(text: string): void {
    this.outbox.push(text);
  }

  private flush(): void {
    const n = this.outbox.length;
    if (n === 0) return;
    // the replies so far in one write; most often the one reply to one command
    const text = n === 1 ? `${this.outbox[0]}\r\n` : `${this.outbox.join('\r\n')}\r\n`;
    this.outbox.length = 0;
    this.out.send(text);
  }

  private shut(text: string, reason: string): void {
    this.say(text);
    this.flush();
    this.state = 'closed';
    this.out.close(reason);
  }

  private handle(ev: SmtpEvent): Promise<void> | void {
    switch (ev.type) {
      case 'too-long':
        this.authStep = null;
        return this.say(reply.lineTooLong(MAX_COMMAND_LINE));
      case 'too-big':
        this.resetTransaction();
        return this.say(reply.tooBig(this.host.maxMessage));
      case 'message':
        return this.store(ev.data);
      case 'bad-line-end':
        this.resetTransaction();
        return this.shut(
          reply.badLineEnd(ev.found, ev.dotLine),
          ev.dotLine
            ? `a "." line next to a ${ev.found} (a client sending LF, or SMTP smuggling): message refused, the server closes the connection`
            : `a ${ev.found} in the message text: refused (lines end in CRLF), the server closes the connection`,
        );
      case 'command':
        return this.authStep ? this.authResponse(ev.line) : this.command(ev.line);
    }
  }

  private command(line: string): Promise<void> | void {
    if (HTTP_LINE.test(line)) {
      return this.shut(reply.closing(this.host.hostname, 'HTTP requests are not served on a mail port'), 'an HTTP request on the SMTP port');
    }
    // [\s\S]: a bare CR inside the arguments is still an argument (and refused as a control character), not an unknown verb
    const m = /^\s*([A-Za-z]{1,12})(?:\s+([\s\S]*))?$/.exec(line);
    const verb = m ? m[1].toUpperCase() : '';
    const arg = m?.[2]?.trim() ?? '';
    switch (verb) {
      case 'HELO':
      case 'EHLO':
        return this.hello(verb, arg);
      case 'MAIL':
        return this.mail(arg);
      case 'RCPT':
        return this.rcpt(arg);
      case 'DATA':
        return this.data(arg);
      case 'RSET':
        this.resetTransaction();
        return this.say(reply.reset());
      case 'NOOP':
        return this.say(reply.noop());
      case 'QUIT':
        return this.shut(reply.quit(this.host.hostname), 'QUIT: the server closes the connection');
      case 'VRFY':
        return this.say(arg ? this.host.verify(arg) : reply.syntax('VRFY needs a user or address'));
      case 'HELP':
        return this.say(reply.help(!!this.host.authenticate));
      case 'AUTH':
        if (this.host.authenticate) return this.auth(arg);
        return this.say(reply.notImplemented(verb));
      case 'STARTTLS':
        if (this.out.startTls) return this.startTls(arg);
        return this.say(reply.notImplemented(verb));
      case 'EXPN':
      case 'TURN':
      case 'ETRN':
      case 'BDAT':
        return this.say(reply.notImplemented(verb));
    }
    this.unknown += 1;
    if (this.unknown > MAX_UNKNOWN) {
      return this.shut(reply.closing(this.host.hostname, 'Too many unrecognized commands'), `more than ${MAX_UNKNOWN} unknown commands`);
    }
    this.say(reply.unknownCommand(verb || line.trim().split(/\s+/)[0] || line.slice(0, 20)));
  }

  private hello(verb: string, arg: string): void {
    if (!arg || /\s/.test(arg) || CONTROL.test(arg) || arg.length > 255) return this.say(reply.syntax(`${verb} needs your host name`));
    this.resetTransaction();
    this.helo = arg;
    this.esmtp = verb === 'EHLO';
    this.state = 'ready';
    this.say(this.esmtp ? reply.ehlo(this.host.hostname, arg, this.host.maxMessage, !!this.host.authenticate, !this.secure && !!this.out.startTls) : reply.helo(arg));
  }

  /** RFC 3207: 220, then TLS; what was pipelined after the command is discarded (§4, command
   *  injection) and the session starts over: a new EHLO, no login kept (§4.2) */
  private startTls(arg: string): void {
    const refused = arg ? 'args' : this.secure ? 'active' : this.state === 'mail' ? 'transaction' : null;
    if (refused) return this.say(reply.startTlsRefused(refused));
    this.say(reply.startTls());
    this.flush();
    const dropped = this.stream.discard();
    if (dropped) this.out.note?.(`${dropped} bytes sent after STARTTLS, before the handshake: discarded (RFC 3207 §4)`);
    [this.secure, this.state, this.helo, this.esmtp, this.authUser] = [true, 'fresh', '', false, undefined];
    this.out.startTls?.();
  }

  /** `AUTH PLAIN [initial-response]` or `AUTH LOGIN [initial-response]` (RFC 4954 §4) */
  private auth(arg: string): Promise<void> | void {
    if (this.state === 'fresh') return this.say(reply.helloFirst());
    if (this.authUser) return this.say(reply.authAlready());
    if (this.state === 'mail') return this.say(reply.authInTransaction());
    if (this.lockedOut()) return;
    const [mechWord = '', initial, extra] = arg.split(/\s+/).filter(Boolean);
    if (!mechWord || extra !== undefined) return this.say(reply.authSyntax('use AUTH PLAIN or AUTH LOGIN'));
    const mech = mechWord.toUpperCase();
    if (!MECHANISMS.includes(mech as Mechanism)) return this.say(reply.authMechanism(mech));
    if (mech === 'PLAIN') {
      if (initial === undefined) {
        this.authStep = { mech: 'PLAIN' };
        return this.say(reply.authChallenge(''));
      }
      return this.plain(initial);
    }
    if (initial === undefined) {
      this.authStep = { mech: 'LOGIN' };
      return this.say(reply.authChallenge(LOGIN_USER));
    }
    const user = decodeBase64(initial);
    if (user === undefined) return this.say(reply.authNotBase64());
    this.authStep = { mech: 'LOGIN', user };
    this.say(reply.authChallenge(LOGIN_PASS));
  }

  /** the client's line after a 334: a base64 response, or `*` to cancel */
  private authResponse(line: string): Promise<void> | void {
    const step = this.authStep;
    this.authStep = null;
    if (!step) return;
    if (line.trim() === '*') return this.say(reply.authCancelled());
    if (step.mech === 'PLAIN') return this.plain(line);
    const decoded = decodeBase64(line);
    if (decoded === undefined) return this.say(reply.authNotBase64());
    if (step.user === undefined) {
      this.authStep = { mech: 'LOGIN', user: decoded };
      return this.say(reply.authChallenge(LOGIN_PASS));
    }
    return this.login(step.user, decoded, '');
  }

  private plain(b64: string): Promise<void> | void {
    const decoded = decodeBase64(b64);
    if (decoded === undefined) return this.say(reply.authNotBase64());
    const creds = parsePlain(decoded);
    if (!creds) return this.say(reply.authFailed());
    return this.login(creds.authcid, creds.password, creds.authzid);
  }

  private async login(user: string, password: string, authzid: string): Promise<void> {
    // another connection from this address may have locked it out since AUTH began
    if (this.lockedOut()) return;
    const address = this.host.authenticate?.(user, password);
    // acting for someone else (a different authzid) is not something the lab grants
    if (!address || (authzid && authzid.toLowerCase() !== user.toLowerCase() && authzid.toLowerCase() !== address)) {
      const verdict = await this.loginGuard()?.failed((text) => this.out.note?.(text));
      if (this.state === 'closed') return;
      if (verdict?.kind === 'close-connection') {
        return this.shut(reply.authTooMany(this.host.hostname), `${verdict.failures} failed logins on this connection: the server closes it`);
      }
      if (verdict?.kind === 'locked-out') return this.shutLockedOut(verdict.ms, verdict.failures);
      return this.say(reply.authFailed());
    }
    this.authUser = address;
    this.say(reply.authOk());
  }

  private loginGuard(): LoginGuard | undefined {
    this.guard ??= this.host.logins?.guard(this.peer.remoteAddress ?? this.peer.clientAddress);
    return this.guard;
  }

  /** this client's address is locked out: say so and close, checking no password */
  private lockedOut(): boolean {
    const ms = this.loginGuard()?.lockedFor() ?? 0;
    if (ms > 0) this.shutLockedOut(ms);
    return ms > 0;
  }

  private shutLockedOut(ms: number, failures?: number): void {
    const address = this.loginGuard()?.address ?? this.peer.clientAddress;
    this.authStep = null;
    this.shut(
      reply.authLockedOut(this.host.hostname, address, minutes(ms)),
      failures
        ? `${failures} failed logins from ${address} (SMTP, POP3 and IMAP): locked out for ${minutes(ms)}, the server closes the connection`
        : `${address} is locked out after too many failed logins: no password checked, the server closes the connection`,
    );
  }

  private mail(arg: string): void {
    if (this.state === 'fresh') return this.say(reply.helloFirst());
    if (this.state === 'mail') return this.say(reply.nestedMail());
    if (CONTROL.test(arg)) return this.say(reply.controlCharacters('MAIL FROM'));
    const path = parsePath(arg, 'FROM');
    if (!path) return this.say(reply.syntax('use MAIL FROM:<address>'));
    const params = mailParams(path.params, !!this.host.authenticate);
    if (typeof params === 'string') return this.say(params);
    if (params.size !== undefined && params.size > this.host.maxMessage) return this.say(reply.tooBig(this.host.maxMessage));
    const check = this.host.checkSender(path.address);
    if (!check.ok) return this.say(check.reply);
    this.from = path.address;
    this.body = params.body;
    this.rcpts = [];
    this.state = 'mail';
    this.say(reply.sender(path.address || '<>'));
  }

  private rcpt(arg: string): void {
    if (this.state !== 'mail') return this.say(this.state === 'fresh' ? reply.helloFirst() : reply.mailFirst());
    if (CONTROL.test(arg)) return this.say(reply.controlCharacters('RCPT TO'));
    const path = parsePath(arg, 'TO');
    if (!path || !path.address) return this.say(reply.syntax('use RCPT TO:<address>'));
    // no RCPT parameter is offered (no DSN, RFC 3461): each is refused, never silently dropped
    const rcptParam = path.params.split(/\s+/).find(Boolean);
    if (rcptParam) return this.say(reply.unknownParameter(rcptParam, 'none for RCPT TO'));
    if (this.rcpts.length >= this.host.maxRecipients) return this.say(reply.tooManyRecipients(this.host.maxRecipients));
    const check = this.host.checkRecipient(path.address);
    if (!check.ok) return this.say(check.reply);
    if (!this.rcpts.some((r) => r.toLowerCase() === path.address.toLowerCase())) this.rcpts.push(path.address);
    this.say(reply.recipient(path.address));
  }

  private data(arg: string): void {
    if (this.state !== 'mail') return this.say(this.state === 'fresh' ? reply.helloFirst() : reply.mailFirst());
    if (this.rcpts.length === 0) return this.say(reply.rcptFirst());
    if (arg) return this.say(reply.syntax('DATA takes no parameters'));
    this.stream.startData();
    this.say(reply.data());
  }

  private async store(data: Buffer): Promise<void> {
    const envelope: Envelope = {
      from: this.from,
      rcpts: this.rcpts,
      helo: this.helo,
      esmtp: this.esmtp,
      ...(this.authUser ? { auth: this.authUser } : {}),
      ...(this.body ? { body: this.body } : {}),
    };
    this.resetTransaction();
    try {
      const id = await this.host.accept(envelope, data, this.peer);
      if (this.state !== 'closed') this.say(reply.accepted(id));
    } catch {
      if (this.state !== 'closed') this.say(reply.storageFailed());
    }
  }

  private resetTransaction(): void {
    this.from = '';
    this.body = undefined;
    this.rcpts = [];
    if (this.state === 'mail') this.state = 'ready';
  }
}
