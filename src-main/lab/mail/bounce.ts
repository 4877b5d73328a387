/**
 * Non-delivery reports (RFC 5321 §4.5.5 and §6.1; the format of RFC 3464 / RFC 6522):
 * when a relay hop refuses a recipient for good (5xx) or the queue gives up after its
 * lifetime, the sender's server writes a multipart/report to the envelope sender — from
 * MAILER-DAEMON, sent with the null reverse-path `MAIL FROM:<>` so that it is never
 * bounced again. Pure: build the message, read a report back for the mailbox view.
 */
import { randomBytes } from 'node:crypto';
import type { MailDeliveryReport } from './mail-types';
import { headerParams } from './mime-tree';
import { rfc5322Date } from './trace';
import { dsnActionKey } from './lab-text-mail';

export interface FailedRecipient {
  address: string;
  /** the remote reply (`550 … User unknown`) or why the queue gave up */
  reason: string;
  /** the exchanger that refused it, when one answered */
  remoteMta?: string;
  /** the queue's lifetime ran out (a 4.4.7 "delivery time expired") */
  expired?: boolean;
}

export interface BounceInput {
  /** the envelope sender of the failed message: the report goes back to it */
  to: string;
  /** the reporting server (the sender's mail server) */
  reportingMta: string;
  /** the sender's domain, for MAILER-DAEMON@ */
  domain: string;
  failed: FailedRecipient[];
  /** when the failed message was accepted */
  arrival: Date;
  /** the failed message as stored (only its header block is returned) */
  original: Buffer;
  date?: Date;
}

/** the header block of the returned message is capped; a report is never the size of the original */
const MAX_RETURNED_HEADERS = 32 * 1024;

/** RFC 3463 status from the reply: its enhanced code when it gives one, else a reasonable guess */
export function statusOf(f: FailedRecipient): string {
  if (f.expired) return '4.4.7';
  const m = /^([245])\d\d[ -](?:([245]\.\d{1,3}\.\d{1,3})\b)?(.*)/s.exec(f.reason);
  if (!m) return '5.0.0';
  if (m[2]) return m[2];
  if (/user unknown|no such user|mailbox unavailable/i.test(m[3])) return `${m[1]}.1.1`;
  if (/relay/i.test(m[3])) return `${m[1]}.7.1`;
  if (/size/i.test(m[3])) return `${m[1]}.3.4`;
  return `${m[1]}.0.0`;
}

/** The header block of the returned message, its bytes untouched (8-bit or UTF-8 headers come back as they went). */
export function headerBlock(message: Buffer): Buffer {
  const text = message.subarray(0, MAX_RETURNED_HEADERS).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return Buffer.from((end >= 0 ? text.slice(0, end) : text).replace(/\r?\n/g, '\r\n'), 'latin1');
}

export function buildBounce(b: BounceInput): Buffer {
  const date = b.date ?? new Date();
  const boundary = `=_netlab-report-${randomBytes(6).toString('hex')}`;
  const expired = b.failed.some((f) => f.expired);
  const human = [
    `This is the mail system at ${b.reportingMta}.`,
    '',
    expired
      ? 'Your message could not be delivered in the time the queue keeps a message, and it gives up now.'
      : 'Your message could not be delivered to one or more recipients. It is attached below (its headers).',
    'The server that refused it said:',
    '',
    ...b.failed.map((f) => `<${f.address}>${f.remoteMta ? ` (at ${f.remoteMta})` : ''}: ${f.reason.replace(/\s+/g, ' ')}`),
    '',
    'This report travels with an empty envelope sender (MAIL FROM:<>), so it is never returned in turn.',
  ];
  const perRecipient = b.failed.flatMap((f) => [
    '',
    `Final-Recipient: rfc822; ${f.address}`,
    `Action: failed`,
    `Status: ${statusOf(f)}`,
    ...(f.remoteMta ? [`Remote-MTA: dns; ${f.remoteMta}`] : []),
    `Diagnostic-Code: smtp; ${f.reason.replace(/\s+/g, ' ').slice(0, 900)}`,
    `Last-Attempt-Date: ${rfc5322Date(date)}`,
  ]);
  const lines = [
    `From: Mail Delivery System <MAILER-DAEMON@${b.domain}>`,
    `To: <${b.to}>`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${date.getTime()}.${randomBytes(4).toString('hex')}@${b.reportingMta}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    'This is a MIME-encapsulated message (a delivery status notification).',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Description: Notification',
    '',
    ...human,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    'Content-Description: Delivery report',
    '',
    `Reporting-MTA: dns; ${b.reportingMta}`,
    `Arrival-Date: ${rfc5322Date(b.arrival)}`,
    ...perRecipient,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    'Content-Description: Undelivered Message Headers',
    '',
    '',
  ];
  const tail = ['', '', `--${boundary}--`, ''];
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), headerBlock(b.original), Buffer.from(tail.join('\r\n'), 'utf8')]);
}

/** A message that is a delivery report (its top Content-Type says so). */
export function isReport(contentType: string): boolean {
  const { value, params } = headerParams(contentType);
  return value === 'multipart/report' && (params['report-type'] ?? '').toLowerCase() === 'delivery-status';
}

/** Read the message/delivery-status part of a report: one entry per recipient. Pure, capped. */
export function parseDeliveryStatus(raw: Buffer): MailDeliveryReport | undefined {
  const text = raw.subarray(0, 1024 * 1024).toString('latin1');
  const m = /\r?\nContent-Type:[ \t]*message\/delivery-status[^\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n--/i.exec(text);
  if (!m) return undefined;
  const groups = m[1].split(/\r?\n\r?\n/).map((g) => fields(g));
  const [msg, ...rcpts] = groups;
  return {
    reportingMta: strip(msg?.['reporting-mta']),
    arrivalDate: msg?.['arrival-date'],
    recipients: rcpts
      .filter((r) => r['final-recipient'])
      .slice(0, 100)
      .map((r) => ({
        recipient: strip(r['final-recipient']) ?? '',
        action: r['action'] ?? '',
        ...(dsnActionKey(r['action'] ?? '') ? { actionKey: dsnActionKey(r['action'] ?? '') } : {}),
        status: r['status'] ?? '',
        remoteMta: strip(r['remote-mta']),
        diagnostic: strip(r['diagnostic-code']),
      })),
  };
}

function fields(group: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of group.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) out[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim().slice(0, 1000);
  }
  return out;
}

/** `rfc822; bob@x` → `bob@x` (the type before the semicolon, RFC 3464 §2.1.2) */
function strip(v: string | undefined): string | undefined {
  return v === undefined ? undefined : v.replace(/^[A-Za-z0-9-]+;\s*/, '');
}
