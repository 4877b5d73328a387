/**
 * The lab's mail system, shared by every SMTP listener and the POP3 server: who the users
 * are, the spool (an accepted message is on disk before 250), local delivery into Maildir,
 * and the outgoing queue that relays to other lab domains' mail servers.
 *
 * Submission (port 2525) relays every recipient through the queue, as Alice's mail server
 * does in Kurose & Ross §2.3; a domain's own MX delivers its users' mail locally and
 * relays the rest. Recipients outside the lab are refused (never an open relay).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Endpoint, MailChanged, MailReturned } from '../api';
import type { ServiceContext } from '../services/service';
import { reply } from './smtp/smtp-replies';
import type { AcceptedBy, Envelope, RecipientCheck } from './envelope';

export type { AcceptedBy } from './envelope';
import { MaildirStore } from './maildir';
import { DEFAULT_TIMING, RelayQueue, type RelayTiming } from './relay-queue';
import { domainsOf, Spool, type SpoolDamage, type SpoolEntry } from './spool';
import { Returns } from './returns';
import { Limiter } from './limiter';
import { LoginThrottle } from './login-throttle';
import { receivedHeader, returnPathHeader, topReceived } from './trace';
import { MailDirectory, splitAddress, SUBMISSION_HOST } from './users';

export { SUBMISSION_HOST } from './users';

type Stored = SpoolEntry;

export const MAX_MESSAGE = 10 * 1024 * 1024;
export const MAX_RECIPIENTS = 100;
const COMPACT_EVERY_MS = 30_000;
/** the ids accept() gives: seconds, the process, a counter */
const LAB_QUEUE_ID = /^\d{1,12}\.N\d{1,10}Q\d{1,12}$/;
/** a local delivery that failed (a full disk) is tried again after 1 s, 2 s, 4 s … at most 30 s apart */
const LOCAL_RETRY_MS = 1000;
const LOCAL_RETRY_MAX_MS = 30_000;

export class MailSystem {
  private loadedDirectory: MailDirectory | null = null;
  /** the lab's mail users (resources/mail/users.yaml), read on first use rather than with the lab */
  get directory(): MailDirectory {
    return (this.loadedDirectory ??= MailDirectory.load(this.ctx.resourcesDir));
  }
  readonly maildir: MaildirStore;
  readonly queue: RelayQueue;
  private spool: Spool;
  /** what the queue gives back: outcomes in the spool, reports to senders (returns.ts) */
  private returns: Returns;
  private opened: Promise<void> | null = null;
  private counter = 0;
  private listeners = new Set<(change: MailChanged) => void>();
  /** wrong passwords to SMTP AUTH, POP3 and IMAP, slowed and counted together (tests set small limits) */
  readonly logins = new LoginThrottle();
  /** the submission listener's real port, for the lab's own user agent */
  submissionPort = 2525;
  /** uid → POP3 connections that retrieved it, this run */
  readonly retrievals = new Map<string, number[]>();
  private users = 0;
  private localPending = 0;
  /** relay key (`<id>/<domain>`) → the id a lab MX stored it under: a relay that comes again is stored once */
  private relayedKeys = new Map<string, string>();
  /** what the spool could not read at the last start */
  spoolDamage: SpoolDamage[] = [];
  /** counts the spool's closes: a delivery retry from before a close stops */
  private generation = 0;
  /** Maildir files written since the last compaction (not yet fsynced) */
  private delivered: string[] = [];
  private compactor: NodeJS.Timeout | null = null;
  /** Maildir writes (batched to a worker thread by MaildirStore), held back while messages are being
   *  accepted: on ext4 a rename waits for the journal commit an fdatasync forces, so they would slow every 250 */
  private deliveries = new Limiter(256, () => this.spoolBusy());

  constructor(
    private ctx: ServiceContext,
    timing: RelayTiming = DEFAULT_TIMING,
  ) {
    const root = path.join(ctx.dataDir, 'mail');
    this.maildir = new MaildirStore(root, ctx.dataDir);
    this.spool = new Spool(path.join(root, 'spool'));
    this.queue = new RelayQueue(
      {
        mx: (d) => ctx.internet.mx(d),
        dial: (h, p) => ctx.internet.dial(h, p),
        note: (port, names, dialled) => ctx.names.note(port, names, dialled),
        helo: () => SUBMISSION_HOST,
        finished: (item, failed) => this.returns.relayed(item, failed),
        changed: () => this.emit({ queue: true }),
      },
      timing,
    );
    this.returns = new Returns({
      spool: this.spool,
      directory: () => this.directory,
      emit: (change) => this.emit(change),
      newId: (at) => this.newId(at),
      dispatch: (entry) => this.dispatch(entry, false),
    });
  }

  /** what the queue returned to senders this run, newest last (the queue pane lists it) */
  get returned(): MailReturned[] {
    return this.returns.list;
  }

  /** a queue id: seconds, the process, a counter (LAB_QUEUE_ID) */
  private newId(at: Date): string {
    return `${Math.floor(at.getTime() / 1000)}.N${process.pid}Q${++this.counter}`;
  }

  /** Open the spool once (the first listener to start does it) and replay unfinished work. */
  ready(): Promise<void> {
    this.opened ??= this.open();
    return this.opened;
  }

  private async open(): Promise<void> {
    await Promise.all(this.directory.users.map((u) => this.maildir.ensure(u.domain, u.local)));
    // mailboxes a lab before LF storage wrote in CRLF: converted before the replay below looks for its files
    for (const u of this.directory.users) await this.maildir.migrate(u.domain, u.local).catch(() => 0);
    const { pending, done, older, relayed, damaged } = await this.spool.open();
    this.relayedKeys = relayed;
    this.spoolDamage = damaged;
    for (const d of damaged) {
      console.warn(`NetLab mail spool: ${d.file} has ${d.bytes} unreadable bytes at offset ${d.offset}; the messages in them are lost, the file is kept as spool/${d.keptAs}`);
    }
    const finished = new Set(done.map((d) => d.key));
    for (const e of pending as Stored[]) this.dispatch(e, true, finished);
    // the journals replayed are now carried over: keep the files they delivered, then let them go
    // (when the carry-over could not be written, `older` is empty: they wait in the spool's rolled list)
    void this.maildir
      .sync(done.flatMap((d) => d.files))
      .then(() => this.spool.retire(older))
      .catch(() => undefined);
    this.compactor = setInterval(() => void this.compact(), COMPACT_EVERY_MS);
    this.compactor.unref();
  }

  /**
   * A long-running lab rolls its journal every 64 MB; a rolled file goes once nothing is
   * pending (queue empty, no delivery under way) and the Maildir files written since are fsynced.
   */
  private async compact(): Promise<void> {
    const idle = this.queue.size === 0 && this.localPending === 0;
    if (this.delivered.length > 200_000 || (idle && this.spool.rolled.length > 0)) {
      const files = this.delivered.splice(0);
      await this.maildir.sync(files).catch(() => undefined);
      if (idle && this.queue.size === 0 && this.localPending === 0) await this.spool.dropRolled().catch(() => undefined);
    }
  }

  onChange(listener: (change: MailChanged) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changedBoxes = new Set<string>();
  private changedQueue = false;
  private changeTimer: NodeJS.Timeout | null = null;

  /** Coalesced: a burst of deliveries (a benchmark, a relay catching up) is one event per mailbox every 100 ms, not one per message. */
  private emit(change: MailChanged): void {
    if (change.mailbox) this.changedBoxes.add(change.mailbox);
    if (change.queue) this.changedQueue = true;
    if (this.listeners.size === 0) {
      this.changedBoxes.clear();
      this.changedQueue = false;
      return;
    }
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      const events: MailChanged[] = [...this.changedBoxes].map((mailbox) => ({ mailbox, queue: false }));
      if (this.changedQueue) events.push({ queue: true });
      this.changedBoxes.clear();
      this.changedQueue = false;
      for (const e of events) for (const l of this.listeners) l(e);
    }, 100);
    this.changeTimer.unref();
  }

  private spoolBusy(): boolean {
    return performance.now() - this.spool.lastCommit < 20;
  }

  // ---------- what an SMTP server asks ----------

  checkSender(local: string | undefined, address: string): RecipientCheck {
    if (local !== undefined || address === '') return { ok: true };
    return this.directory.user(address) ? { ok: true } : { ok: false, reply: reply.senderRefused(address) };
  }

  /**
   * A server knows its own domain's users (unknown: 550 at RCPT); another lab domain's it
   * cannot verify, so it accepts and relays — the next hop may refuse, and the message
   * comes back to its sender as a bounce (RFC 5321 §4.5.5). Submission delivers nothing itself.
   */
  checkRecipient(local: string | undefined, address: string): RecipientCheck {
    const parts = splitAddress(address);
    if (!parts || !this.directory.domain(parts.domain)) return { ok: false, reply: reply.relayDenied(address) };
    if (parts.domain !== local) return { ok: true };
    return this.directory.user(address) ? { ok: true } : { ok: false, reply: reply.userUnknown(address) };
  }

  /** SMTP AUTH on submission checks the same lab passwords as POP3 (`bob` / `hungry`) */
  authenticate(login: string, password: string): string | undefined {
    const user = this.directory.login(login);
    return user && user.password === password ? user.address : undefined;
  }

  verify(arg: string): string {
    const a = arg.replace(/^<|>$/g, '');
    const user = a.includes('@') ? this.directory.user(a) : this.directory.login(a);
    return user ? reply.verified(user.name, user.address) : reply.unverifiable(a);
  }

  /** Store durably (the caller answers 250 after this resolves), then deliver or queue. */
  async accept(by: AcceptedBy, envelope: Envelope, data: Buffer): Promise<string> {
    await this.ready();
    const now = new Date();
    const id = this.newId(now);
    const received = receivedHeader({
      helo: envelope.helo,
      clientName: by.clientName,
      clientAddress: by.clientAddress,
      by: by.local ? by.hostname : SUBMISSION_HOST,
      esmtp: envelope.esmtp,
      auth: envelope.auth,
      ...(by.protocol ? { protocol: by.protocol } : {}),
      id,
      conn: by.conn,
      for: envelope.rcpts.length === 1 ? envelope.rcpts[0] : undefined,
      date: now,
    });
    const relayOf = by.local ? this.relayKeyOf(by.local, data, envelope.rcpts) : undefined;
    const again = relayOf && this.relayedKeys.get(relayOf);
    // the lab's own relay bringing a message this MX already stored (its 250 or its done record
    // was lost in a crash): the same answer, nothing stored twice
    if (again) return again;
    const entry: Stored = {
      id,
      from: envelope.from,
      rcpts: [...envelope.rcpts],
      received: now.getTime(),
      local: by.local,
      ...(relayOf ? { relayOf } : {}),
      ...(envelope.body ? { body: envelope.body } : {}),
      // command lines are read as UTF-8 (a HELO name): the trace header keeps their bytes
      data: Buffer.concat([Buffer.from(received, 'utf8'), data]),
    };
    await this.spool.append(entry);
    if (relayOf) this.relayedKeys.set(relayOf, id);
    this.dispatch(entry, false);
    return id;
  }

  /**
   * The relay key of a message the lab's own queue brings to a lab MX: its top Received: line
   * is the lab server's that queued it, with the queue id (RFC 5321 §4.4). Anything else — a
   * client typing to the MX, an outside MTA — has none and is stored as it comes. The
   * recipients are part of the key: a relay retrying only the recipients refused with 4xx the
   * first time is a new transaction, not the same one again.
   */
  private relayKeyOf(local: string, data: Buffer, rcpts: string[]): string | undefined {
    const hop = topReceived(data);
    if (!hop?.id || !LAB_QUEUE_ID.test(hop.id) || !this.directory.domains.some((d) => d.host === hop.by)) return undefined;
    const who = crc32(rcpts.map((r) => r.toLowerCase()).sort().join(',')).toString(16);
    return `${hop.id}/${local}#${who}`;
  }

  private dispatch(entry: Stored, replay: boolean, finished = new Set<string>()): void {
    for (const domain of domainsOf(entry)) {
      if (finished.has(`${entry.id}/${domain}`)) continue;
      const rcpts = entry.rcpts.filter((r) => splitAddress(r)?.domain === domain);
      if (domain === entry.local) {
        this.localPending += 1;
        this.deliverLocal(entry, domain, rcpts, replay, 0, this.generation);
      }
      else this.queue.add({ id: entry.id, domain, from: entry.from, rcpts, data: entry.data, created: entry.received, ...(entry.body ? { body: entry.body } : {}) });
    }
  }

  /** Delivered when the limiter lets it start (held while the spool commits); a failed attempt (a full disk) is
   *  queued again after its back-off (an existing file is kept: no one gets it twice) until the lab stops. */
  private deliverLocal(entry: Stored, domain: string, rcpts: string[], replay: boolean, attempt: number, generation: number): void {
    this.deliveries.start(async () => {
      const files = await this.deliverOnce(entry, domain, rcpts, replay || attempt > 0).catch(() => undefined);
      if (files) {
        this.spool.done({ key: `${entry.id}/${domain}`, files, outcome: 'delivered' });
        this.delivered.push(...files);
        this.localPending -= 1;
        return;
      }
      const retry = setTimeout(() => {
        if (generation !== this.generation) this.localPending -= 1;
        else this.deliverLocal(entry, domain, rcpts, replay, attempt + 1, generation);
      }, Math.min(LOCAL_RETRY_MS * 2 ** attempt, LOCAL_RETRY_MAX_MS));
      retry.unref();
    });
  }

  /** Each recipient's Maildir file, or undefined when one could not be written. */
  private async deliverOnce(entry: Stored, domain: string, rcpts: string[], replay: boolean): Promise<string[] | undefined> {
    const files: string[] = [];
    const data = [Buffer.from(returnPathHeader(entry.from), 'utf8'), entry.data];
    let n = 0;
    for (const rcpt of rcpts) {
      const user = this.directory.user(rcpt);
      n += 1;
      if (!user) continue; // checked at RCPT; a user removed since then: nothing to deliver to
      const uid = `${Math.floor(entry.received / 1000)}.${entry.id.split('.')[1]}R${n}.netlab`;
      try {
        files.push(await this.maildir.deliver(domain, user.local, uid, data, replay));
      } catch {
        return undefined;
      }
      this.emit({ mailbox: user.address, queue: false });
    }
    return files;
  }

  /** A lab's restart: no delivery half-written or relay under way (15 s at most); the queued messages are dropped (done in the spool, not bounced). */
  async settle(dropQueued: boolean): Promise<void> {
    const until = Date.now() + 15_000;
    while ((this.localPending > 0 || this.queue.list().some((q) => q.state === 'sending')) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    if (!dropQueued || !this.opened) return;
    for (const q of this.queue.list()) if (q.state === 'queued') this.spool.done({ key: `${q.id}/${q.domain}`, files: [], outcome: 'failed' });
    this.queue.clear();
    this.emit({ queue: true });
  }

  // ---------- what the UI and POP3 ask ----------

  /** label a lab client's socket in the inspector */
  notePort(localPort: number, names: { client: Partial<Endpoint>; server: Partial<Endpoint> }, dialled?: number): () => void {
    return this.ctx.names.note(localPort, names, dialled);
  }

  changedMailbox(address: string): void {
    this.emit({ mailbox: address, queue: false });
  }

  noteRetrieval(uid: string, conn: number): void {
    const list = this.retrievals.get(uid) ?? [];
    if (!list.includes(conn)) list.push(conn);
    this.retrievals.set(uid, list.slice(-20));
  }

  /** A mail listener started: the spool opens with the first one. */
  async retain(): Promise<void> {
    this.users += 1;
    await this.ready();
  }

  /** A mail listener stopped: the last one closes the spool; what is queued waits in it for the next start. */
  async release(): Promise<void> {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0 || !this.opened) return;
    const opened = this.opened;
    this.opened = null;
    this.generation += 1;
    await opened.catch(() => undefined);
    this.queue.clear();
    if (this.compactor) clearInterval(this.compactor);
    this.compactor = null;
    await this.spool.close();
    await this.maildir.close();
  }
}
