/**
 * One IMAP session (RFC 3501 §3, RFC 9051 basics), no socket: not authenticated (LOGIN,
 * AUTHENTICATE PLAIN) → authenticated (LIST, SELECT, CREATE, APPEND …) → selected (FETCH,
 * STORE, SEARCH … in imap-selected.ts) → logout. Every command carries a tag and its
 * completion answers with the same tag; what is not about a command is untagged (`*`).
 * Unlike POP3's download-and-delete, the state stays on the server (Kurose & Ross §2.3.4):
 * folders, flags, UIDs, kept in the Maildir for the next session.
 */
import { minutes, type LoginGuard } from '../login-throttle';
import { FolderError, type Folders } from './imap-folders';
import { asString, CommandReader, MAX_LITERAL, MAX_LITERAL_BEFORE_LOGIN, ParseError, type Token, tokenize } from './imap-parser';
import { appendCommand, listCommand, statusCommand } from './imap-mailboxes';
import { bad, no, ok, type Outcome, SelectedFolder } from './imap-selected';

export interface ImapUser {
  address: string;
  password: string;
}

export interface ImapStore {
  /** LOGIN's name → the account (a local part like `bob` or a full address) */
  login(name: string): ImapUser | undefined;
  folders(address: string): Folders;
  /** a folder's messages changed: the Mail tab and the other sessions hear of it */
  changed(address: string): void;
  logins: LoginGuard;
}

export interface ImapOutput {
  send(data: string | Buffer): void;
  close(reason: string): void;
  note?(text: string): void;
  ready?(): Promise<void> | undefined;
  /** TLS from the next byte (STARTTLS, RFC 3501 §6.2.1), where the listener offers it */
  startTls?(): void;
}

export const CAPABILITIES = 'IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN IDLE MOVE UIDPLUS UNSELECT NAMESPACE ID';
const MAX_UNKNOWN = 10;
const SELECTED_ONLY = new Set(['FETCH', 'STORE', 'SEARCH', 'COPY', 'MOVE', 'EXPUNGE', 'CLOSE', 'UNSELECT', 'UID']);
const AUTHED = new Set(['SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB', 'STATUS', 'APPEND', 'IDLE', 'CHECK', 'NAMESPACE']);

type Command = { tag: string; verb: string; args: Token[] };

export class ImapSession {
  state: 'not-authenticated' | 'authenticated' | 'selected' | 'logout' = 'not-authenticated';
  account: ImapUser | null = null;
  selected: SelectedFolder | null = null;
  private reader = new CommandReader();
  private queue: { parts: string[]; literals: Buffer[] }[] = [];
  private pumping = false;
  private unknown = 0;
  /** IDLE's tag while idling; a PLAIN exchange's tag while waiting for the client's response */
  private idling: string | null = null;
  private authenticating: string | null = null;
  /** what an IDLE is telling the client: the next command waits for it (its numbers must not move under it) */
  private telling: Promise<void> = Promise.resolve();
  private secure = false;

  constructor(
    private store: ImapStore,
    private out: ImapOutput,
  ) {
    this.reader.maxLiteral = MAX_LITERAL_BEFORE_LOGIN;
  }

  greet(): void {
    this.out.send(`* OK [CAPABILITY ${this.capabilities()}] NetLab IMAP4rev1 server ready\r\n`);
  }

  get queued(): number {
    return this.queue.length;
  }

  receive(chunk: Buffer): void {
    if (this.state === 'logout') return;
    for (const e of this.reader.push(chunk)) {
      if (e.kind === 'continue') this.out.send('+ Ready for literal data\r\n');
      else if (e.kind === 'too-big') {
        if (e.fatal) {
          this.out.send('* BYE command line too long\r\n');
          return this.close(`a command line over the limit: the server closes the connection`);
        }
        this.out.send(`${e.tag} BAD [TOOBIG] ${e.what} too large (a literal at most ${this.reader.maxLiteral} octets${this.account ? '' : ' before login'})\r\n`);
      } else this.queue.push(e);
    }
    void this.pump();
  }

  /** the user's folder changed (new mail, another session): an idling client hears at once */
  notify(): Promise<void> {
    if (!this.idling || !this.selected) return this.telling;
    const sel = this.selected;
    this.telling = this.telling.then(() => (this.idling ? sel.sync() : undefined)).catch(() => undefined);
    return this.telling;
  }

  closed(): void {
    this.state = 'logout';
  }

  private close(reason: string): void {
    this.state = 'logout';
    this.out.close(reason);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && this.state !== 'logout') {
        const wait = this.out.ready?.();
        if (wait) await wait;
        await this.telling;
        const next = this.queue.shift();
        if (next) await this.line(next.parts, next.literals);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async line(parts: string[], literals: Buffer[]): Promise<void> {
    const first = parts[0] ?? '';
    if (this.idling) {
      const tag = this.idling;
      this.idling = null;
      if (first.trim().toUpperCase() === 'DONE') return this.reply(tag, ok('IDLE terminated'));
      return this.reply(tag, bad('IDLE ends with DONE'));
    }
    if (this.authenticating) {
      const tag = this.authenticating;
      this.authenticating = null;
      if (first.trim() === '*') return this.reply(tag, bad('AUTHENTICATE cancelled'));
      const o = await this.plain(tag, first.trim());
      if (o) this.reply(tag, o);
      return;
    }
    const m = /^([^\s(){%*"\\\]+]{1,64}) ([A-Za-z]{1,20})(?: (.*))?$/s.exec(first);
    if (!m) {
      if (/^(GET|POST|PUT|HEAD|OPTIONS) .* HTTP\/\d/.test(first)) {
        this.out.send('* BYE HTTP requests are not served on an IMAP port\r\n');
        return this.close('an HTTP request on the IMAP port');
      }
      return this.out.send(`* BAD a command is a tag, a space and a command name\r\n`);
    }
    let args: Token[];
    try {
      args = tokenize([m[3] ?? '', ...parts.slice(1)], literals);
    } catch (err) {
      return this.reply(m[1], bad(err instanceof ParseError ? err.message : 'syntax error'));
    }
    const cmd: Command = { tag: m[1], verb: m[2].toUpperCase(), args };
    try {
      const result = await this.dispatch(cmd);
      if (result) this.reply(cmd.tag, result);
    } catch (err) {
      this.reply(cmd.tag, no(err instanceof FolderError ? err.message : 'the server could not do that (a file in the Maildir could not be read or written)'));
    }
  }

  /** STARTTLS is offered on a plaintext connection before login (RFC 3501 §6.2.1) */
  private capabilities(): string {
    return this.out.startTls && !this.secure && this.state === 'not-authenticated' ? `${CAPABILITIES} STARTTLS` : CAPABILITIES;
  }

  /** TLS from the next byte: commands pipelined after STARTTLS are dropped, not read as sent inside TLS */
  private startTls(): void {
    if (this.queue.length) this.out.note?.(`${this.queue.length} commands sent after STARTTLS, before the handshake: discarded`);
    this.queue = [];
    this.reader = new CommandReader();
    this.reader.maxLiteral = MAX_LITERAL_BEFORE_LOGIN;
    this.secure = true;
    this.out.startTls?.();
  }

  private reply(tag: string, o: Outcome): void {
    if (this.state === 'logout') return;
    this.out.send(`${tag} ${o.status} ${o.text}\r\n`);
  }

  private async dispatch(c: Command): Promise<Outcome | null> {
    switch (c.verb) {
      case 'CAPABILITY':
        this.out.send(`* CAPABILITY ${this.capabilities()}\r\n`);
        return ok('CAPABILITY completed');
      case 'NOOP':
        await this.selected?.sync();
        return ok('NOOP completed');
      case 'ID':
        // RFC 2971: the server names itself (what the client sent is only shown in the inspector)
        this.out.send('* ID ("name" "NetLab" "support-url" "https://www.rfc-editor.org/rfc/rfc3501")\r\n');
        return ok('ID completed');
      case 'LOGOUT':
        this.out.send('* BYE NetLab IMAP server signing off\r\n');
        this.reply(c.tag, ok('LOGOUT completed'));
        this.close('LOGOUT: the server closes the connection');
        return null;
      case 'STARTTLS':
        if (!this.out.startTls) break;
        if (this.secure || this.state !== 'not-authenticated') return bad(this.secure ? 'TLS already active' : 'STARTTLS is only allowed before login');
        this.reply(c.tag, ok('Begin TLS negotiation now'));
        this.startTls();
        return null;
      case 'LOGIN':
      case 'AUTHENTICATE':
        if (this.state !== 'not-authenticated') return bad('already logged in');
        if (c.verb === 'LOGIN') return this.login(c.tag, asString(c.args[0]), asString(c.args[1]));
        if (asString(c.args[0])?.toUpperCase() !== 'PLAIN') return no('only AUTHENTICATE PLAIN is offered');
        if (c.args[1]) return this.plain(c.tag, asString(c.args[1]) ?? '');
        this.authenticating = c.tag;
        this.out.send('+ \r\n');
        return null;
    }
    if (this.state === 'not-authenticated' && (AUTHED.has(c.verb) || SELECTED_ONLY.has(c.verb))) return bad(`${c.verb} needs LOGIN first`);
    if (AUTHED.has(c.verb)) return this.authed(c);
    if (SELECTED_ONLY.has(c.verb)) {
      if (!this.selected) return bad(`${c.verb} needs a folder: SELECT one first`);
      return this.inFolder(c, this.selected);
    }
    this.unknown += 1;
    if (this.unknown > MAX_UNKNOWN) {
      this.out.send('* BYE too many unknown commands\r\n');
      this.close(`more than ${MAX_UNKNOWN} unknown commands`);
      return null;
    }
    return bad(`unknown command ${c.verb}`);
  }

  private async login(tag: string, name: string | undefined, password: string | undefined): Promise<Outcome | null> {
    if (name === undefined || password === undefined) return bad('LOGIN needs a user name and a password');
    const ms = this.store.logins.lockedFor();
    if (ms > 0) {
      const address = this.store.logins.address;
      this.out.send(`* BYE [UNAVAILABLE] too many failed logins from ${address}, try again in ${minutes(ms)}\r\n`);
      this.close(`${address} is locked out after too many failed logins: no password checked, the server closes the connection`);
      return null;
    }
    const account = this.store.login(name);
    if (!account || account.password !== password) {
      const verdict = await this.store.logins.failed((text) => this.out.note?.(text));
      if (this.state === 'logout') return null;
      this.reply(tag, no('[AUTHENTICATIONFAILED] invalid user name or password'));
      if (verdict.kind !== 'retry') {
        this.out.send('* BYE too many failed logins\r\n');
        this.close(verdict.kind === 'locked-out' ? `${verdict.failures} failed logins from ${this.store.logins.address}: locked out for ${minutes(verdict.ms)}` : `${verdict.failures} failed logins on this connection: the server closes it`);
      }
      return null;
    }
    this.account = account;
    this.state = 'authenticated';
    this.reader.maxLiteral = MAX_LITERAL;
    return ok(`[CAPABILITY ${CAPABILITIES}] logged in`);
  }

  /** SASL PLAIN (RFC 4616): base64 of authzid NUL authcid NUL password */
  private async plain(tag: string, b64: string): Promise<Outcome | null> {
    const fields = /^[A-Za-z0-9+/]*={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8').split('\0') : [];
    if (fields.length !== 3) return bad('AUTHENTICATE PLAIN needs base64 of "\\0user\\0password"');
    // acting as another user (an authorization identity that is not the one logging in) is not offered
    if (fields[0] && fields[0] !== fields[1]) return no('[AUTHORIZATIONFAILED] logging in as another user is not offered');
    return this.login(tag, fields[1], fields[2]);
  }

  private folderArg(t: Token | undefined): string | null {
    const name = asString(t);
    return name === undefined ? null : this.store.folders(this.account?.address ?? '').canonical(name);
  }

  private async authed(c: Command): Promise<Outcome | null> {
    const address = this.account?.address ?? '';
    const folders = this.store.folders(address);
    const name = this.folderArg(c.args[0]);
    switch (c.verb) {
      case 'SELECT':
      case 'EXAMINE': {
        this.selected = null;
        this.state = 'authenticated';
        if (!name) return bad(`${c.verb} needs a folder name`);
        if (!(await folders.exists(name))) return no(`[NONEXISTENT] no folder ${name}`);
        const sel = new SelectedFolder(folders, name, c.verb === 'EXAMINE', this.out);
        await sel.open();
        this.selected = sel;
        this.state = 'selected';
        return ok(`[${sel.readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${c.verb} completed`);
      }
      case 'CREATE':
        if (!name) return bad('CREATE needs a folder name of letters, digits, spaces and "-_", "." between levels');
        await folders.create(name.replace(/\.$/, ''));
        return ok('CREATE completed');
      case 'DELETE':
        if (!name) return bad('DELETE needs a folder name');
        await folders.delete(name);
        if (this.selected?.name === name) {
          this.selected = null;
          this.state = 'authenticated';
        }
        return ok('DELETE completed');
      case 'RENAME': {
        const to = this.folderArg(c.args[1]);
        if (!name || !to) return bad('RENAME needs the old and the new folder name');
        await folders.rename(name, to);
        return ok('RENAME completed');
      }
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
        if (!name) return bad(`${c.verb} needs a folder name`);
        await folders.subscribe(name, c.verb === 'SUBSCRIBE');
        return ok(`${c.verb} completed`);
      case 'LIST':
      case 'LSUB':
        return listCommand(c.verb, c.args, folders, (d) => this.out.send(d));
      case 'STATUS':
        return statusCommand(c.args, folders, name, (d) => this.out.send(d));
      case 'APPEND': {
        const o = await appendCommand(c.args, folders, name);
        if (o.status === 'OK') this.store.changed(address);
        if (o.status === 'OK' && this.selected?.name === name) await this.selected.sync();
        return o;
      }
      case 'NAMESPACE':
        // RFC 2342: one personal namespace, no prefix, "." between levels; no shared ones
        this.out.send('* NAMESPACE (("" ".")) NIL NIL\r\n');
        return ok('NAMESPACE completed');
      case 'CHECK':
        await this.selected?.sync();
        return this.selected ? ok('CHECK completed') : bad('CHECK needs a folder: SELECT one first');
      case 'IDLE':
        await this.selected?.sync();
        this.idling = c.tag;
        this.out.send('+ idling\r\n');
        return null;
    }
    return bad('unknown command');
  }

  private async inFolder(c: Command, sel: SelectedFolder): Promise<Outcome | null> {
    const address = this.account?.address ?? '';
    let verb = c.verb;
    let args = c.args;
    const uid = verb === 'UID';
    if (uid) {
      verb = (asString(args[0]) ?? '').toUpperCase();
      args = args.slice(1);
    }
    switch (verb) {
      case 'FETCH':
        return sel.fetch(args, uid);
      case 'SEARCH':
        return sel.search(args, uid);
      case 'STORE': {
        const o = await sel.store(args, uid);
        this.store.changed(address);
        return o;
      }
      case 'COPY':
      case 'MOVE': {
        const o = await sel.copy(args, uid, verb === 'MOVE');
        this.store.changed(address);
        return o;
      }
      case 'EXPUNGE': {
        if (uid && !args[0]) return bad('UID EXPUNGE needs a UID set');
        const o = await sel.expunge(uid ? asString(args[0]) : undefined);
        this.store.changed(address);
        return o;
      }
    }
    if (uid) return bad('UID goes with FETCH, STORE, SEARCH, COPY, MOVE or EXPUNGE');
    if (verb === 'CLOSE' || verb === 'UNSELECT') {
      if (verb === 'CLOSE') await sel.expunge(undefined, true);
      this.selected = null;
      this.state = 'authenticated';
      this.store.changed(address);
      return ok(`${verb} completed`);
    }
    return bad('unknown command');
  }
}
