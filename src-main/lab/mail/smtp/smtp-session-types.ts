/** What an SMTP session asks of its listener: the mail system (SmtpHost), who the peer is, and where replies go. */
import type { Envelope, RecipientCheck } from '../envelope';
import type { LoginThrottle } from '../login-throttle';
import type { BareLineEnds } from './smtp-stream';

export interface SmtpHost {
  /** the name in the banner and replies (the textbook's `220 hamburger.edu`) */
  hostname: string;
  maxMessage: number;
  maxRecipients: number;
  /** message text with bare LF: refused (submission), or kept as CRLF (an MX); default refused */
  bareLineEnds?: BareLineEnds;
  checkSender(address: string): RecipientCheck;
  checkRecipient(address: string): RecipientCheck;
  verify(arg: string): string;
  /** AUTH (RFC 4954) is offered when present: the user's address for a right login and password */
  authenticate?(login: string, password: string): string | undefined;
  /** wrong passwords slowed and counted (shared with POP3); none: AUTH is not throttled */
  logins?: LoginThrottle;
  /** store durably; resolves with a queue id, rejects if it could not be stored */
  accept(envelope: Envelope, data: Buffer, peer: SmtpPeer): Promise<string>;
}

/** who is on the other end of this session (for the Received: line) */
export interface SmtpPeer {
  conn?: number;
  clientName?: string;
  clientAddress: string;
  /** the socket's own address, which a lab name never replaces: what logins are throttled by */
  remoteAddress?: string;
}

/** where replies go (the capture's tap, or anything with these two methods) */
export interface SmtpOutput {
  send(text: string): void;
  /** after the last reply: close the connection (RFC 5321 §4.1.1.10, 221 then close) */
  close(reason: string): void;
  /** a note on this connection in the inspector */
  note?(text: string): void;
  /** TLS from the next byte (RFC 3207), where the listener offers it */
  startTls?(): void;
}
