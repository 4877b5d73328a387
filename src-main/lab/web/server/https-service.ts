/**
 * The lab's web server over TLS: port 443 of every lab host (8443 on loopback), the same
 * sites as port 80, each with its own certificate from the lab CA, picked by the name the
 * browser sends in its ClientHello (SNI, RFC 6066 §3) — the one thing about the request an
 * onlooker still reads (Kurose & Ross §8.6). The inspector shows the records as they crossed
 * the wire and, beside them, the HTTP the server end decrypted.
 */
import type { TLSSocketOptions } from 'node:tls';
import type { TcpTap } from '../../capture/tcp-tap';
import type { ConnectionSettings } from '../connection';
import { HttpFramer } from '../framer';
import { HttpLabService } from '../http-listener';
import type { ServiceContext } from '../../services/service';
import { labCa, type LabCa } from '../../tls/lab-ca';
import { serverTlsOptions } from '../../tls/server-tls';
import { TLS_PROTOCOL, TlsRecordFramer } from '../../tls/tls-decoder';
import type { HttpConnection } from '../connection';
import type { HttpService } from './http-service';

export const HTTPS_VIRTUAL_PORT = 443;

export class HttpsService extends HttpLabService {
  readonly id = 'https';
  readonly name = 'Web server (HTTPS)';
  readonly protocol = TLS_PROTOCOL;
  readonly description = 'The lab sites over TLS (https://gaia.cs.umass.edu/, …), port 443 of every lab host; certificates from the lab CA';
  private conns = new WeakMap<TcpTap, HttpConnection>();
  private withdraw: (() => void) | null = null;
  private ca: LabCa | null = null;
  private tlsOptions: TLSSocketOptions | null = null;
  protected override framer = (): TlsRecordFramer => new TlsRecordFramer();
  protected override allowHalfOpen = true;

  constructor(
    ctx: ServiceContext,
    port: number,
    private http: HttpService,
  ) {
    super(ctx, port);
  }

  protected connectionSettings(): ConnectionSettings {
    return this.http.connectionSettings();
  }

  /** the CA of this data directory (made on first start) */
  labCa(): LabCa {
    return (this.ca ??= labCa(this.ctx.dataDir));
  }

  protected override async listen(): Promise<void> {
    // the CA is on disk once HTTPS runs (a student trusts that file); made here if it is new
    await this.labCa().prepare();
    await this.http.sites.load();
    await super.listen();
    this.withdraw?.();
    this.withdraw = this.ctx.internet.addRoute({ virtualAddress: '*', virtualPort: HTTPS_VIRTUAL_PORT, realPort: this.port, service: this.id });
  }

  protected override close(): Promise<void> {
    this.withdraw?.();
    this.withdraw = null;
    return super.close();
  }

  protected accept(tap: TcpTap): void {
    tap.socket.setNoDelay(true);
    // one options object for every connection (the contexts behind it are the CA's, made once per host)
    this.tlsOptions ??= serverTlsOptions(this.ctx, ['http/1.1']);
    tap.startTls(this.tlsOptions, { protocol: 'http', framer: new HttpFramer() });
    this.conns.set(tap, this.http.serve(tap));
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    this.conns.get(tap)?.data(chunk);
  }

  protected override refuse(tap: TcpTap): void {
    // no TLS for a connection over the cap: a plaintext 503 would be garbage to a TLS client
    tap.close('refused: the server closes the connection before the handshake');
  }
}
