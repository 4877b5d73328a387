/**
 * The lab user agent's message builder (RFC 5322 headers, RFC 2045–2047 MIME): a text
 * part in quoted-printable (or base64, or 8bit), attachments in base64, lines of at most
 * 76 characters, non-ASCII header text as encoded-words. Pure: a draft in, bytes out.
 */
import crypto from 'node:crypto';
import type { MailDraft } from './mail-types';
import { rfc5322Date } from './trace';

/** RFC 2045 §6.7 quoted-printable, soft line breaks at 76 characters */
export function quotedPrintable(text: string): string {
  const bytes = Buffer.from(text.replace(/\r?\n/g, '\n'), 'utf8');
  const lines: string[] = [];
  let line = '';
  const push = (token: string): void => {
    if (line.length + token.length > 75) {
      lines.push(`${line}=`);
      line = '';
    }
    line += token;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) {
      // trailing whitespace before a line break must be encoded
      line = line.replace(/[ \t]$/, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
      lines.push(line);
      line = '';
      continue;
    }
    const printable = (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9;
    push(printable ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  line = line.replace(/[ \t]$/, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  lines.push(line);
  return lines.join('\r\n');
}

export function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** RFC 2047 encoded-word for header text that is not plain ASCII */
export function encodeHeaderText(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  return `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
}

function encodedFilename(name: string): string {
  const safe = name.replace(/["\\\r\n]/g, '_');
  return /^[\x20-\x7e]*$/.test(safe) ? `"${safe}"` : `"${encodeHeaderText(safe)}"`;
}

/**
 * A draft as the message it becomes. A draft that carries its Message-ID and Date (the compose
 * view fixes them when it previews) becomes the same bytes each time: the MIME boundary is
 * drawn from the Message-ID too, so what was previewed is what is sent.
 */
export function composeMessage(draft: MailDraft, now = new Date(), host = 'netlab'): Buffer {
  const encoding = draft.encoding ?? 'quoted-printable';
  const id = draft.messageId ? crypto.createHash('sha256').update(draft.messageId).digest('hex').slice(0, 16) : crypto.randomBytes(8).toString('hex');
  const messageId = draft.messageId ?? `${id}@${draft.from.split('@')[1] ?? host}`;
  const date = draft.date ? new Date(draft.date) : now;
  const headers = [
    `From: ${draft.from}`,
    `To: ${draft.to.join(', ')}`,
    ...(draft.cc?.length ? [`Cc: ${draft.cc.join(', ')}`] : []),
    `Subject: ${encodeHeaderText(draft.subject)}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'User-Agent: NetLab compose',
  ];
  const textBody =
    encoding === 'base64'
      ? base64Lines(Buffer.from(draft.text.replace(/\r?\n/g, '\r\n'), 'utf8'))
      : encoding === '8bit'
        ? draft.text.replace(/\r?\n/g, '\r\n')
        : quotedPrintable(draft.text);
  const textHead = ['Content-Type: text/plain; charset=utf-8', `Content-Transfer-Encoding: ${encoding}`];
  const attachments = draft.attachments ?? [];
  if (attachments.length === 0) {
    return Buffer.from([...headers, ...textHead, '', textBody, ''].join('\r\n'), 'utf8');
  }
  const boundary = `----=_NetLab_${id}`;
  const parts = [
    [...textHead, '', textBody].join('\r\n'),
    ...attachments.map((a) =>
      [
        `Content-Type: ${a.contentType}; name=${encodedFilename(a.filename)}`,
        'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename=${encodedFilename(a.filename)}`,
        '',
        base64Lines(Buffer.from(a.base64, 'base64')),
      ].join('\r\n'),
    ),
  ];
  const body = [
    'This is a multi-part message in MIME format.',
    ...parts.map((p) => `--${boundary}\r\n${p}`),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.from([...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', body].join('\r\n'), 'utf8');
}
