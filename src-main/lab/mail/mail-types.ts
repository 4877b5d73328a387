/**
 * The mail area's part of the API contract (re-exported by api.ts): what the mailbox view,
 * the queue and the compose form exchange with the lab, and the schema of a draft.
 */
import { z } from 'zod';

export interface MailUserInfo {
  address: string;
  name: string;
  domain: string;
  messages: number;
  bytes: number;
  /** the user's IMAP folders besides INBOX (Maildir++ subfolders), with their counts */
  folders: MailFolderInfo[];
}

export interface MailFolderInfo {
  name: string;
  messages: number;
  unseen: number;
}

export interface MailMessageSummary {
  uid: string;
  from: string;
  to: string;
  subject: string;
  date: string;
  size: number;
  /** 'new' (not yet seen by a POP3 client) or 'cur' */
  folder: 'new' | 'cur';
  /** a non-delivery report (multipart/report; report-type=delivery-status) */
  bounce?: boolean;
  /** the envelope sender (MAIL FROM, kept in Return-Path:); '' for the null reverse-path <> */
  envelopeFrom?: string;
}

/** The message/delivery-status part of a bounce (RFC 3464): one entry per failed recipient. */
export interface MailDeliveryReport {
  reportingMta?: string;
  arrivalDate?: string;
  recipients: { recipient: string; action: string; /** the Action word's catalogue key (lab-text-mail.ts) */ actionKey?: string; status: string; remoteMta?: string; diagnostic?: string }[];
}

export interface MimeNode {
  contentType: string;
  encoding?: string;
  disposition?: string;
  filename?: string;
  charset?: string;
  /** bytes of the encoded body */
  size: number;
  children: MimeNode[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** data: URL of an image small enough to show inline */
  dataUrl?: string;
}

export interface MailHop {
  from: string;
  by: string;
  with: string;
  id?: string;
  date: string;
  /** the capture connection of this hop, when this lab run recorded it */
  conn?: number;
}

export interface MailMessageDetail {
  uid: string;
  mailbox: string;
  headers: { name: string; value: string }[];
  subject: string;
  from: string;
  to: string;
  date: string;
  text: string;
  mime: MimeNode;
  attachments: MailAttachment[];
  /** the message as stored (capped; see rawTruncated) */
  raw: string;
  rawTruncated: boolean;
  size: number;
  returnPath?: string;
  hops: MailHop[];
  /** POP3 connections that retrieved it in this run */
  pop3Conns: number[];
  /** when the message is a bounce: what its delivery-status part says */
  report?: MailDeliveryReport;
}

export interface MailQueueEntry {
  id: string;
  domain: string;
  from: string;
  rcpts: string[];
  size: number;
  created: number;
  attempts: number;
  /** ms since the epoch */
  nextAttempt?: number;
  lastError?: string;
  state: 'queued' | 'sending';
}

/** A message (for one destination domain) the queue returned to its sender, this run. */
export interface MailReturned {
  id: string;
  domain: string;
  /** the envelope sender: the bounce went to it ('' : a bounce that failed, dropped) */
  from: string;
  /** ms since the epoch */
  at: number;
  recipients: { address: string; status: string; reason: string; remoteMta?: string }[];
  /** the sender is outside the lab or the message was itself a bounce: no report was sent */
  dropped: boolean;
}

/** bytes of a spool journal that could not be read at the last start (a damaged disk block, say):
 *  the messages recorded there are lost; the file is kept for a person to look at */
export interface MailSpoolDamage {
  /** the journal file, and where it is kept, relative to the spool directory (mail/spool) */
  file: string;
  keptAs: string;
  offset: number;
  bytes: number;
}

export interface MailSendResult {
  ok: boolean;
  id?: string;
  error?: string;
  /** the SMTP dialogue as the lab's user agent had it */
  transcript: string[];
}

export interface MailChanged {
  /** the mailbox that changed, when one did */
  mailbox?: string;
  queue: boolean;
}

const address = z.string().max(254).regex(/^[^\s@<>]{1,64}@[A-Za-z0-9.-]{1,190}$/);
export const mailDraftSchema = z
  .object({
    from: address,
    to: z.array(address).min(1).max(100),
    cc: z.array(address).max(100).optional(),
    subject: z.string().max(998),
    text: z.string().max(1_000_000),
    encoding: z.enum(['quoted-printable', 'base64', '8bit']).optional(),
    attachments: z
      .array(
        z
          .object({
            filename: z.string().min(1).max(255),
            contentType: z.string().max(100).regex(/^[\w.+-]+\/[\w.+-]+$/),
            base64: z.string().max(14_000_000),
          })
          .strict(),
      )
      .max(20)
      .optional(),
    /** the Message-ID (without < >, RFC 5322 §3.6.4) and Date the compose view showed in its
     *  preview: sent as they are, so the message delivered is the message previewed */
    messageId: z
      .string()
      .max(254)
      .regex(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9.-]{1,190}$/)
      .optional(),
    date: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type MailDraft = z.infer<typeof mailDraftSchema>;
export const mailAddressSchema = address;
