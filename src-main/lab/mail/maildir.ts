/**
 * Mailboxes as Maildir (the tmp/new/cur layout of qmail's maildir(5), read by mutt,
 * dovecot, …): one file per message, written in tmp/ and renamed into new/, so a reader
 * never sees half a message. Root: <dataDir>/mail/<domain>/<user>/.
 *
 * Delivery does not fsync each file: the spool journal already holds the message durably
 * and replays it after a crash (delivery is idempotent by file name); `sync` makes files
 * durable before the journal that covers them is deleted.
 *
 * A symbolic link planted in the mail folder (a mailbox that is a link to another folder, a
 * "message" that is a link to /etc/hostname) is not followed: its mailbox is refused, the
 * message cannot be read (the mail view and POP3 say so) and deliveries never go through it.
 */
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Confinement, existingSync, mkdirConfined, openConfined, readFileConfined, removeConfined } from '../confined-fs';
import { isLegacy, migrateFile, sizeTags, taggedName, toDisk, toWire, wireSize } from './maildir-lines';

export interface MaildirFile {
  /** the unique name (the part before ':2,'): POP3's UIDL */
  uid: string;
  /** path relative to the mail root */
  rel: string;
  /** bytes in the file (LF line ends) */
  size: number;
  /** bytes on the wire (CRLF line ends): what POP3 LIST reports and RETR sends */
  wireSize: number;
  mtime: number;
}

const SUBDIRS = ['tmp', 'new', 'cur'] as const;
/** time.unique.host[,S=size,W=wire size] (the size tags are Dovecot's, so a listing needs no stat; see maildir-lines.ts) */
const UID = /^[A-Za-z0-9._,=-]{1,200}$/;
/** oldest first: names start with the delivery time, numbers compared as numbers. One collator
 *  for every listing: localeCompare builds its own on each call (17× slower on a 134k mailbox) */
const BY_NAME = new Intl.Collator('en', { numeric: true }).compare;

export class MaildirStore {
  private made = new Set<string>();

  /** `base`: the folder the root lies in and that is trusted as it is (the data directory) */
  constructor(
    readonly root: string,
    private base = root,
  ) {}

  boxDir(domain: string, user: string): string {
    return path.join(this.root, domain, user);
  }

  /** what a mailbox's files may reach: its own folder */
  private boxScope(domain: string, user: string): Confinement {
    return { base: this.base, scope: this.boxDir(domain, user) };
  }

  /** the mailbox a file (relative to the root: domain/user/sub/name) belongs to */
  private fileScope(file: MaildirFile): Confinement {
    const [domain = '', user = ''] = file.rel.split(path.sep);
    return this.boxScope(domain, user);
  }

  async ensure(domain: string, user: string): Promise<string> {
    const dir = this.boxDir(domain, user);
    if (!this.made.has(dir)) {
      const scope = this.boxScope(domain, user);
      await Promise.all(SUBDIRS.map((s) => mkdirConfined(path.join(dir, s), scope)));
      this.made.add(dir);
    }
    return dir;
  }

  private writer = new MaildirWriter();

  /**
   * Write into tmp/, rename into new/. `base` must be unique (time.id.host); the size tags are
   * added to it. `wire`: the message as SMTP carried it (CRLF), in pieces; the file holds it
   * with LF line ends (maildir-lines.ts). On replay an existing file of the same name is kept.
   */
  async deliver(domain: string, user: string, base: string, wire: Buffer[], replay = false): Promise<string> {
    const disk = toDisk(wire.length === 1 ? wire[0] : Buffer.concat(wire));
    const uid = taggedName(base, disk);
    if (!UID.test(uid)) throw new Error(`bad Maildir name ${uid}`);
    await this.ensure(domain, user);
    const box = this.deliveryPaths(domain, user);
    // a unique name holds no separator and is never "." or "..": appending it is what path.join would give
    const rel = box.rel + uid;
    if (replay && (await this.find(domain, user, uid))) return rel;
    await this.writer.write(box.tmp + uid, box.dest + uid, [disk]);
    return rel;
  }

  /** a mailbox's tmp/ and new/ folders (absolute) and new/ relative to the root, each ending in a separator:
   *  worked out once per mailbox, not three path.join calls per message */
  private paths = new Map<string, { tmp: string; dest: string; rel: string }>();

  private deliveryPaths(domain: string, user: string): { tmp: string; dest: string; rel: string } {
    const key = `${domain}/${user}`;
    let p = this.paths.get(key);
    if (!p) {
      const rel = path.join(domain, user, 'new') + path.sep;
      p = { tmp: path.join(this.boxDir(domain, user), 'tmp') + path.sep, dest: path.join(this.root, rel) + path.sep, rel };
      this.paths.set(key, p);
    }
    return p;
  }

  /**
   * Convert a mailbox's CRLF-era files (written before the lab stored LF) to LF, each with a
   * new file then a rename (maildir-lines.ts `migrateFile`): safe to run at every start, and
   * after a crash in the middle. A file that cannot be converted (a link, unreadable) is left
   * as it is: it is still given out right, as its name says it holds CRLF. Returns how many.
   */
  async migrate(domain: string, user: string): Promise<number> {
    const dir = this.boxDir(domain, user);
    const scope = this.boxScope(domain, user);
    let n = 0;
    for (const sub of ['new', 'cur'] as const) {
      const names = await fs.readdir(path.join(dir, sub)).catch(() => [] as string[]);
      for (const name of names) {
        if (name.startsWith('.') || !isLegacy(name.split(':')[0])) continue;
        const converted = await migrateFile(dir, sub, name, (abs) => readFileConfined(abs, scope)).catch(() => false);
        if (converted) n += 1;
      }
    }
    return n;
  }

  /** stop the writer thread (the mail system closed) */
  close(): Promise<void> {
    return this.writer.close();
  }

  /** new/ and cur/, oldest first (names start with the delivery time) */
  async list(domain: string, user: string): Promise<MaildirFile[]> {
    const dir = this.boxDir(domain, user);
    const scope = this.boxScope(domain, user);
    const out: MaildirFile[] = [];
    // a mailbox (or its new/, cur/) that is a link to another folder is refused (OutsideRootError), not listed
    existingSync(dir, scope);
    for (const sub of ['new', 'cur'] as const) {
      existingSync(path.join(dir, sub), scope);
      let names: string[];
      try {
        names = await fs.readdir(path.join(dir, sub));
      } catch {
        continue;
      }
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const uid = name.split(':')[0];
        const rel = path.join(domain, user, sub, name);
        const tagged = sizeTags(uid);
        if (tagged) {
          out.push({ uid, rel, size: tagged.disk, wireSize: tagged.wire, mtime: Number(uid.split('.')[0]) * 1000 });
          continue;
        }
        try {
          // a file with no size tags (put there by another program): its wire size needs its bytes
          const abs = path.join(dir, sub, name);
          const st = await fs.lstat(abs);
          if (!st.isFile()) continue;
          const bytes = await readFileConfined(abs, scope);
          out.push({ uid, rel, size: st.size, wireSize: wireSize(bytes), mtime: st.mtimeMs });
        } catch {
          // removed meanwhile (a POP3 QUIT): skip it
        }
      }
    }
    return out.sort((a, b) => BY_NAME(a.uid, b.uid));
  }

  async find(domain: string, user: string, uid: string): Promise<MaildirFile | undefined> {
    if (!UID.test(uid)) return undefined;
    return (await this.list(domain, user)).find((f) => f.uid === uid);
  }

  /** a message's bytes as the wire carries them (CRLF); a link out of its mailbox throws OutsideRootError */
  async read(file: MaildirFile): Promise<Buffer> {
    const disk = await readFileConfined(path.join(this.root, file.rel), this.fileScope(file));
    return isLegacy(file.uid) ? disk : toWire(disk);
  }

  /** the first bytes (headers) of a message as stored (LF line ends), for listings */
  async head(file: MaildirFile, bytes = 16 * 1024): Promise<Buffer> {
    const fh = await openConfined(path.join(this.root, file.rel), this.fileScope(file));
    try {
      const buf = Buffer.alloc(Math.min(bytes, file.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async remove(file: MaildirFile): Promise<void> {
    await removeConfined(path.join(this.root, file.rel), this.fileScope(file));
  }

  /** fsync files (and their directories) so a journal covering them may be deleted */
  async sync(rels: string[]): Promise<void> {
    const dirs = new Set<string>();
    const one = async (rel: string): Promise<void> => {
      const abs = path.join(this.root, rel);
      dirs.add(path.dirname(abs));
      const fh = await fs.open(abs, 'r').catch(() => null);
      if (!fh) return; // already read and deleted: nothing to keep
      await fh.sync().finally(() => fh.close());
    };
    for (let i = 0; i < rels.length; i += 16) await Promise.all(rels.slice(i, i + 16).map(one));
    for (const dir of dirs) {
      const fh = await fs.open(dir, 'r').catch(() => null);
      if (fh) await fh.sync().catch(() => undefined).finally(() => fh.close());
    }
  }
}

interface WriteJob {
  tmp: string;
  dest: string;
  data: Buffer[];
  done: (err?: Error) => void;
}

/**
 * The Maildir writes (open, write, close in tmp/, rename into new/) run in a worker thread,
 * in batches: four asynchronous fs calls per message cost the main thread — which answers
 * every SMTP client — far more than one message to the worker per batch. Without a worker
 * (it could not start), the same steps run with fs/promises.
 */
class MaildirWriter {
  private worker: Worker | null = null;
  private failed = false;
  private queue: WriteJob[] = [];
  private inFlight: WriteJob[] | null = null;
  private scheduled = false;

  write(tmp: string, dest: string, data: Buffer[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ tmp, dest, data, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.scheduled && !this.inFlight) {
        this.scheduled = true;
        setImmediate(() => this.send());
      }
    });
  }

  private start(): Worker | null {
    if (this.worker || this.failed) return this.worker;
    try {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.unref();
      w.on('message', (errors: (string | null)[]) => this.finished(errors));
      w.on('error', () => this.fail());
      w.on('exit', () => this.fail());
      this.worker = w;
    } catch {
      this.failed = true;
    }
    return this.worker;
  }

  private send(): void {
    this.scheduled = false;
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight = batch;
    const worker = this.start();
    if (!worker) {
      void Promise.all(batch.map((j) => fallbackWrite(j))).then(() => this.finished(batch.map(() => null), true));
      return;
    }
    worker.postMessage(batch.map((j) => ({ tmp: j.tmp, dest: j.dest, data: j.data })));
  }

  private finished(errors: (string | null)[], handled = false): void {
    const batch = this.inFlight ?? [];
    this.inFlight = null;
    if (!handled) batch.forEach((j, i) => j.done(errors[i] ? new Error(errors[i] ?? '') : undefined));
    if (this.queue.length > 0) this.send();
  }

  /** the worker died: what it had is written again the ordinary way (a rewrite of the same names is harmless) */
  private fail(): void {
    if (!this.worker) return;
    this.worker = null;
    this.failed = true;
    const batch = this.inFlight;
    this.inFlight = null;
    if (batch) this.queue.unshift(...batch);
    if (this.queue.length > 0) this.send();
  }

  async close(): Promise<void> {
    while (this.inFlight || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    const w = this.worker;
    this.worker = null;
    if (w) {
      w.removeAllListeners('exit');
      await w.terminate();
    }
  }
}

const MAX_BATCH = 512;

async function fallbackWrite(j: WriteJob): Promise<void> {
  try {
    await fs.writeFile(j.tmp, j.data, { flag: WRITE_FLAGS });
    await fs.rename(j.tmp, j.dest);
    j.done();
  } catch (err) {
    j.done(err as Error);
  }
}

/** a link in tmp/ is not written through (O_NOFOLLOW), a leftover file is replaced (replay) */
const WRITE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | (fsConstants.O_NOFOLLOW ?? 0);

/** the worker: plain CommonJS, so it needs no bundling; errors come back per job */
const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (jobs) => {
  const errors = jobs.map((j) => {
    try {
      const fd = fs.openSync(j.tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW || 0));
      try { fs.writevSync(fd, j.data); } finally { fs.closeSync(fd); }
      fs.renameSync(j.tmp, j.dest);
      return null;
    } catch (err) {
      return String(err && err.message || err);
    }
  });
  parentPort.postMessage(errors);
});
`;
