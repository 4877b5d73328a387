/**
 * One POP3 session (RFC 1939), no socket: AUTHORIZATION (USER/PASS or APOP) →
 * TRANSACTION (STAT LIST RETR DELE NOOP RSET TOP UIDL) → UPDATE at QUIT. Deletions are
 * only marks until QUIT: a connection that drops deletes nothing (§6). Replies follow the
 * textbook's session (Kurose & Ross §2.3.4): `+OK POP3 server ready`, `user bob`, `pass hungry`.
 */
import crypto from 'node:crypto';
import { minutes, type LoginGuard } from '../login-throttle';

export interface Pop3Message {
  uid: string;
  size: number;
}

export interface Pop3User {
  address: string;
  password: string;
}

export interface Pop3Store {
  /** USER's argument → the account (a local part like `bob` or a full address) */
  login(name: string): Pop3User | undefined;
  /** take the maildrop's exclusive lock (RFC 1939 §8); false when another session holds it */
  lock(address: string): boolean;
  unlock(address: string): void;
  list(address: string): Promise<Pop3Message[]>;
  read(address: string, uid: string): Promise<Buffer>;
  remove(address: string, uids: string[]): Promise<void>;
  retrieved(uid: string): void;
  /** this connection's wrong passwords, counted with its address's (SMTP AUTH's too) */
  logins: LoginGuard;
}

export interface Pop3Output {
  send(data: string | Buffer): void;
  close(reason: string): void;
  /** a note on this connection in the inspector */
  note?(text: string): void;
  /** before each command: a promise while the replies already sent have not drained (a
   *  client that pipelines RETR and never reads must not make the server read every message) */
  ready?(): Promise<void> | undefined;
  /** TLS from the next byte (STLS, RFC 2595 §4), where the listener offers it */
  startTls?(): void;
}

export const MAX_POP3_LINE = 255;
const MAX_UNKNOWN = 10;

export class Pop3Session {
  private state: 'authorization' | 'transaction' | 'closed' = 'authorization';
  private user: string | null = null;
  private account: Pop3User | null = null;
  private messages: Pop3Message[] = [];
  private deleted = new Set<number>();
  private buf = '';
  private discarding = false;
  private lines: string[] = [];
  private pumping = false;
  private ended = false;
  private unknown = 0;
  private secure = false;
  readonly stamp: string;

  constructor(
    private store: Pop3Store,
    private out: Pop3Output,
    host: string,
  ) {
    this.stamp = `<${process.pid}.${Date.now()}@${host}>`;
  }

  greet(): void {
    this.out.send(`+OK POP3 server ready ${this.stamp}\r\n`);
  }

  receive(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.buf += chunk.toString('latin1');
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) {
        if (this.buf.length > MAX_POP3_LINE) {
          this.discarding = true;
          this.buf = '';
        }
        break;
      }
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      if (this.discarding || line.length > MAX_POP3_LINE) {
        this.discarding = false;
        this.lines.push('\u0000too-long');
      } else this.lines.push(line);
    }
    void this.pump();
  }

  /** command lines received and not yet answered */
  get queued(): number {
    return this.lines.length;
  }

  /** the client closed its side (FIN): answer what it sent, then close ours — without UPDATE */
  peerEnded(): void {
    this.ended = true;
    if (!this.pumping) void this.pump();
  }

  /** the connection dropped: release the lock, delete nothing */
  closed(): void {
    if (this.state === 'transaction' && this.account) this.store.unlock(this.account.address);
    this.state = 'closed';
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.lines.length > 0 && this.state !== 'closed') {
        const wait = this.out.ready?.();
        if (wait) await wait;
        const line = this.lines.shift() ?? '';
        await this.command(line);
      }
    } finally {
      this.pumping = false;
      if (this.ended && this.state !== 'closed') this.close('the client closed its side without QUIT: nothing deleted');
    }
  }

  private ok(text = ''): void {
    this.out.send(`+OK${text ? ` ${text}` : ''}\r\n`);
  }

  private err(text: string): void {
    this.out.send(`-ERR ${text}\r\n`);
  }

  private async command(line: string): Promise<void> {
    if (line === '\u0000too-long') return this.err(`line too long (at most ${MAX_POP3_LINE} octets)`);
    const [rawVerb = '', ...args] = line.trim().split(/\s+/);
    const verb = rawVerb.toUpperCase();
    if (/^(GET|POST|PUT|HEAD|OPTIONS)$/.test(verb) && /HTTP\/\d/.test(line)) {
      this.err('HTTP requests are not served on a POP3 port');
      return this.close('an HTTP request on the POP3 port');
    }
    if (verb === 'QUIT') return this.quit();
    if (verb === 'CAPA') return this.capa();
    if (verb === 'NOOP' && this.state === 'transaction') return this.ok();
    if (this.state === 'authorization') {
      if (verb === 'USER') return this.userCmd(args);
      if (verb === 'PASS') return this.pass(line.replace(/^\s*\S+\s?/, ''));
      if (verb === 'APOP') return this.apop(args);
      if (verb === 'STLS' && this.out.startTls) return this.stls(args);
    } else {
      switch (verb) {
        case 'STAT':
          return this.ok(`${this.live().length} ${this.live().reduce((n, m) => n + m.size, 0)}`);
        case 'LIST':
          return this.listCmd(args);
        case 'UIDL':
          return this.uidl(args);
        case 'RETR':
          return this.retr(args);
        case 'TOP':
          return this.top(args);
        case 'DELE':
          return this.dele(args);
        case 'RSET':
          this.deleted.clear();
          return this.ok(`maildrop has ${this.messages.length} messages`);
      }
    }
    if (['USER', 'PASS', 'APOP', 'STAT', 'LIST', 'UIDL', 'RETR', 'TOP', 'DELE', 'RSET', 'NOOP', 'STLS'].includes(verb)) {
      return this.err(this.state === 'authorization' ? `${verb} is not allowed before logging in` : `${verb} is only allowed before logging in`);
    }
    this.unknown += 1;
    if (this.unknown > MAX_UNKNOWN) {
      this.err('too many unknown commands, signing off');
      return this.close(`more than ${MAX_UNKNOWN} unknown commands`);
    }
    this.err(`unknown command "${rawVerb.slice(0, 20)}"`);
  }

  private close(reason: string): void {
    if (this.account && this.state === 'transaction') this.store.unlock(this.account.address);
    this.state = 'closed';
    this.out.close(reason);
  }

  private capa(): void {
    const stls = this.out.startTls && !this.secure && this.state === 'authorization' ? ['STLS'] : [];
    this.out.send(['+OK Capability list follows', 'USER', 'TOP', 'UIDL', 'PIPELINING', 'RESP-CODES', ...stls, 'IMPLEMENTATION NetLab', '.', ''].join('\r\n'));
  }

  /** RFC 2595 §4: +OK, then TLS; lines pipelined after STLS are dropped, not read as sent inside TLS */
  private stls(args: string[]): void {
    if (args.length) return this.err('STLS takes no arguments');
    if (this.secure) return this.err('command not permitted when TLS active');
    this.ok('Begin TLS negotiation');
    const dropped = this.lines.reduce((n, l) => n + l.length + 2, 0) + this.buf.length;
    if (dropped) this.out.note?.(`${dropped} bytes sent after STLS, before the handshake: discarded (RFC 2595 §4)`);
    [this.lines, this.buf, this.secure, this.user] = [[], '', true, null];
    this.out.startTls?.();
  }

  private userCmd(args: string[]): void {
    if (args.length !== 1) return this.err('USER needs a user name');
    this.user = args[0];
    this.ok();
  }

  private async pass(password: string): Promise<void> {
    if (this.user === null) return this.err('USER first');
    if (this.lockedOut()) return;
    const account = this.store.login(this.user);
    this.user = null;
    if (!account || account.password !== password) return this.badLogin();
    await this.enter(account);
  }

  private async apop(args: string[]): Promise<void> {
    if (args.length !== 2) return this.err('APOP needs a name and a digest');
    if (this.lockedOut()) return;
    const account = this.store.login(args[0]);
    const digest = crypto.createHash('md5').update(this.stamp + (account?.password ?? '')).digest('hex');
    if (!account || digest !== args[1].toLowerCase()) return this.badLogin();
    await this.enter(account);
  }

  private async badLogin(): Promise<void> {
    const verdict = await this.store.logins.failed((text) => this.out.note?.(text));
    if (this.state === 'closed') return;
    if (verdict.kind === 'locked-out') {
      const address = this.store.logins.address;
      this.err(`[AUTH] invalid user name or password; too many failed logins from ${address}, try again in ${minutes(verdict.ms)}`);
      return this.close(`${verdict.failures} failed logins from ${address} (SMTP, POP3 and IMAP): locked out for ${minutes(verdict.ms)}, the server closes the connection`);
    }
    this.err('[AUTH] invalid user name or password');
    if (verdict.kind === 'close-connection') this.close(`${verdict.failures} failed logins on this connection: the server closes it`);
  }

  /** this client's address is locked out: say so (RFC 3206 SYS/TEMP: try later) and close, checking no password */
  private lockedOut(): boolean {
    const ms = this.store.logins.lockedFor();
    if (ms <= 0) return false;
    const address = this.store.logins.address;
    this.err(`[SYS/TEMP] too many failed logins from ${address}, try again in ${minutes(ms)}`);
    this.close(`${address} is locked out after too many failed logins: no password checked, the server closes the connection`);
    return true;
  }

  private async enter(account: Pop3User): Promise<void> {
    if (!this.store.lock(account.address)) return this.err('[IN-USE] maildrop already locked by another session');
    this.account = account;
    this.state = 'transaction';
    try {
      this.messages = await this.store.list(account.address);
    } catch {
      this.messages = [];
    }
    this.ok('user successfully logged on');
  }

  private live(): Pop3Message[] {
    return this.messages.filter((_, i) => !this.deleted.has(i));
  }

  /** message number argument → index, or an error already sent */
  private pick(arg: string | undefined): number | null {
    const n = arg && /^\d{1,9}$/.test(arg) ? Number(arg) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > this.messages.length) {
      this.err(arg ? `no such message, only ${this.messages.length} messages in maildrop` : 'a message number is needed');
      return null;
    }
    if (this.deleted.has(n - 1)) {
      this.err(`message ${n} already deleted`);
      return null;
    }
    return n - 1;
  }

  private listCmd(args: string[]): void {
    if (args.length > 0) {
      const i = this.pick(args[0]);
      if (i !== null) this.ok(`${i + 1} ${this.messages[i].size}`);
      return;
    }
    const live = this.live();
    const lines = this.messages.map((m, i) => (this.deleted.has(i) ? '' : `${i + 1} ${m.size}\r\n`)).join('');
    this.out.send(`+OK ${live.length} messages (${live.reduce((n, m) => n + m.size, 0)} octets)\r\n${lines}.\r\n`);
  }

  private uidl(args: string[]): void {
    if (args.length > 0) {
      const i = this.pick(args[0]);
      if (i !== null) this.ok(`${i + 1} ${this.messages[i].uid}`);
      return;
    }
    const lines = this.messages.map((m, i) => (this.deleted.has(i) ? '' : `${i + 1} ${m.uid}\r\n`)).join('');
    this.out.send(`+OK unique-id listing follows\r\n${lines}.\r\n`);
  }

  private async content(i: number): Promise<Buffer | null> {
    if (!this.account) return null;
    try {
      return await this.store.read(this.account.address, this.messages[i].uid);
    } catch {
      this.err('message no longer available');
      return null;
    }
  }

  private async retr(args: string[]): Promise<void> {
    const i = this.pick(args[0]);
    if (i === null) return;
    const data = await this.content(i);
    if (!data) return;
    this.store.retrieved(this.messages[i].uid);
    this.out.send(Buffer.concat([Buffer.from(`+OK ${data.length} octets\r\n`), multiline(data)]));
  }

  private async top(args: string[]): Promise<void> {
    const i = this.pick(args[0]);
    if (i === null) return;
    if (!args[1] || !/^\d{1,9}$/.test(args[1])) return this.err('TOP needs a message number and a line count');
    const data = await this.content(i);
    if (!data) return;
    // the wire form has CRLF line ends and maybe bare CRs: only a CRLF ends a line (RFC 1939 §7: the
    // header, the blank line, then the first n lines of the body)
    const text = data.toString('latin1');
    const split = text.indexOf('\r\n\r\n');
    const head = split >= 0 ? text.slice(0, split) : text;
    const body = split >= 0 ? text.slice(split + 4) : '';
    const bodyLines = body.split('\r\n').slice(0, Number(args[1]));
    const out = `${head}\r\n\r\n${Number(args[1]) > 0 ? bodyLines.join('\r\n') : ''}`;
    this.out.send(Buffer.concat([Buffer.from('+OK top of message follows\r\n'), multiline(Buffer.from(out, 'latin1'))]));
  }

  private dele(args: string[]): void {
    const i = this.pick(args[0]);
    if (i === null) return;
    this.deleted.add(i);
    this.ok(`message ${i + 1} deleted`);
  }

  private async quit(): Promise<void> {
    if (this.state === 'transaction' && this.account) {
      const uids = [...this.deleted].map((i) => this.messages[i].uid);
      try {
        await this.store.remove(this.account.address, uids);
      } catch {
        this.err('some deleted messages not removed');
        return this.close('QUIT: UPDATE failed');
      }
      const left = this.messages.length - uids.length;
      this.ok(`POP3 server signing off (${left} message${left === 1 ? '' : 's'} left)`);
    } else this.ok('POP3 server signing off');
    this.close('QUIT: the server closes the connection');
  }
}

/**
 * A multi-line response body: dot-stuffed, CRLF line ends, ended by ".". RFC 1939 §3.
 * A line starts after a LF only: a "." after a bare CR is text (JavaScript's /^/m would
 * also match after a CR, and the client, which unstuffs only at line starts, would keep the extra dot).
 */
export function multiline(data: Buffer): Buffer {
  let text = data.toString('latin1').replace(/\r?\n/g, '\r\n').replace(/(^|\n)\./g, '$1..');
  if (text.length > 0 && !text.endsWith('\r\n')) text += '\r\n';
  return Buffer.from(`${text}.\r\n`, 'latin1');
}
