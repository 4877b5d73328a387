/**
 * The spool journal's records, with no file I/O: how an accepted message and a finished
 * delivery are written, and how a journal is read back.
 *
 * A journal file starts with `NETLAB-SPOOL 2\n`; then each record carries its own length and a
 * CRC-32 of its content, so one damaged byte costs exactly the record it is in:
 *   `A <id> <metaLen> <dataLen> <crc>\n<meta json><data>\n`   a message accepted (before its 250)
 *   `D <key> <crc> <json>\n`                                     a delivery to one domain finished
 * The reader skips a damaged record by looking for the next record whose checksum holds, and
 * reports the bytes it could not read. A record cut short at the end of the file is the write
 * a crash interrupted (its 250 was never sent): that is a torn tail, not damage.
 * Files without the header line were written by an earlier NetLab (no checksums): they are
 * read the same way, with only their lengths to check. The spool fills a journal with zeros
 * ahead of its records: the zeros after the last record are not part of the journal (every
 * record ends in a newline, so no record ends in a zero byte).
 */
import { crc32 } from 'node:zlib';

export const JOURNAL_HEADER = Buffer.from('NETLAB-SPOOL 2\n');

export interface SpoolMeta {
  id: string;
  from: string;
  rcpts: string[];
  /** ms since the epoch */
  received: number;
  /** the domain the accepting server delivers itself (an MX); undefined: relay everything */
  local?: string;
  /** for a message a lab MX took from the lab's own relay: the relay's queue id, the MX's domain and
   *  its recipients (`<id>/<domain>#<crc of the recipients>`), so the same relay arriving again after
   *  a crash is recognised and stored once */
  relayOf?: string;
  /** MAIL FROM's BODY= (RFC 6152), for the relay to pass on */
  body?: '7BIT' | '8BITMIME';
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

/** bytes of a journal that held no readable record */
export interface JournalDamage {
  offset: number;
  bytes: number;
}

export interface JournalContents {
  accepted: Map<string, SpoolEntry>;
  done: DoneRecord[];
  damaged: JournalDamage[];
  /** the last record was cut short by a crash mid-write (never acknowledged) */
  torn: boolean;
}

const MAX_HEAD = 1024;
const MAX_META = 1_000_000;
const NL = Buffer.from('\n');
const hex = (n: number): string => n.toString(16).padStart(8, '0');

function acceptCrc(id: string, meta: Buffer, data: Buffer): number {
  return crc32(data, crc32(meta, crc32(`${id} ${meta.length} ${data.length}\n`)));
}

export function acceptRecord(e: SpoolEntry): Buffer[] {
  const meta = Buffer.from(
    JSON.stringify({ id: e.id, from: e.from, rcpts: e.rcpts, received: e.received, local: e.local, relayOf: e.relayOf, body: e.body }),
  );
  const crc = acceptCrc(e.id, meta, e.data);
  return [Buffer.from(`A ${e.id} ${meta.length} ${e.data.length} ${hex(crc)}\n`), meta, e.data, NL];
}

export function doneRecord(d: DoneRecord): Buffer {
  const json = JSON.stringify({ files: d.files, outcome: d.outcome });
  return Buffer.from(`D ${d.key} ${hex(crc32(`${d.key} ${json}`))} ${json}\n`);
}

type Parsed =
  | { kind: 'accept'; entry: SpoolEntry; next: number }
  | { kind: 'done'; record: DoneRecord; next: number }
  /** a record whose declared end lies past the end of the file */
  | { kind: 'short' }
  | { kind: 'bad' };

const A_V2 = /^A (\S{1,64}) (\d{1,9}) (\d{1,10}) ([0-9a-f]{8})$/;
const A_V1 = /^A (\S{1,64}) (\d{1,9}) (\d{1,10})$/;
const D_V2 = /^D (\S{1,200}) ([0-9a-f]{8}) (.*)$/;
const D_V1 = /^D (\S{1,200}) (.*)$/;

function isMeta(v: unknown, id: string): v is SpoolMeta {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return (
    m.id === id &&
    typeof m.from === 'string' &&
    Array.isArray(m.rcpts) &&
    m.rcpts.every((r) => typeof r === 'string') &&
    typeof m.received === 'number' &&
    (m.local === undefined || typeof m.local === 'string') &&
    (m.relayOf === undefined || typeof m.relayOf === 'string') &&
    (m.body === undefined || m.body === '7BIT' || m.body === '8BITMIME')
  );
}

function isOutcome(v: unknown): v is DoneRecord['outcome'] {
  return v === 'delivered' || v === 'relayed' || v === 'failed';
}

/** One record at `at`; with `checked`, its CRC must hold. */
function parseRecord(buf: Buffer, at: number, checked: boolean): Parsed {
  const nl = buf.indexOf(0x0a, at);
  if (nl < 0) return buf.length - at > MAX_HEAD ? { kind: 'bad' } : { kind: 'short' };
  if (nl - at > MAX_HEAD) return { kind: 'bad' };
  const head = buf.subarray(at, nl).toString('latin1');
  const a = (checked ? A_V2 : A_V1).exec(head);
  if (a) {
    const metaLen = Number(a[2]);
    const dataLen = Number(a[3]);
    if (metaLen > MAX_META) return { kind: 'bad' };
    const end = nl + 1 + metaLen + dataLen;
    if (end + 1 > buf.length) return { kind: 'short' };
    if (buf[end] !== 0x0a) return { kind: 'bad' };
    const meta = buf.subarray(nl + 1, nl + 1 + metaLen);
    const data = buf.subarray(nl + 1 + metaLen, end);
    if (checked && acceptCrc(a[1], meta, data) !== parseInt(a[4], 16)) return { kind: 'bad' };
    try {
      const m: unknown = JSON.parse(meta.toString('utf8'));
      if (!isMeta(m, a[1])) return { kind: 'bad' };
      return { kind: 'accept', entry: { ...m, data: Buffer.from(data) }, next: end + 1 };
    } catch {
      return { kind: 'bad' };
    }
  }
  const d = (checked ? D_V2 : D_V1).exec(head);
  if (!d) return { kind: 'bad' };
  const json = checked ? d[3] : d[2];
  if (checked && crc32(`${d[1]} ${json}`) !== parseInt(d[2], 16)) return { kind: 'bad' };
  try {
    const body = JSON.parse(json) as { files?: unknown; outcome?: unknown };
    const files = Array.isArray(body.files) ? body.files.filter((f): f is string => typeof f === 'string') : [];
    if (!isOutcome(body.outcome)) return { kind: 'bad' };
    return { kind: 'done', record: { key: d[1], files, outcome: body.outcome }, next: nl + 1 };
  } catch {
    return { kind: 'bad' };
  }
}

/** The next offset after `from` where a whole, valid record starts (at a line start), or -1. */
function resync(buf: Buffer, from: number, checked: boolean): number {
  let nl = buf.indexOf(0x0a, from);
  while (nl >= 0 && nl + 2 < buf.length) {
    const c = buf[nl + 1];
    if ((c === 0x41 || c === 0x44) && buf[nl + 2] === 0x20) {
      const p = parseRecord(buf, nl + 1, checked);
      if (p.kind === 'accept' || p.kind === 'done') return nl + 1;
    }
    nl = buf.indexOf(0x0a, nl + 1);
  }
  return -1;
}

/** where the zero fill after the last record begins (the file's length if there is none) */
function endOfRecords(file: Buffer): number {
  let end = file.length;
  while (end > 0 && file[end - 1] === 0) end--;
  return end;
}

/** Read a whole journal file. An entry accepted twice (carried over from an older file) is one. */
export function readJournal(file: Buffer, into?: Pick<JournalContents, 'accepted' | 'done'>): JournalContents {
  const buf = file.subarray(0, endOfRecords(file));
  const out: JournalContents = { accepted: into?.accepted ?? new Map(), done: into?.done ?? [], damaged: [], torn: false };
  const checked = buf.subarray(0, JOURNAL_HEADER.length).equals(JOURNAL_HEADER);
  let at = checked ? JOURNAL_HEADER.length : 0;
  while (at < buf.length) {
    const p = parseRecord(buf, at, checked);
    if (p.kind === 'accept') out.accepted.set(p.entry.id, p.entry);
    else if (p.kind === 'done') out.done.push(p.record);
    if (p.kind === 'accept' || p.kind === 'done') {
      at = p.next;
      continue;
    }
    const next = resync(buf, at, checked);
    if (next < 0) {
      // nothing readable after it: a record cut short is the crash's torn write, anything else damage
      if (p.kind === 'short') out.torn = true;
      else out.damaged.push({ offset: at, bytes: buf.length - at });
      break;
    }
    out.damaged.push({ offset: at, bytes: next - at });
    at = next;
  }
  return out;
}
