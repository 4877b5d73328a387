/**
 * The selected state of an IMAP session (RFC 3501 §6.4): one folder's messages numbered
 * 1..n, and the commands on them — FETCH, STORE, SEARCH, COPY, MOVE (RFC 6851), EXPUNGE and
 * their UID forms. What another session (or SMTP, or POP3) changed in the folder is told at
 * NOOP, CHECK, IDLE and EXPUNGE: `* n EXISTS`, `* n EXPUNGE`, `* n FETCH (FLAGS ..)`.
 */
import { FolderError, type Folders, type ImapMessage, systemFlag } from './imap-folders';
import { fetchResponse, needsBytes, parseFetchItems } from './imap-fetch';
import { asString, parseSet, type Token } from './imap-parser';
import { parseSearch } from './imap-search';

/** bytes of FETCH responses gathered into one write */
const BATCH_BYTES = 64 * 1024;

export interface SelectedOutput {
  send(data: string | Buffer): void;
  ready?(): Promise<void> | undefined;
}

/** a command's outcome: the tagged reply's status and text */
export interface Outcome {
  status: 'OK' | 'NO' | 'BAD';
  text: string;
}

export const ok = (text: string): Outcome => ({ status: 'OK', text });
export const no = (text: string): Outcome => ({ status: 'NO', text });
export const bad = (text: string): Outcome => ({ status: 'BAD', text });

export class SelectedFolder {
  messages: ImapMessage[] = [];
  validity = 0;
  next = 1;

  constructor(
    private folders: Folders,
    readonly name: string,
    readonly readOnly: boolean,
    private out: SelectedOutput,
  ) {}

  /** SELECT / EXAMINE's untagged data (RFC 3501 §6.3.1) */
  async open(): Promise<void> {
    const state = await this.folders.scan(this.name);
    Object.assign(this, state);
    const flags = '\\Answered \\Flagged \\Deleted \\Seen \\Draft';
    const unseen = this.messages.findIndex((m) => !m.flags.includes('\\Seen'));
    this.out.send(
      [
        `* FLAGS (${flags})`,
        `* OK [PERMANENTFLAGS (${this.readOnly ? '' : flags})] flags kept in the Maildir file names`,
        `* ${this.messages.length} EXISTS`,
        '* 0 RECENT',
        ...(unseen >= 0 ? [`* OK [UNSEEN ${unseen + 1}] first unseen message`] : []),
        `* OK [UIDVALIDITY ${this.validity}] UIDs valid`,
        `* OK [UIDNEXT ${this.next}] predicted next UID`,
        '',
      ].join('\r\n'),
    );
  }

  /** tell what changed since the session last looked (another client, a delivery, POP3) */
  async sync(): Promise<void> {
    const state = await this.folders.scan(this.name).catch(() => null);
    if (!state) return;
    const now = new Map(state.messages.map((m) => [m.uid, m]));
    const lines: string[] = [];
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (!now.has(this.messages[i].uid)) {
        lines.push(`* ${i + 1} EXPUNGE`);
        this.messages.splice(i, 1);
      }
    }
    this.messages.forEach((m, i) => {
      const fresh = now.get(m.uid);
      if (fresh && fresh.flags.join(' ') !== m.flags.join(' ')) lines.push(`* ${i + 1} FETCH (FLAGS (${fresh.flags.join(' ')}))`);
      if (fresh) this.messages[i] = fresh;
    });
    const last = this.messages.at(-1)?.uid ?? 0;
    const added = state.messages.filter((m) => m.uid > last);
    if (added.length) {
      this.messages.push(...added);
      lines.push(`* ${this.messages.length} EXISTS`);
    }
    this.next = state.next;
    if (lines.length) this.out.send(`${lines.join('\r\n')}\r\n`);
  }

  /** the indices a sequence set (or, `uid`, a UID set) names */
  private pick(set: string | undefined, uid: boolean): number[] | null {
    if (!set) return null;
    const max = uid ? (this.messages.at(-1)?.uid ?? 0) : this.messages.length;
    const test = parseSet(set, max);
    if (!test) return null;
    const out: number[] = [];
    this.messages.forEach((m, i) => {
      if (test(uid ? m.uid : i + 1)) out.push(i);
    });
    // a message number past the end is an error; a UID that is not there is not (RFC 3501 §6.4.8)
    if (!uid && set.split(/[,:]/).some((n) => n !== '*' && Number(n) > this.messages.length)) return null;
    return out;
  }

  async fetch(args: Token[], uid: boolean): Promise<Outcome> {
    const which = this.pick(asString(args[0]), uid);
    if (!which) return bad('no such message: a message number is 1 to the number of messages');
    const items = parseFetchItems(args.slice(1));
    if (typeof items === 'string') return bad(items);
    const bytes = needsBytes(items);
    const marks = !this.readOnly && items.some((i) => i.kind === 'section' && !i.peek);
    let missing = 0;
    // responses go out in writes of up to BATCH_BYTES, not one write (and one system call) per
    // message: a FETCH 1:* of 10,000 headers is some 60 writes; the capture frames each response
    const batch: Buffer[] = [];
    let batched = 0;
    const flush = (): void => {
      if (batch.length === 0) return;
      this.out.send(batch.length === 1 ? batch[0] : Buffer.concat(batch, batched));
      batch.length = 0;
      batched = 0;
    };
    for (const i of which) {
      const wait = this.out.ready?.();
      if (wait) {
        flush();
        await wait;
      }
      let m = this.messages[i];
      if (!m) continue;
      const raw = bytes ? await this.folders.read(this.name, m).catch(() => null) : null;
      if (bytes && !raw) {
        missing += 1;
        continue;
      }
      let shown = items;
      if (marks && !m.flags.includes('\\Seen')) {
        m = await this.folders.setFlags(this.name, m, [...m.flags, '\\Seen']).catch(() => m);
        this.messages[i] = m;
        if (!items.some((x) => x.kind === 'flags')) shown = [...items, { kind: 'flags' }];
      }
      const response = fetchResponse(i + 1, m, shown, raw, uid);
      batch.push(response);
      batched += response.length;
      if (batched >= BATCH_BYTES) flush();
    }
    flush();
    return missing ? no(`${missing} message(s) could not be read: removed by another client, or a link out of the Maildir`) : ok(`${uid ? 'UID ' : ''}FETCH completed`);
  }

  async store(args: Token[], uid: boolean): Promise<Outcome> {
    if (this.readOnly) return no('[READ-ONLY] the folder was opened with EXAMINE');
    const which = this.pick(asString(args[0]), uid);
    if (!which) return bad('no such message');
    const op = /^([+-]?)FLAGS(\.SILENT)?$/i.exec(asString(args[1]) ?? '');
    if (!op) return bad('STORE needs FLAGS, +FLAGS or -FLAGS (optionally .SILENT)');
    const list = args.slice(2).flatMap((t) => (t.kind === 'list' ? t.items : [t]));
    const given = list.map((t) => asString(t) ?? '');
    const flags = given.map((f) => systemFlag(f)).filter((f): f is string => !!f);
    if (given.some((f) => f.startsWith('\\') && !systemFlag(f))) return bad('unknown system flag');
    for (const i of which) {
      const m = this.messages[i];
      const next = op[1] === '+' ? [...new Set([...m.flags, ...flags])] : op[1] === '-' ? m.flags.filter((f) => !flags.includes(f)) : flags;
      try {
        this.messages[i] = await this.folders.setFlags(this.name, m, next);
      } catch {
        return no(`message ${i + 1} no longer exists`);
      }
      if (!op[2]) this.out.send(`* ${i + 1} FETCH (${uid ? `UID ${m.uid} ` : ''}FLAGS (${this.messages[i].flags.join(' ')}))\r\n`);
    }
    return ok(`${uid ? 'UID ' : ''}STORE completed`);
  }

  async search(args: Token[], uid: boolean): Promise<Outcome> {
    let test;
    try {
      test = parseSearch(args, this.messages.length, this.messages.at(-1)?.uid ?? 0);
    } catch (err) {
      return bad((err as Error).message);
    }
    const hits: number[] = [];
    for (const [i, m] of this.messages.entries()) {
      let cached: Buffer | null = null;
      const bytes = async (): Promise<Buffer> => (cached ??= await this.folders.read(this.name, m).catch(() => Buffer.alloc(0)));
      if (await test({ seq: i + 1, m, bytes })) hits.push(uid ? m.uid : i + 1);
    }
    this.out.send(`* SEARCH${hits.map((h) => ` ${h}`).join('')}\r\n`);
    return ok(`${uid ? 'UID ' : ''}SEARCH completed`);
  }

  /** COPY, or MOVE (the files renamed into the other folder, then expunged here) */
  async copy(args: Token[], uid: boolean, move: boolean): Promise<Outcome> {
    const verb = move ? 'MOVE' : 'COPY';
    if (move && this.readOnly) return no('[READ-ONLY] the folder was opened with EXAMINE');
    const which = this.pick(asString(args[0]), uid);
    const target = this.folders.canonical(asString(args[1]) ?? '');
    if (!which || !target) return bad(`${verb} needs a message set and a folder`);
    if (!(await this.folders.exists(target))) return no(`[TRYCREATE] no folder ${target}`);
    const bases: string[] = [];
    try {
      for (const i of which) {
        const m = this.messages[i];
        if (move && target !== this.name) bases.push(await this.folders.move(this.name, m, target));
        else bases.push(await this.folders.add(target, await this.folders.read(this.name, m), m.flags, m.time));
      }
    } catch (err) {
      return no(err instanceof FolderError ? err.message : `${verb} failed: a message could not be read or written`);
    }
    const dest = await this.folders.scan(target);
    const uids = bases.map((b) => dest.messages.find((m) => m.base === b)?.uid ?? 0);
    const code = `[COPYUID ${dest.validity} ${which.map((i) => this.messages[i].uid).join(',')} ${uids.join(',')}]`;
    if (!move) return ok(`${code} COPY completed`);
    this.out.send(`* OK ${code} moved\r\n`);
    if (target !== this.name) this.expunged(which);
    else await this.sync();
    return ok('MOVE completed');
  }

  private expunged(indices: number[]): void {
    const lines = [...indices].sort((a, b) => b - a).map((i) => `* ${i + 1} EXPUNGE`);
    for (const i of [...indices].sort((a, b) => b - a)) this.messages.splice(i, 1);
    if (lines.length) this.out.send(`${lines.join('\r\n')}\r\n`);
  }

  /** remove the \Deleted messages (of `uidSet` only, UIDPLUS's UID EXPUNGE); `silent` for CLOSE */
  async expunge(uidSet?: string, silent = false): Promise<Outcome> {
    if (this.readOnly) return silent ? ok('CLOSE completed') : no('[READ-ONLY] the folder was opened with EXAMINE');
    const only = uidSet === undefined ? null : this.pick(uidSet, true);
    if (uidSet !== undefined && !only) return bad('UID EXPUNGE needs a UID set');
    const gone: number[] = [];
    for (const [i, m] of this.messages.entries()) {
      if (!m.flags.includes('\\Deleted') || (only && !only.includes(i))) continue;
      await this.folders.remove(this.name, m).catch(() => undefined);
      gone.push(i);
    }
    if (silent) return ok('CLOSE completed');
    this.expunged(gone);
    await this.sync();
    return ok('EXPUNGE completed');
  }
}
