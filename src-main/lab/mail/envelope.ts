/**
 * What an SMTP listener hands the mail system: the envelope of an accepted message
 * (RFC 5321 §2.3.1: MAIL FROM, RCPT TO…, kept apart from the message's own headers) and the
 * mail system's verdict on one sender or recipient, as the reply the client will read.
 */
export interface Envelope {
  from: string;
  rcpts: string[];
  helo: string;
  esmtp: boolean;
  /** the lab user the client authenticated as (RFC 4954), if it did */
  auth?: string;
  /** MAIL FROM's BODY= parameter (RFC 6152), kept so the relay can pass it on */
  body?: '7BIT' | '8BITMIME';
}

export type RecipientCheck = { ok: true } | { ok: false; reply: string };
