/**
 * Trace headers (RFC 5321 §4.4): each server that accepts a message puts a Received:
 * line on top; the server making the final delivery adds Return-Path: with the envelope
 * sender. Read back top to bottom, the Received lines are the message's path in reverse.
 * The lab names the captured connection in a comment, so the mailbox view can link each
 * hop to its conversation in the inspector.
 */
import type { MailHop } from './mail-types';

export interface ReceivedInfo {
  /** what the client said in HELO/EHLO */
  helo: string;
  /** the client's lab name, when the lab knows it, and its real address */
  clientName?: string;
  clientAddress: string;
  /** the accepting server's host name */
  by: string;
  esmtp: boolean;
  /** the user the client authenticated as (RFC 4954): `with ESMTPA` (RFC 3848) */
  auth?: string;
  /** how the message came in when not by SMTP: `with HTTP` for web mail */
  protocol?: string;
  id: string;
  conn?: number;
  /** the single recipient, when there is one (a "for" clause must not leak a Bcc list) */
  for?: string;
  date: Date;
}

/** a hop of a message's path, as its Received: header tells it (the API's MailHop) */
export type Hop = MailHop;

/** RFC 5322 §3.3 date-time, e.g. `Sat, 21 Nov 2026 20:30:00 +0000` */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function rfc5322Date(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

export function receivedHeader(r: ReceivedInfo): string {
  const client = `${r.clientName ? r.clientName.replace(/[()\\]/g, '') + ' ' : ''}[${r.clientAddress}]`;
  const via = r.conn !== undefined ? `NetLab, connection ${r.conn}` : 'NetLab';
  const forClause = r.for ? `\r\n\tfor <${r.for}>` : '';
  const proto = r.protocol ?? (r.auth ? 'ESMTPA' : r.esmtp ? 'ESMTP' : 'SMTP');
  const who = r.auth ? ` (authenticated as ${r.auth.replace(/[()\\\r\n]/g, '')})` : '';
  return `Received: from ${r.helo.replace(/[()\\\r\n]/g, '')} (${client})\r\n\tby ${r.by} (${via}) with ${proto}${who} id ${r.id}${forClause};\r\n\t${rfc5322Date(r.date)}\r\n`;
}

export function returnPathHeader(from: string): string {
  return `Return-Path: <${from}>\r\n`;
}

/** Parse Received: header values (as mailparser unfolds them), oldest hop first. */
export function parseHops(received: string[]): Hop[] {
  const hops: Hop[] = [];
  for (const raw of received) {
    const v = raw.replace(/\s+/g, ' ').trim();
    const semi = v.lastIndexOf(';');
    const clauses = semi >= 0 ? v.slice(0, semi) : v;
    const date = semi >= 0 ? v.slice(semi + 1).trim() : '';
    const grab = (word: string): string | undefined =>
      new RegExp(`(?:^|\\s)${word} (\\S+(?: \\([^)]*\\))?)`, 'i').exec(clauses)?.[1];
    const conn = /NetLab, connection (\d+)/.exec(clauses);
    hops.push({
      from: grab('from') ?? '',
      by: (grab('by') ?? '').replace(/ \(.*\)$/, ''),
      with: /(?:^|\s)with (\S+)/i.exec(clauses)?.[1] ?? '',
      id: /(?:^|\s)id (\S+)/i.exec(clauses)?.[1],
      date,
      ...(conn ? { conn: Number(conn[1]) } : {}),
    });
  }
  return hops.reverse();
}

/** The topmost Received: field of a message (the last hop's), unfolded, or undefined when the
 *  message does not start with one. */
export function topReceived(data: Buffer): Hop | undefined {
  // most messages do not start with one: told by their first bytes, before any text is made
  if (!startsWithReceived(data)) return undefined;
  const head = data.toString('latin1', 0, Math.min(data.length, 4096));
  const m = /^Received:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/i.exec(head);
  return m ? parseHops([m[1]])[0] : undefined;
}

const RECEIVED = Buffer.from('received:');

/** the bytes start with `Received:`, in any case */
function startsWithReceived(data: Buffer): boolean {
  if (data.length < RECEIVED.length) return false;
  for (let i = 0; i < RECEIVED.length; i++) if ((data[i] | 0x20) !== RECEIVED[i]) return false;
  return true;
}
