/**
 * Edit and resend (issue 14): what the inspector asks the lab core to send again, and what
 * comes back. The target is never an address: it is the captured message's own lab service,
 * looked up by the message id, so a resend reaches only a lab service on loopback.
 */
import { z } from 'zod';

/** the label the capture gives a resent exchange's client end */
export const RESEND_CLIENT = 'resend from the inspector';
/** an HTTP request or a whole mail session, as bytes on the wire */
export const RESEND_MAX_BYTES = 65_536;
/** command lines of one SMTP/POP3 session */
export const RESEND_MAX_LINES = 100;
/** RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets with its CRLF */
export const RESEND_MAX_LINE = 998;

const messageId = z.number().int().min(1);
/** the caps here only guard the transport; the resend code refuses past the limits above with a sentence */
export const resendRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), from: messageId, text: z.string().max(1_000_000) }).strict(),
  z.object({ kind: z.literal('dns'), from: messageId, name: z.string().max(1000), type: z.string().max(20), rd: z.boolean() }).strict(),
  z.object({ kind: z.literal('lines'), from: messageId, lines: z.array(z.string().max(100_000)).max(10_000) }).strict(),
]);
export type ResendRequest = z.infer<typeof resendRequestSchema>;

/** the lab service a resend goes to: the one that captured the message */
export interface ResendTarget {
  service: string;
  /** the rail's name for it ("HTTP web server") */
  serviceName: string;
  port: number;
  transport: 'tcp' | 'udp';
  /** the lab host name the original client dialled, when the capture knows it */
  host?: string;
}

/** A captured request, ready to be edited: the text, the DNS question, or the session's lines. */
export type ResendDraft = { from: number; target: ResendTarget } & (
  | { kind: 'http'; text: string }
  | { kind: 'dns'; name: string; type: string; rd: boolean }
  | { kind: 'lines'; protocol: 'smtp' | 'pop3'; lines: string[]; /** the line of the message the draft was opened from */ at: number }
);

export interface ResendResult {
  /** the capture's connection of the new exchange (null while capture is off) */
  conn: number | null;
  /** its first message, for the inspector to select */
  firstId: number | null;
  /** the server's answer in short: a status line, an rcode and answers, the last reply */
  reply: string;
}

/** a refusal or failure said as a sentence the inspector shows as it is */
export class ResendError extends Error {}
