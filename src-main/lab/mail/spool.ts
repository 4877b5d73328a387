/**
 * The mail spool: an append-only journal that makes an accepted message durable before
 * the server says 250 (RFC 5321 §4.5.4: "the receiver MUST NOT lose the message").
 *
 * Messages arriving while a write is on disk are committed together with one synchronous
 * write (group commit, O_DSYNC or write + fdatasync): a disk sync costs about as much for one
 * message as for fifty. What comes
 * after — Maildir delivery, relay to the next hop — runs from the spool and writes a
 * `done` record when finished; a lab that stops half way replays what is not done.
 *
 * Record layout (text head, raw body):  `A <id> <metaLen> <dataLen>\n<meta json><data>\n`
 * and `D <key> <json>\n`. A torn last record (power cut mid-write) is ignored on replay.
 */
import fsc from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface SpoolMeta {
  id: string;
  from: string;
  rcpts: string[];
  /** ms since the epoch */
  received: number;
  /** the domain the accepting server delivers itself (an MX); undefined: relay everything */
  local?: string;
}

export interface SpoolEntry extends SpoolMeta {
  data: Buffer;
}

/** key: `<id>/<domain>`; files: Maildir paths (relative to the mail root) it produced */
export interface DoneRecord {
  key: string;
  files: string[];
  outcome: 'delivered' | 'relayed' | 'failed';
}

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
const JOURNAL_FLAGS = fsc.constants.O_WRONLY | fsc.constants.O_CREAT | fsc.constants.O_APPEND | (O_DSYNC ?? 0);
/** start a new journal file past this size; the old one is compacted once all of it is done */
const ROLL_BYTES = 64 * 1024 * 1024;

export class Spool {
  /** the journal's descriptor (plain fs calls: the group commit runs for every message) */
  private fd: number | null = null;
  private seq = 0;
  private size = 0;
  private waiting: Waiter[] = [];
  private doneLines: Buffer[] = [];
  private writing = false;
  private soon = false;
  private doneTimer: NodeJS.Timeout | null = null;
  /** when messages were last committed (performance.now()): deliveries yield to a busy spool */
  lastCommit = -Infinity;
  /** journal files closed by a roll: deletable once everything in them is done and durable */
  readonly rolled: string[] = [];

  constructor(
    private dir: string,
    private rollBytes = ROLL_BYTES,
  ) {}

  /** Open the journal and return what earlier runs accepted and did not finish. */
  async open(): Promise<{ pending: SpoolEntry[]; done: DoneRecord[]; older: string[] }> {
    await fs.mkdir(this.dir, { recursive: true });
    const names = (await fs.readdir(this.dir)).filter((n) => JOURNAL.test(n)).sort((a, b) => seqOf(a) - seqOf(b));
    const accepted = new Map<string, SpoolEntry>();
    const done: DoneRecord[] = [];
    for (const name of names) readJournal(await fs.readFile(path.join(this.dir, name)), accepted, done);
    this.seq = names.length ? seqOf(names[names.length - 1]) + 1 : 1;
    await this.openFile();
    const finished = new Set(done.map((d) => d.key));
    const pending = [...accepted.values()].filter((e) => domainsOf(e).some((d) => !finished.has(`${e.id}/${d}`)));
    // carry what is unfinished into the new journal, so the old files can go
    for (const e of pending) this.waiting.push({ bytes: acceptRecord(e), resolve: () => undefined, reject: () => undefined });
    for (const d of done.filter((x) => pending.some((e) => x.key.startsWith(`${e.id}/`)))) this.doneLines.push(doneRecord(d));
    await this.flushNow();
    return { pending, done, older: names.map((n) => path.join(this.dir, n)) };
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
    // coalesced: ride on the next commit, or go alone a moment later
    this.doneTimer ??= setTimeout(() => {
      this.doneTimer = null;
      void this.flushNow();
    }, 50);
  }

  /** Delete the rolled journals (the caller made sure all their work is done and on disk). */
  async dropRolled(): Promise<void> {
    for (const f of this.rolled.splice(0)) await fs.rm(f, { force: true });
  }

  async close(): Promise<void> {
    if (this.doneTimer) clearTimeout(this.doneTimer);
    this.doneTimer = null;
    await this.flushNow();
    while (this.writing) await new Promise((r) => setTimeout(r, 5));
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) await new Promise<void>((r) => fsc.close(fd, () => r()));
  }

  private async openFile(): Promise<void> {
    this.fd = await new Promise<number>((resolve, reject) =>
      fsc.open(path.join(this.dir, `journal-${this.seq}.log`), JOURNAL_FLAGS, (err, fd) => (err ? reject(err) : resolve(fd))),
    );
    this.size = 0;
  }

  private async flushNow(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while ((this.waiting.length > 0 || this.doneLines.length > 0) && this.fd !== null) {
        const fd = this.fd;
        const batch = this.waiting;
        const buffers = this.doneLines;
        this.waiting = [];
        this.doneLines = [];
        for (const w of batch) buffers.push(...w.bytes);
        try {
          const written = await writev(fd, buffers);
          if (batch.length > 0 && !O_DSYNC) await fdatasync(fd);
          this.size += written;
          if (batch.length > 0) this.lastCommit = performance.now();
          for (const w of batch) w.resolve();
        } catch (err) {
          for (const w of batch) w.reject(err as Error);
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

function writev(fd: number, buffers: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => fsc.writev(fd, buffers, (err, n) => (err ? reject(err) : resolve(n))));
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

const NL = Buffer.from('\n');

function acceptRecord(e: SpoolEntry): Buffer[] {
  const meta = JSON.stringify({ id: e.id, from: e.from, rcpts: e.rcpts, received: e.received, local: e.local });
  const metaLen = Buffer.byteLength(meta);
  return [Buffer.from(`A ${e.id} ${metaLen} ${e.data.length}\n${meta}`), e.data, NL];
}

function doneRecord(d: DoneRecord): Buffer {
  return Buffer.from(`D ${d.key} ${JSON.stringify({ files: d.files, outcome: d.outcome })}\n`);
}

/** Parse a journal; stops quietly at a torn tail. */
export function readJournal(buf: Buffer, accepted: Map<string, SpoolEntry>, done: DoneRecord[]): void {
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0 || nl - at > 1_000_000) return;
    const head = buf.subarray(at, nl).toString('latin1');
    const a = /^A (\S{1,64}) (\d{1,9}) (\d{1,10})$/.exec(head);
    if (a) {
      const metaLen = Number(a[2]);
      const dataLen = Number(a[3]);
      const end = nl + 1 + metaLen + dataLen;
      if (end + 1 > buf.length || buf[end] !== 0x0a) return;
      try {
        const meta = JSON.parse(buf.subarray(nl + 1, nl + 1 + metaLen).toString('utf8')) as SpoolMeta;
        accepted.set(a[1], { ...meta, data: Buffer.from(buf.subarray(nl + 1 + metaLen, end)) });
      } catch {
        return;
      }
      at = end + 1;
      continue;
    }
    const d = /^D (\S{1,200}) (.*)$/.exec(head);
    if (!d) return;
    try {
      const body = JSON.parse(d[2]) as Pick<DoneRecord, 'files' | 'outcome'>;
      done.push({ key: d[1], files: body.files ?? [], outcome: body.outcome });
    } catch {
      return;
    }
    at = nl + 1;
  }
}
