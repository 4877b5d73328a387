/**
 * One user's IMAP folders on the same Maildir that SMTP delivers into and POP3 reads: INBOX
 * is the Maildir itself, a folder `Sent` is the Maildir++ subfolder `.Sent/` (and `a.b` is
 * `.a.b/`, "." being the hierarchy delimiter), as Dovecot and Courier lay them out.
 *
 * What IMAP keeps across sessions lives in the files, so another client (or a restart) sees it:
 * flags in the file name's info (`name:2,FRS`, maildir(5)); each folder's UIDVALIDITY and its
 * UIDs in `netlab-uidlist` (Dovecot's dovecot-uidlist idea), written with a temp file and a
 * rename; subscriptions in `subscriptions`, one folder a line. Per folder, one operation at a time.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Confinement, existingSync, mkdirConfined, readFileConfined, readSmallFileConfinedSync, removeConfined } from '../../confined-fs';
import type { MaildirStore } from '../maildir';
import { sizeTags, taggedName, toDisk, toWire, wireSize } from '../maildir-lines';

export interface ImapMessage {
  uid: number;
  /** the unique name before `:2,` */
  base: string;
  /** the file's name in its sub folder */
  name: string;
  sub: 'new' | 'cur';
  flags: string[];
  /** bytes on the wire (CRLF) */
  size: number;
  /** INTERNALDATE, ms */
  time: number;
}

export interface FolderState {
  validity: number;
  next: number;
  messages: ImapMessage[];
}

/** maildir(5) info letters ↔ IMAP system flags, in the letters' ASCII order */
const LETTERS: [string, string][] = [
  ['D', '\\Draft'],
  ['F', '\\Flagged'],
  ['R', '\\Answered'],
  ['S', '\\Seen'],
  ['T', '\\Deleted'],
];
export const SYSTEM_FLAGS = LETTERS.map(([, f]) => f);
const NAME = /^[A-Za-z0-9 _&,+-]{1,60}(\.[A-Za-z0-9 _&,+-]{1,60}){0,7}$/;
const FILE = /^[A-Za-z0-9._,=-]{1,200}(:2,[A-Za-z]{0,26})?$/;
const UIDLIST = 'netlab-uidlist';
/** messages up to this size are read synchronously (most mail); larger ones through the thread pool, not holding the event loop */
const SYNC_READ_BYTES = 256 * 1024;
const BY_NAME = new Intl.Collator('en', { numeric: true }).compare;
let counter = 0;

export function flagsOf(name: string): string[] {
  const info = /:2,([A-Za-z]*)$/.exec(name)?.[1] ?? '';
  return LETTERS.filter(([l]) => info.includes(l)).map(([, f]) => f);
}

/** a flag as IMAP spells it (case-insensitive on the wire), or undefined for one Maildir cannot keep */
export function systemFlag(flag: string): string | undefined {
  return SYSTEM_FLAGS.find((f) => f.toLowerCase() === flag.toLowerCase());
}

export class FolderError extends Error {}

/** a user's folders besides INBOX, counted without touching their UID lists (the Mail tab) */
export async function folderCounts(maildir: MaildirStore, domain: string, local: string): Promise<{ name: string; messages: number; unseen: number }[]> {
  const root = maildir.boxDir(domain, local);
  const folders = new Folders(root, { base: path.dirname(maildir.root), scope: root });
  const out: { name: string; messages: number; unseen: number }[] = [];
  for (const name of (await folders.list()).slice(1, 101)) {
    const dir = folders.dir(name);
    const [fresh, cur] = await Promise.all(['new', 'cur'].map((s) => fs.readdir(path.join(dir, s)).catch(() => [] as string[])));
    const files = [...fresh, ...cur].filter((f) => FILE.test(f));
    out.push({ name, messages: files.length, unseen: fresh.filter((f) => FILE.test(f)).length + cur.filter((f) => FILE.test(f) && !flagsOf(f).includes('\\Seen')).length });
  }
  return out;
}

export class Folders {
  private locks = new Map<string, Promise<unknown>>();

  constructor(
    /** the user's Maildir */
    readonly root: string,
    private scope: Confinement,
  ) {}

  /** INBOX in any case; other names as they are; null when the name is not one the lab stores */
  canonical(name: string): string | null {
    if (name.toUpperCase() === 'INBOX') return 'INBOX';
    return NAME.test(name) && !name.split('.').some((p) => p.trim() !== p || p === '') ? name : null;
  }

  dir(name: string): string {
    return name === 'INBOX' ? this.root : path.join(this.root, `.${name}`);
  }

  private serial<T>(name: string, job: () => Promise<T>): Promise<T> {
    const before = this.locks.get(name) ?? Promise.resolve();
    const run = before.then(job, job);
    this.locks.set(name, run.catch(() => undefined));
    return run;
  }

  async exists(name: string): Promise<boolean> {
    const real = existingSync(path.join(this.dir(name), 'cur'), this.scope);
    return real !== null;
  }

  /** INBOX and every Maildir++ subfolder, sorted */
  async list(): Promise<string[]> {
    const entries = await fs.readdir(this.root, { withFileTypes: true }).catch(() => []);
    const names = entries.filter((e) => e.isDirectory() && e.name.startsWith('.') && NAME.test(e.name.slice(1))).map((e) => e.name.slice(1));
    return ['INBOX', ...names.sort(BY_NAME)];
  }

  async create(name: string): Promise<void> {
    if (name === 'INBOX' || (await this.exists(name))) throw new FolderError('[ALREADYEXISTS] the folder already exists');
    for (const s of ['tmp', 'new', 'cur']) await mkdirConfined(path.join(this.dir(name), s), this.scope);
  }

  /** a folder with its messages; its subfolders stay (RFC 3501 §6.3.4) */
  async delete(name: string): Promise<void> {
    if (name === 'INBOX') throw new FolderError('INBOX cannot be deleted');
    if (!(await this.exists(name))) throw new FolderError('[NONEXISTENT] no such folder');
    await this.serial(name, async () => {
      existingSync(this.dir(name), this.scope);
      await fs.rm(this.dir(name), { recursive: true, force: true });
    });
  }

  /** a folder and its subfolders take the new name (RENAME INBOX is not offered) */
  async rename(from: string, to: string): Promise<void> {
    if (from === 'INBOX') throw new FolderError('renaming INBOX is not supported here: COPY or MOVE its messages');
    if (!(await this.exists(from))) throw new FolderError('[NONEXISTENT] no such folder');
    if (to === 'INBOX' || (await this.exists(to))) throw new FolderError('[ALREADYEXISTS] the new name is taken');
    for (const name of await this.list()) {
      if (name !== from && !name.startsWith(`${from}.`)) continue;
      existingSync(this.dir(name), this.scope);
      await fs.rename(this.dir(name), this.dir(to + name.slice(from.length)));
    }
  }

  async subscriptions(): Promise<string[]> {
    const text = await readFileConfined(path.join(this.root, 'subscriptions'), this.scope).catch(() => Buffer.alloc(0));
    return text.toString('utf8').split('\n').filter((l) => l && this.canonical(l));
  }

  async subscribe(name: string, on: boolean): Promise<void> {
    await this.serial('\u0000subscriptions', async () => {
      const set = new Set(await this.subscriptions());
      if (on) set.add(name);
      else set.delete(name);
      await this.writeAtomic(path.join(this.root, 'subscriptions'), [...set].map((s) => `${s}\n`).join(''));
    });
  }

  /** the folder's messages in UID order; new files get the next UIDs, vanished ones are forgotten */
  scan(name: string): Promise<FolderState> {
    return this.serial(name, () => this.scanNow(name));
  }

  private async scanNow(name: string): Promise<FolderState> {
    const dir = this.dir(name);
    if (existingSync(path.join(dir, 'cur'), this.scope) === null) throw new FolderError('[NONEXISTENT] no such folder');
    const listFile = path.join(dir, UIDLIST);
    const text = (await readFileConfined(listFile, this.scope).catch(() => Buffer.alloc(0))).toString('latin1');
    const head = /^V(\d{1,10}) N(\d{1,10})$/m.exec(text.split('\n')[0] ?? '');
    let validity = head ? Number(head[1]) : Math.floor(Date.now() / 1000);
    let next = head ? Number(head[2]) : 1;
    const known = new Map<string, number>();
    if (head) for (const m of text.matchAll(/^(\d{1,10}) (\S+)$/gm)) known.set(m[2], Number(m[1]));
    const found: Omit<ImapMessage, 'uid'>[] = [];
    for (const sub of ['new', 'cur'] as const) {
      existingSync(path.join(dir, sub), this.scope);
      const names = await fs.readdir(path.join(dir, sub)).catch(() => [] as string[]);
      for (const file of names) {
        if (file.startsWith('.') || !FILE.test(file)) continue;
        const base = file.split(':')[0];
        const tags = sizeTags(base);
        let size = tags?.wire;
        let time = Number(base.split('.')[0]) * 1000;
        if (size === undefined || !Number.isFinite(time)) {
          const st = await fs.lstat(path.join(dir, sub, file)).catch(() => null);
          if (!st?.isFile()) continue;
          size ??= wireSize(await readFileConfined(path.join(dir, sub, file), this.scope).catch(() => Buffer.alloc(0)));
          if (!Number.isFinite(time)) time = st.mtimeMs;
        }
        found.push({ base, name: file, sub, flags: sub === 'new' ? [] : flagsOf(file), size, time });
      }
    }
    found.sort((a, b) => BY_NAME(a.base, b.base));
    let changed = !head;
    const messages: ImapMessage[] = [];
    for (const f of found) {
      let uid = known.get(f.base);
      if (uid === undefined) {
        uid = next++;
        changed = true;
      }
      messages.push({ ...f, uid });
    }
    if (messages.length !== known.size) changed = true;
    messages.sort((a, b) => a.uid - b.uid);
    if (changed) {
      if (!head) validity = Math.floor(Date.now() / 1000);
      await this.writeAtomic(listFile, `V${validity} N${next}\n${messages.map((m) => `${m.uid} ${m.base}\n`).join('')}`);
    }
    return { validity, next, messages };
  }

  /** the message's bytes as the wire carries them (CRLF), as POP3's RETR gives them */
  async read(name: string, m: ImapMessage): Promise<Buffer> {
    const file = path.join(this.dir(name), m.sub, m.name);
    const disk = readSmallFileConfinedSync(file, this.scope, SYNC_READ_BYTES) ?? (await readFileConfined(file, this.scope));
    return sizeTags(m.base)?.legacy ? disk : toWire(disk);
  }

  /** new flags: the file moves to cur/ with its info letters (rename: atomic) */
  setFlags(name: string, m: ImapMessage, flags: string[]): Promise<ImapMessage> {
    return this.serial(name, async () => {
      const letters = LETTERS.filter(([, f]) => flags.includes(f)).map(([l]) => l).join('');
      const file = `${m.base}:2,${letters}`;
      if (file === m.name && m.sub === 'cur') return m;
      const dir = this.dir(name);
      existingSync(path.join(dir, m.sub, m.name), this.scope);
      await fs.rename(path.join(dir, m.sub, m.name), path.join(dir, 'cur', file));
      return { ...m, sub: 'cur', name: file, flags: flagsOf(file) };
    });
  }

  /** a new message (APPEND, COPY): written in tmp/, renamed into cur/; returns its base name */
  async add(name: string, wire: Buffer, flags: string[], time = Date.now()): Promise<string> {
    const disk = toDisk(wire);
    const base = taggedName(`${Math.floor(time / 1000)}.M${process.pid}Q${++counter}R${Math.floor(Math.random() * 1e6)}.netlab`, disk);
    const letters = LETTERS.filter(([, f]) => flags.includes(f)).map(([l]) => l).join('');
    const dir = this.dir(name);
    const tmp = path.join(dir, 'tmp', base);
    existingSync(path.join(dir, 'tmp'), this.scope);
    await fs.writeFile(tmp, disk, { flag: 'wx' });
    await fs.rename(tmp, path.join(dir, 'cur', `${base}:2,${letters}`));
    return base;
  }

  /** MOVE (RFC 6851): the file itself goes to the other folder, renamed (the same bytes, atomic) */
  async move(from: string, m: ImapMessage, to: string): Promise<string> {
    return this.serial(from, async () => {
      const src = path.join(this.dir(from), m.sub, m.name);
      existingSync(src, this.scope);
      existingSync(path.join(this.dir(to), 'cur'), this.scope);
      await fs.rename(src, path.join(this.dir(to), m.sub, m.name));
      return m.base;
    });
  }

  remove(name: string, m: ImapMessage): Promise<void> {
    return this.serial(name, async () => {
      await removeConfined(path.join(this.dir(name), m.sub, m.name), this.scope);
    });
  }

  private async writeAtomic(file: string, text: string): Promise<void> {
    existingSync(path.dirname(file), this.scope);
    const tmp = `${file}.${process.pid}.${++counter}.tmp`;
    await fs.writeFile(tmp, text, { flag: 'wx' });
    await fs.rename(tmp, file);
  }
}
