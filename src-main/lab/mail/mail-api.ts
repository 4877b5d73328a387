/**
 * What the mailbox view, the queue panel and the compose form ask of the mail system.
 * Messages are parsed with mailparser (headers, bodies, attachments); the MIME structure
 * comes from mime-tree; the path from the Received: lines. lab.ts delegates here.
 */
import type { AddressObject } from 'mailparser';
import { decodeWords } from './encoded-words';
import { isReport, parseDeliveryStatus } from './bounce';
import type { MailDraft, MailMessageDetail, MailMessageSummary, MailQueueEntry, MailReturned, MailSendResult, MailSpoolDamage, MailUserInfo } from './mail-types';
import { SUBMISSION_HOST, type MailSystem } from './mail-system';
import { composeMessage } from './mime-compose';
import { mimeTree } from './mime-tree';
import { sendMail } from './smtp/smtp-client';
import { parseHops } from './trace';
import { OutsideRootError } from '../confined-fs';
import { folderCounts } from './imap/imap-folders';

const RAW_CAP = 512 * 1024;
const IMAGE_CAP = 4 * 1024 * 1024;
const LIST_CAP = 500;

function addressText(a: AddressObject | AddressObject[] | undefined): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ');
}

function headerField(head: string, name: string): string {
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1].replace(/\r?\n[ \t]+/g, ' ').trim() : '';
}

/** Return-Path: <a@b> → { envelopeFrom: 'a@b' } (RFC 5321 §4.4: the MAIL FROM of the final delivery) */
function envelope(head: string): { envelopeFrom?: string } {
  const rp = headerField(head, 'Return-Path');
  if (!rp) return {};
  return { envelopeFrom: rp.replace(/^<\s*|\s*>$/g, '').slice(0, 320) };
}

export class MailApi {
  constructor(private mail: MailSystem) {}

  async users(): Promise<MailUserInfo[]> {
    const out: MailUserInfo[] = [];
    for (const u of this.mail.directory.users) {
      // a mailbox refused as a link out of the mail folder counts as empty here; opening it says why
      const files = await this.mail.maildir.list(u.domain, u.local).catch((err: unknown) => {
        if (err instanceof OutsideRootError) return [];
        throw err;
      });
      const folders = await folderCounts(this.mail.maildir, u.domain, u.local).catch(() => []);
      out.push({ address: u.address, name: u.name, domain: u.domain, messages: files.length, bytes: files.reduce((n, f) => n + f.size, 0), folders });
    }
    return out;
  }

  async mailbox(address: string): Promise<MailMessageSummary[]> {
    const user = this.mail.directory.user(address);
    if (!user) return [];
    const files = (await this.mail.maildir.list(user.domain, user.local)).slice(-LIST_CAP);
    const out: MailMessageSummary[] = [];
    for (const f of files) {
      let head = '';
      try {
        head = (await this.mail.maildir.head(f)).toString('latin1').split(/\r?\n\r?\n/)[0];
      } catch {
        continue; // deleted meanwhile
      }
      out.push({
        uid: f.uid,
        from: decodeWords(headerField(head, 'From')),
        to: decodeWords(headerField(head, 'To')),
        subject: decodeWords(headerField(head, 'Subject')),
        date: headerField(head, 'Date'),
        size: f.size,
        folder: f.rel.includes('/cur/') || f.rel.includes('\\cur\\') ? 'cur' : 'new',
        ...(isReport(headerField(head, 'Content-Type')) ? { bounce: true } : {}),
        ...envelope(head),
      });
    }
    return out.reverse();
  }

  async message(address: string, uid: string): Promise<MailMessageDetail | null> {
    const user = this.mail.directory.user(address);
    if (!user) return null;
    const file = await this.mail.maildir.find(user.domain, user.local, uid);
    if (!file) return null;
    const raw = await this.mail.maildir.read(file);
    // mailparser (and html-to-text, libmime under it) loads when a message is first opened, not with the lab
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true });
    const headers = parsed.headerLines.map((h) => {
      const c = h.line.indexOf(':');
      return { name: h.line.slice(0, c), value: h.line.slice(c + 1).replace(/\r?\n[ \t]+/g, ' ').trim() };
    });
    const received = headers.filter((h) => h.name.toLowerCase() === 'received').map((h) => h.value);
    const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
    const report = isReport(contentType) ? parseDeliveryStatus(raw) : undefined;
    return {
      uid,
      mailbox: user.address,
      headers,
      subject: parsed.subject ?? '',
      from: addressText(parsed.from),
      to: addressText(parsed.to),
      date: parsed.date ? parsed.date.toISOString() : '',
      text: (parsed.text ?? '').slice(0, 200_000),
      mime: mimeTree(raw),
      attachments: parsed.attachments.map((a) => ({
        filename: a.filename ?? '(no name)',
        contentType: a.contentType,
        size: a.size,
        ...(a.contentType.startsWith('image/') && a.size <= IMAGE_CAP && /^image\/(png|jpeg|gif|webp|bmp)$/.test(a.contentType)
          ? { dataUrl: `data:${a.contentType};base64,${a.content.toString('base64')}` }
          : {}),
      })),
      raw: raw.subarray(0, RAW_CAP).toString('utf8'),
      rawTruncated: raw.length > RAW_CAP,
      size: raw.length,
      returnPath: headers.find((h) => h.name.toLowerCase() === 'return-path')?.value,
      hops: parseHops(received),
      pop3Conns: this.mail.retrievals.get(uid) ?? [],
      ...(report ? { report } : {}),
    };
  }

  queue(): MailQueueEntry[] {
    return this.mail.queue.list();
  }

  /**
   * A lab's restart: these mailboxes (all users when none are named) emptied and the relay queue
   * dropped. Only the Maildir files the store lists (new/ and cur/, never tmp/) are removed, once
   * no local delivery is half-written. Returns how many messages went.
   */
  async empty(addresses: string[]): Promise<number> {
    await this.mail.settle(true);
    const users = addresses.length ? addresses.map((a) => this.mail.directory.user(a)).filter((u) => u !== undefined) : this.mail.directory.users;
    let n = 0;
    for (const u of users) {
      const files = await this.mail.maildir.list(u.domain, u.local).catch(() => []);
      for (const f of files) await this.mail.maildir.remove(f).then(() => (n += 1), () => undefined);
      this.mail.retrievals.clear();
      if (files.length) this.mail.changedMailbox(u.address);
    }
    return n;
  }

  /** messages the queue gave back to their senders this run, newest first */
  returned(): MailReturned[] {
    return [...this.mail.returned].reverse();
  }

  spoolDamage(): MailSpoolDamage[] {
    return this.mail.spoolDamage.map(({ file, keptAs, offset, bytes }) => ({ file, keptAs, offset, bytes }));
  }

  retry(): MailQueueEntry[] {
    this.mail.queue.retryNow();
    return this.mail.queue.list();
  }

  preview(draft: MailDraft): string {
    return composeMessage(draft).toString('utf8');
  }

  /** Submit like any mail client: a TCP connection to the submission port, EHLO, MAIL, RCPT, DATA. */
  async send(draft: MailDraft): Promise<MailSendResult> {
    const data = composeMessage(draft);
    const rcpts = [...draft.to, ...(draft.cc ?? [])];
    const result = await sendMail({
      address: '127.0.0.1',
      port: this.mail.submissionPort,
      helo: 'netlab-ua',
      from: draft.from,
      rcpts,
      data,
      note: (port, names, dialled) => this.mail.notePort(port, names, dialled),
      names: { client: { name: `${draft.from.split('@')[0]}'s user agent` }, server: { name: SUBMISSION_HOST } },
    });
    const refused = result.rcpts.filter((r) => r.reply.code >= 400).map((r) => `${r.address}: ${r.reply.code} ${r.reply.text}`);
    const id = result.final ? /id (\S+)\)/.exec(result.final.text)?.[1] : undefined;
    return {
      ok: !!result.final,
      ...(id ? { id } : {}),
      ...(!result.final || refused.length ? { error: [result.error, ...refused].filter(Boolean).join('; ') } : {}),
      transcript: result.transcript,
    };
  }
}
