/**
 * What the mail access servers — POP3 and IMAP (Kurose & Ross §2.3.4) — share: they read the
 * mail system's Maildirs, hold it open while they run, answer at each lab mail host
 * (`mail.<domain>`) on their textbook port, and read command lines bounded in time and number.
 */
import type { ServiceContext } from '../services/service';
import { TcpLabService } from '../services/tcp-service';
import type { MailSystem } from './mail-system';
import { virtualAddresses } from '../services/host-end';

/** a command line must be complete this long after its first byte (slowloris: an autologout
 *  timer alone lets a client keep a session by sending a byte a second) */
const LINE_MS = 60_000;
/** sessions at once; the next is refused in the protocol's words */
const MAX_SESSIONS = 100;

export abstract class MailAccessService extends TcpLabService {
  /** the textbook port at each lab mail host: 110, 143 */
  protected abstract readonly virtualPort: number;
  protected override allowHalfOpen = true;
  protected override noDelay = true;
  protected override lines = true;
  protected override requestMs = LINE_MS;
  protected override maxConnections = MAX_SESSIONS;
  protected withdraw: (() => void)[] = [];

  constructor(
    ctx: ServiceContext,
    port: number,
    readonly mail: MailSystem,
  ) {
    super(ctx, port);
  }

  protected override async listen(): Promise<void> {
    await this.mail.retain();
    await super.listen();
    const addresses = this.mail.directory.domains.map((d) => virtualAddresses(this.ctx, d.host));
    for (const virtualAddress of new Set(addresses.flat())) {
      this.withdraw.push(this.ctx.internet.addRoute({ virtualAddress, virtualPort: this.virtualPort, realPort: this.port, service: this.id }));
    }
  }

  protected override async close(): Promise<void> {
    for (const w of this.withdraw.splice(0)) w();
    await super.close();
    await this.mail.release();
  }
}
