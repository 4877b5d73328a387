/**
 * The mail spool: an append-only journal that makes an accepted message durable before
 * the server says 250 (RFC 5321 §4.5.4: "the receiver MUST NOT lose the message").
 *
 * Messages arriving while a write is on disk are committed together with one synchronous
 * write (group commit, O_DSYNC or write + fdatasync): a disk sync costs about as much for one
 * message as for fifty. What comes after — Maildir delivery, relay to the next hop — runs
 * from the spool and writes a `done` record when finished; a lab that stops half way replays
 * what is not done. The record format is journal.ts's.
 *
 * The journal is filled with zeros ahead of its records, a step at a time, and that is synced
 * once: a synchronous write into blocks the file already has changes no file-system metadata,
 * so it costs the disk about half what a write that grows the file costs (on ext4, no journal
 * commit of the new size: PostgreSQL fills its WAL segments with zeros for the same reason).
 * The reader takes the zeros after the last record for what they are (journal.ts).
 *
 * A commit counts only when every byte of it was written: a short write (a full disk) is
 * retried, an error cut back off the file (ftruncate to the last whole record) and reported
 * to the waiting servers, which answer 451 instead of 250. A journal file is deleted only
 * once all it holds is durably elsewhere; a file with damaged records is set aside, never
 * deleted.
 */
import fsc from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { acceptRecord, doneRecord, JOURNAL_HEADER, readJournal, type DoneRecord, type JournalDamage, type SpoolEntry, type SpoolMeta } from './journal';

export type { DoneRecord, SpoolEntry, SpoolMeta } from './journal';

interface Waiter {
  /** the record in pieces, written with one writev (the message body is not copied again) */
  bytes: Buffer[];
  resolve: () => void;
  reject: (err: Error) => void;
}

const JOURNAL = /^journal-(\d{1,12})\.log$/;
/** O_DSYNC: each write returns once its data is on disk, so a commit is one system call (one trip
 *  to the thread pool) instead of write + fdatasync; where the flag does not exist, fdatasync it is */
const O_DSYNC = fsc.constants.O_DSYNC as number | undefined;
const JOURNAL_FLAGS = fsc.constants.O_WRONLY | fsc.constants.O_CREAT | (O_DSYNC ?? 0);
/** start a new journal file past this size; the old one is compacted once all of it is done */
const ROLL_BYTES = 64 * 1024 * 1024;
/** the journal is zero-filled this far ahead of its records (about 800 messages of 1 KiB) */
const FILL_STEP = 1024 * 1024;
const ZEROS = Buffer.alloc(64 * 1024);

/** what a damaged journal lost, for the mail view and the log */
export interface SpoolDamage extends JournalDamage {
  /** the journal file, relative to the spool directory */
  file: string;
  /** where the file is kept for a person to look at (relative to the spool directory) */
  keptAs: string;
}

export interface SpoolOpened {
  /** messages accepted earlier whose delivery to some domain is not done */
  pending: SpoolEntry[];
  done: DoneRecord[];
  /** every relay key a lab MX has stored a message for, with the MX's id (see SpoolMeta.relayOf) */
  relayed: Map<string, string>;
  /** the journal files read: once `carried` and the Maildir files of `done` are synced, `retire` them */
  older: string[];
  /** everything still needed from `older` is committed to the new journal */
  carried: boolean;
  damaged: SpoolDamage[];
}

/** where damaged journals are set aside */
const DAMAGED_DIR = 'damaged';
/** done records that could not be written (a full disk) are tried again after this long */
const DONE_RETRY_MS = 1000;

export class Spool {
  /** the journal's descriptor (plain fs calls: the group commit runs for every message) */
  private fd: number | null = null;
  private seq = 0;
  /** bytes of whole records in the open journal: a failed write is cut back to here */
  private size = 0;
  /** bytes of the open journal zero-filled and synced: records up to here only overwrite */
  private filled = 0;
  private waiting: Waiter[] = [];
  private doneLines: Buffer[] = [];
  private writing = false;
  private soon = false;
  private doneTimer: NodeJS.Timeout | null = null;
  /** files with damaged records: set aside instead of deleted */
  private damagedFiles = new Set<string>();
  /** when messages were last committed (performance.now()): deliveries yield to a busy spool */
  lastCommit = -Infinity;
  /** journal files closed by a roll (or kept from a start that could not carry them over):
   *  deletable once everything in them is done and durable */
  readonly rolled: string[] = [];

  constructor(
    private dir: string,
    private rollBytes = ROLL_BYTES,
  ) {}

  /** Open the journal and return what earlier runs accepted and did not finish. */
  async open(): Promise<SpoolOpened> {
    await fs.mkdir(this.dir, { recursive: true });
    const names = (await fs.readdir(this.dir)).filter((n) => JOURNAL.test(n)).sort((a, b) => seqOf(a) - seqOf(b));
    const accepted = new Map<string, SpoolEntry>();
    const done: DoneRecord[] = [];
    const damaged: SpoolDamage[] = [];
    for (const name of names) {
      const read = readJournal(await fs.readFile(path.join(this.dir, name)), { accepted, done });
      if (read.damaged.length === 0) continue;
      this.damagedFiles.add(path.join(this.dir, name));
      for (const d of read.damaged) damaged.push({ ...d, file: name, keptAs: path.join(DAMAGED_DIR, name) });
    }
    this.seq = names.length ? seqOf(names[names.length - 1]) + 1 : 1;
    await this.openFile();
    const finished = new Set(done.map((d) => d.key));
    const pending = [...accepted.values()].filter((e) => domainsOf(e).some((d) => !finished.has(`${e.id}/${d}`)));
    const relayed = new Map<string, string>();
    for (const e of accepted.values()) if (e.relayOf) relayed.set(e.relayOf, e.id);
    // carry into the new journal what is unfinished, and the lab MX's copies of relays still
    // unfinished (their relay may come again: the copy is how it is recognised), so the old files can go
    const pendingIds = new Set(pending.map((e) => e.id));
    const carry = [...accepted.values()].filter((e) => pendingIds.has(e.id) || (e.relayOf && pendingIds.has(e.relayOf.split('/')[0])));
    const carriedIds = new Set(carry.map((e) => e.id));
    const commits = carry.map((e) => new Promise<void>((resolve, reject) => this.waiting.push({ bytes: acceptRecord(e), resolve, reject })));
    for (const d of done) if (carriedIds.has(d.key.slice(0, d.key.lastIndexOf('/')))) this.doneLines.push(doneRecord(d));
    const doneCarried = this.doneLines.length;
    await this.flushNow();
    const carried = (await Promise.allSettled(commits)).every((r) => r.status === 'fulfilled') && (doneCarried === 0 || this.doneLines.length === 0);
    if (!carried) this.rolled.push(...names.map((n) => path.join(this.dir, n)));
    return { pending, done, relayed, older: carried ? names.map((n) => path.join(this.dir, n)) : [], carried, damaged };
  }

  /** Resolves once the message is on disk (fdatasync), committed with whatever else arrived meanwhile. */
  append(entry: SpoolEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ bytes: acceptRecord(entry), resolve, reject });
      // the messages that end in this turn of the event loop go to disk together: one write, one
      // wake-up of the thread pool, instead of the first alone and the rest after its sync
      if (!this.soon) {
        this.soon = true;
        setImmediate(() => {
          this.soon = false;
          void this.flushNow();
        });
      }
    });
  }

  /** Record that a delivery finished; written with the next commit (replay is idempotent until then). */
  done(record: DoneRecord): void {
    this.doneLines.push(doneRecord(record));
    this.flushDoneSoon(50);
  }

  /** coalesced: done records ride on the next commit, or go alone a moment later */
  private flushDoneSoon(ms: number): void {
    this.doneTimer ??= setTimeout(() => {
      this.doneTimer = null;
      void this.flushNow();
    }, ms);
  }

  /** Delete the rolled journals (the caller made sure all their work is done and on disk). */
  async dropRolled(): Promise<void> {
    await this.retire(this.rolled.splice(0));
  }

  /** Journals whose work is all done and durable elsewhere: deleted, or set aside if damaged. */
  async retire(files: string[]): Promise<void> {
    for (const f of files) {
      if (!this.damagedFiles.has(f)) {
        await fs.rm(f, { force: true });
        continue;
      }
      await fs.mkdir(path.join(this.dir, DAMAGED_DIR), { recursive: true });
      await fs.rename(f, path.join(this.dir, DAMAGED_DIR, path.basename(f)));
      this.damagedFiles.delete(f);
    }
  }

  async close(): Promise<void> {
    if (this.doneTimer) clearTimeout(this.doneTimer);
    this.doneTimer = null;
    await this.flushNow();
    while (this.writing) await new Promise((r) => setTimeout(r, 5));
    if (this.doneTimer) clearTimeout(this.doneTimer);
    this.doneTimer = null;
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) await new Promise<void>((r) => fsc.close(fd, () => r()));
  }

  private async openFile(): Promise<void> {
    this.fd = await new Promise<number>((resolve, reject) =>
      fsc.open(path.join(this.dir, `journal-${this.seq}.log`), JOURNAL_FLAGS, (err, fd) => (err ? reject(err) : resolve(fd))),
    );
    this.size = 0;
    this.filled = 0;
  }

  /** Zero-fill (and sync) the journal past the next `bytes` of records, a step ahead; a disk too
   *  full for the step gets exactly what this commit needs, or the commit fails. */
  private async fill(fd: number, bytes: number): Promise<void> {
    const need = this.size + bytes - this.filled;
    if (need <= 0) return;
    const step = Math.max(need, Math.min(FILL_STEP, this.rollBytes));
    let length = step;
    try {
      await writeAll(fd, zeros(step), this.filled, step);
    } catch (err) {
      if (step === need) throw err;
      length = need;
      await writeAll(fd, zeros(need), this.filled, need);
    }
    await fdatasync(fd);
    this.filled += length;
  }

  private async flushNow(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while ((this.waiting.length > 0 || this.doneLines.length > 0) && this.fd !== null) {
        const fd = this.fd;
        const batch = this.waiting;
        const doneLines = this.doneLines;
        this.waiting = [];
        this.doneLines = [];
        const buffers = this.size === 0 ? [JOURNAL_HEADER, ...doneLines] : [...doneLines];
        for (const w of batch) buffers.push(...w.bytes);
        try {
          const total = byteLength(buffers);
          await this.fill(fd, total);
          const written = await writeAll(fd, buffers, this.size, total);
          if (batch.length > 0 && !O_DSYNC) await fdatasync(fd);
          this.size += written;
          if (batch.length > 0) this.lastCommit = performance.now();
          for (const w of batch) w.resolve();
        } catch (err) {
          // nothing of this commit counts: cut the file back to its last whole record, so the
          // next commit does not follow a torn one; the messages are refused (451), the done
          // records wait for space
          await ftruncate(fd, this.size).catch(() => undefined);
          this.filled = this.size;
          for (const w of batch) w.reject(err as Error);
          this.doneLines = [...doneLines, ...this.doneLines];
          if (this.doneLines.length > 0) this.flushDoneSoon(DONE_RETRY_MS);
          break;
        }
        if (this.size > this.rollBytes) {
          await new Promise<void>((r) => fsc.close(fd, () => r()));
          this.rolled.push(path.join(this.dir, `journal-${this.seq}.log`));
          this.seq += 1;
          await this.openFile();
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

const byteLength = (buffers: Buffer[]): number => buffers.reduce((n, b) => n + b.length, 0);

/** `n` zero bytes as buffers for one writev (the same 64 KiB each time) */
function zeros(n: number): Buffer[] {
  const out: Buffer[] = [];
  for (; n > ZEROS.length; n -= ZEROS.length) out.push(ZEROS);
  out.push(ZEROS.subarray(0, n));
  return out;
}

/** Write every byte at `position` or fail: writev may write less than asked (a disk filling up mid-write). */
async function writeAll(fd: number, buffers: Buffer[], position: number, total = byteLength(buffers)): Promise<number> {
  let left = buffers;
  let written = 0;
  while (written < total) {
    const at = position + written;
    const n = await new Promise<number>((resolve, reject) => fsc.writev(fd, left, at, (err, k) => (err ? reject(err) : resolve(k))));
    if (n === 0) throw Object.assign(new Error('journal write made no progress'), { code: 'EIO' });
    written += n;
    left = skip(left, n);
  }
  return written;
}

/** the buffers after their first `n` bytes */
function skip(buffers: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < buffers.length && n >= buffers[i].length) n -= buffers[i++].length;
  const rest = buffers.slice(i);
  if (n > 0 && rest.length > 0) rest[0] = rest[0].subarray(n);
  return rest;
}

function ftruncate(fd: number, size: number): Promise<void> {
  return new Promise((resolve, reject) => fsc.ftruncate(fd, size, (err) => (err ? reject(err) : resolve())));
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsc.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

function seqOf(name: string): number {
  return Number(JOURNAL.exec(name)?.[1] ?? 0);
}

export function domainsOf(meta: SpoolMeta): string[] {
  return [...new Set(meta.rcpts.map((r) => r.slice(r.lastIndexOf('@') + 1).toLowerCase()))];
}
