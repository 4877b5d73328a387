/**
 * TLS 1.3 session tickets that are renewed on every resumption (RFC 8446 §4.6.1, §2.2).
 *
 * A TLS 1.3 client uses a ticket once (RFC 8446 Appendix C.4: reusing one lets an onlooker
 * link the connections), so it can resume again only if the resumed connection brought it a
 * fresh ticket. OpenSSL sends one when the ticket callback asks for renewal; Node's built-in
 * callback never does, so a client that keeps one session (wrk, a script reconnecting) gets
 * a full handshake — a certificate and a signature — every other connection, where
 * nginx and browsers' servers resume each time. The keys here encrypt and authenticate the
 * tickets exactly as Node's own do (AES-128-CBC and HMAC-SHA-256 in its native callback,
 * fed these keys); they live in memory only, one set per lab CA, so a restart starts over.
 *
 * The hook is the native SecureContext's ticket-key callback (enableTicketKeyCallback and
 * onticketkeycallback, which Node keeps for its own test of resumption after renewal and does
 * not document): where a Node or Electron build lacks it, the context keeps Node's default.
 */
import crypto from 'node:crypto';
import type tls from 'node:tls';

/** renew: OpenSSL's return value asking for a new ticket after a successful decryption */
const RENEW = 2;
const ENCRYPT = 1;
const UNKNOWN_KEY = 0;

interface NativeContext {
  enableTicketKeyCallback?: () => void;
  onticketkeycallback?: (name: Buffer, iv: Buffer, enc: boolean) => unknown[];
}

/** IVs are taken from a block of random bytes made at once: one call into the RNG per 256 tickets, not one per ticket */
const IV = 16;
const IV_BLOCK = 256;

export class TicketKeys {
  private ivs = Buffer.alloc(0);
  private nextIv = 0;

  private readonly name = crypto.randomBytes(16);
  private readonly hmac = crypto.randomBytes(32);
  private readonly aes = crypto.randomBytes(16);

  /** Issue and accept tickets on this context with these keys, renewing each one used. True when in force. */
  apply(ctx: tls.SecureContext): boolean {
    const native = (ctx as unknown as { context?: NativeContext }).context;
    if (!native || typeof native.enableTicketKeyCallback !== 'function') return false;
    native.onticketkeycallback = (name, _iv, enc) => {
      // a new ticket: our key name and a fresh IV for it
      if (enc) return [ENCRYPT, this.hmac, this.aes, this.name, this.iv()];
      // a ticket of ours: accepted, and a new one sent after the handshake; another (an old
      // run's, another CA's): ignored, a full handshake follows (the keys must be there even
      // then: the native side reads them before it looks at the verdict)
      return [name.equals(this.name) ? RENEW : UNKNOWN_KEY, this.hmac, this.aes];
    };
    native.enableTicketKeyCallback();
    return true;
  }

  /** a fresh random IV (its own 16 bytes of the block: the native side copies them) */
  private iv(): Buffer {
    if (this.nextIv === this.ivs.length) {
      this.ivs = crypto.randomBytes(IV * IV_BLOCK);
      this.nextIv = 0;
    }
    const iv = this.ivs.subarray(this.nextIv, this.nextIv + IV);
    this.nextIv += IV;
    return iv;
  }
}
