/**
 * What an SMTP listener (or web mail) hands the mail system: the envelope of an accepted
 * message (RFC 5321 §2.3.1: MAIL FROM, RCPT TO…, kept apart from the message's own headers),
 * where it was accepted, and the mail system's verdict on one sender or recipient, as the
 * reply the client will read.
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

/** Where a message was accepted: by the submission server, or by one domain's MX. */
export interface AcceptedBy {
  /** the domain this server delivers locally; undefined for submission */
  local?: string;
  /** the accepting server's host name, for Received: */
  hostname: string;
  conn?: number;
  clientName?: string;
  clientAddress: string;
  /** not SMTP: how the message came in (web mail: 'HTTP'), for Received: */
  protocol?: string;
}
