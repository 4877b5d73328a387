/**
 * The capture's messages as columns: one typed array per field, one row per message, in a
 * ring with consecutive ids. Recording a message writes a few numbers and copies its first
 * bytes; it allocates no object, so a saturated service records at the cost of a memcpy,
 * not of an object the garbage collector must trace later (as a packet capture's ring of
 * fixed-size records does). The one-line summary is worked out when someone looks (a batch
 * for the UI, a page of history, a text filter) and then kept.
 *
 * The first HEAD_BYTES of each message are kept with its row, so a summary can still be
 * worked out after the byte arena has reused the message's full bytes. The heads are packed one
 * after another in a ring of their own, each only as long as it is (a reply line takes its 30
 * bytes, not HEAD_BYTES): the memory a busy capture touches follows what it records. The ring
 * holds HEAD_BYTES a row and one head more, so the heads of the rows held are never overwritten.
 */
import type { CaptureKind, CaptureSummary, Direction, Transport } from '../api';

export const HEAD_BYTES = 256;

const KINDS: readonly CaptureKind[] = ['chunk', 'message', 'event'];
const DIRS: readonly Direction[] = ['c2s', 's2c', 'none'];
const kindCode = (kind: CaptureKind): number => (kind === 'chunk' ? 0 : kind === 'message' ? 1 : 2);
const dirCode = (dir: Direction): number => (dir === 'c2s' ? 0 : dir === 's2c' ? 1 : 2);
/** heads up to this long are copied in a loop */
const SHORT_HEAD = 32;
const UDP = 1 << 4;
const WHOLE = 1 << 5;

/** A summary worked out only if asked, from the row's own bytes as the store holds them, after
 *  this prefix (the plaintext inside TLS: "inside TLS · GET / HTTP/1.1"). One object serves
 *  every such row: a row keeps nothing of its message beside the bytes the store copied. */
export class SummaryPrefix {
  constructor(readonly prefix: string) {}
}

/** A summary given by the recorder: a string, a function worked out only if asked, or a prefix to the protocol's own. */
export type SummaryText = string | (() => string) | SummaryPrefix;

/** Which service and protocol a row belongs to (a handful per lab: rows hold its index). */
export interface Channel {
  service: string;
  protocol: string;
  transport: Transport;
}


export class MessageTable {
  private capacity: number;
  private start = 0;
  private count = 0;
  /** the id the next row gets; ids keep growing across clear() */
  private nextId = 1;
  evicted = 0;
  private t!: Float64Array;
  private at!: Float64Array;
  private conn!: Int32Array;
  private size!: Int32Array;
  private kept!: Int32Array;
  private channelOf!: Int32Array;
  private flags!: Uint8Array;
  private headLength!: Uint16Array;
  /** where each row's head starts in `head` */
  private headAt!: Uint32Array;
  private head!: Uint8Array;
  /** where the next head goes in `head` */
  private headNext = 0;
  private text!: (SummaryText | undefined)[];
  readonly channels: Channel[] = [];
  private channelIndex = new Map<string, number>();
  /** the channel channel() found last */
  private lastChannel = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.allocate(capacity);
  }

  private allocate(capacity: number): void {
    this.t = new Float64Array(capacity);
    this.at = new Float64Array(capacity);
    this.conn = new Int32Array(capacity);
    this.size = new Int32Array(capacity);
    this.kept = new Int32Array(capacity);
    this.channelOf = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.headLength = new Uint16Array(capacity);
    this.headAt = new Uint32Array(capacity);
    this.head = new Uint8Array((capacity + 1) * HEAD_BYTES);
    this.headNext = 0;
    this.text = emptyTexts(capacity);
  }

  get limit(): number {
    return this.capacity;
  }
  /** the id of the oldest row held (the next id when empty) */
  get firstId(): number {
    return this.nextId - this.count;
  }
  get lastId(): number {
    return this.nextId - 1;
  }

  channel(service: string, protocol: string, transport: Transport): number {
    // the same as last time (a busy service's connections one after another): no key built
    const last = this.channels[this.lastChannel];
    if (last && last.service === service && last.protocol === protocol && last.transport === transport) return this.lastChannel;
    this.lastChannel = this.channelFor(service, protocol, transport);
    return this.lastChannel;
  }

  private channelFor(service: string, protocol: string, transport: Transport): number {
    const key = `${service}\u0000${protocol}\u0000${transport}`;
    let index = this.channelIndex.get(key);
    if (index === undefined) {
      index = this.channels.length;
      this.channels.push({ service, protocol, transport });
      this.channelIndex.set(key, index);
    }
    return index;
  }

  /**
   * One row: `at` is where its bytes sit in the arena (-1: none), `kept` how many were kept;
   * `bytes` the kept bytes, whose head the row copies. Arguments, not an object: a saturated
   * service records tens of thousands a second. `length`: how many of `bytes` are the message's
   * (a scratch buffer holds more: a capture note encoded in place, no Buffer made for it).
   */
  push(t: number, channel: number, conn: number, dir: Direction, kind: CaptureKind, size: number, at: number, kept: number, whole: boolean, text: SummaryText | undefined, bytes: Uint8Array, length = bytes.length): number {
    let slot: number;
    if (this.count < this.capacity) {
      slot = (this.start + this.count) % this.capacity;
      this.count++;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.capacity;
      this.evicted++;
    }
    this.t[slot] = t;
    this.at[slot] = at;
    this.conn[slot] = conn;
    this.size[slot] = size;
    this.kept[slot] = kept;
    this.channelOf[slot] = channel;
    this.flags[slot] = kindCode(kind) | (dirCode(dir) << 2) | (this.channels[channel].transport === 'udp' ? UDP : 0) | (whole ? WHOLE : 0);
    const n = Math.min(HEAD_BYTES, length);
    this.headLength[slot] = n;
    const from = this.headNext + n > this.head.length ? 0 : this.headNext;
    this.headAt[slot] = from;
    this.headNext = from + n;
    // a short message (a command, a reply line) copied byte by byte: cheaper than a native call
    if (n <= SHORT_HEAD) for (let i = 0; i < n; i++) this.head[from + i] = bytes[i];
    else this.head.set(n === bytes.length ? bytes : bytes.subarray(0, n), from);
    this.text[slot] = text;
    return this.nextId++;
  }

  /** The slot of a row by id, or -1 when it is not (or no longer) held. */
  slotOf(id: number): number {
    const index = id - this.firstId;
    if (index < 0 || index >= this.count || !Number.isInteger(index)) return -1;
    return (this.start + index) % this.capacity;
  }

  /** The slot of the index-th oldest row. */
  slotAt(index: number): number {
    return (this.start + index) % this.capacity;
  }

  idOf(slot: number): number {
    const index = (slot - this.start + this.capacity) % this.capacity;
    return this.firstId + index;
  }

  kind(slot: number): CaptureKind {
    return KINDS[this.flags[slot] & 3];
  }
  dir(slot: number): Direction {
    return DIRS[(this.flags[slot] >> 2) & 3];
  }
  transport(slot: number): Transport {
    return this.flags[slot] & UDP ? 'udp' : 'tcp';
  }
  whole(slot: number): boolean {
    return (this.flags[slot] & WHOLE) !== 0;
  }
  timeOf(slot: number): number {
    return this.t[slot];
  }
  connOf(slot: number): number {
    return this.conn[slot];
  }
  /** the row's flags as stored: kind (bits 0–1), dir (2–3), UDP (4), whole (5): a batch frame carries them as they are */
  flagsAt(slot: number): number {
    return this.flags[slot];
  }
  channelIndexAt(slot: number): number {
    return this.channelOf[slot];
  }
  channelAt(slot: number): Channel {
    return this.channels[this.channelOf[slot]];
  }
  sizeOf(slot: number): number {
    return this.size[slot];
  }
  bytesAt(slot: number): { at: number; kept: number } {
    return { at: this.at[slot], kept: this.kept[slot] };
  }
  /** where its bytes sit in the arena, and how many were kept (no object made: a live trace reads every row) */
  arenaAt(slot: number): number {
    return this.at[slot];
  }
  keptOf(slot: number): number {
    return this.kept[slot];
  }
  /** its first bytes copied into `out` at `to`; returns how many */
  copyHead(slot: number, out: Uint8Array, to: number): number {
    const from = this.headAt[slot];
    const n = this.headLength[slot];
    const head = this.head;
    for (let i = 0; i < n; i++) out[to + i] = head[from + i];
    return n;
  }
  /** its first `n` bytes are `bytes`' first `n` (n at most the head it holds) */
  sameHead(slot: number, bytes: Uint8Array, n: number): boolean {
    if (this.headLength[slot] < n) return false;
    const from = this.headAt[slot];
    const head = this.head;
    for (let i = 0; i < n; i++) if (head[from + i] !== bytes[i]) return false;
    return true;
  }
  /** The first bytes of the message (a copy, or a view when `view`), enough for a summary. */
  headOf(slot: number, view = false): Buffer {
    const from = this.headAt[slot];
    const length = this.headLength[slot];
    return view ? Buffer.from(this.head.buffer, this.head.byteOffset + from, length) : Buffer.from(this.head.subarray(from, from + length));
  }

  /** The summary, worked out once (from `bytes` when given, else from the row's head). */
  summary(slot: number, compute: (slot: number) => string): string {
    const text = this.text[slot];
    if (typeof text === 'string') return text;
    const s = typeof text === 'function' ? text() : text ? text.prefix + compute(slot) : compute(slot);
    this.text[slot] = s;
    return s;
  }

  /** The row as the API hands it out. */
  row(slot: number, compute: (slot: number) => string): CaptureSummary {
    const channel = this.channels[this.channelOf[slot]];
    const r: CaptureSummary = {
      id: this.idOf(slot),
      t: this.t[slot],
      service: channel.service,
      protocol: channel.protocol,
      conn: this.conn[slot],
      transport: channel.transport,
      dir: this.dir(slot),
      kind: this.kind(slot),
      size: this.size[slot],
      summary: this.summary(slot, compute),
    };
    if (this.whole(slot)) r.whole = true;
    return r;
  }

  get held(): number {
    return this.count;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.headNext = 0;
    this.text.fill(undefined);
  }

  /** A new capacity: the newest rows stay, in order, with their ids. */
  resize(capacity: number): void {
    const keep = Math.min(this.count, capacity);
    const old = {
      t: this.t, at: this.at, conn: this.conn, size: this.size, kept: this.kept, channelOf: this.channelOf,
      flags: this.flags, headLength: this.headLength, headAt: this.headAt, head: this.head, text: this.text,
    };
    const oldStart = this.start;
    const oldCapacity = this.capacity;
    const firstKept = this.count - keep;
    this.evicted += this.count - keep;
    this.capacity = capacity;
    this.allocate(capacity);
    for (let i = 0; i < keep; i++) {
      const from = (oldStart + firstKept + i) % oldCapacity;
      this.t[i] = old.t[from];
      this.at[i] = old.at[from];
      this.conn[i] = old.conn[from];
      this.size[i] = old.size[from];
      this.kept[i] = old.kept[from];
      this.channelOf[i] = old.channelOf[from];
      this.flags[i] = old.flags[from];
      const n = old.headLength[from];
      this.headLength[i] = n;
      this.headAt[i] = this.headNext;
      this.head.set(old.head.subarray(old.headAt[from], old.headAt[from] + n), this.headNext);
      this.headNext += n;
      this.text[i] = old.text[from];
    }
    this.start = 0;
    this.count = keep;
  }
}

/** An array of `n` empty summaries in V8's fast elements (`new Array(n)` past ~16,000 is a hash
 *  table underneath: every row stored would be an insert into it until it turned dense). */
function emptyTexts(n: number): (SummaryText | undefined)[] {
  const texts: (SummaryText | undefined)[] = [];
  for (let i = 0; i < n; i++) texts.push(undefined);
  return texts;
}
