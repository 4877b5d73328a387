/**
 * How every lab server speaks TLS: the certificate of the lab host the client names (SNI),
 * from the data directory's lab CA; the localhost one when it names none (a client that
 * dials 127.0.0.1). HTTPS uses it from the first byte, SMTP/POP3/IMAP after STARTTLS/STLS.
 */
import type { TLSSocketOptions } from 'node:tls';
import type { TcpTap } from '../capture/tcp-tap';
import type { ServiceContext } from '../services/service';
import { labCa } from './lab-ca';

export function serverTlsOptions(ctx: Pick<ServiceContext, 'dataDir' | 'internet'>, alpn?: string[]): TLSSocketOptions {
  const ca = labCa(ctx.dataDir);
  return {
    secureContext: ca.contextFor(undefined),
    // a lab host's own certificate; any other name gets the localhost one (a client checking names says it does not match)
    SNICallback: (name, cb) => cb(null, ca.contextFor(ctx.internet.known(name).ok ? name : undefined)),
    ...(alpn ? { ALPNProtocols: alpn } : {}),
  };
}

/** A plaintext session's upgrade (STARTTLS, STLS): the reply saying so was sent, TLS from the next byte. */
export function upgradeToTls(tap: TcpTap, ctx: Pick<ServiceContext, 'dataDir' | 'internet'>): void {
  tap.startTls(serverTlsOptions(ctx));
}
