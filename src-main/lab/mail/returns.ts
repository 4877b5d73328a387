/**
 * What the relay queue gives back (RFC 5321 §4.5.5, §6.1): each relayed message's outcome
 * marked done in the spool, and, for the recipients the next hop refused for good or the queue
 * gave up on, a delivery status notification (RFC 3464) from MAILER-DAEMON to the sender —
 * spooled and relayed like any message, with the null reverse-path, so it is never bounced
 * again. The Mail tab's queue pane lists what was returned this run.
 */
import type { MailChanged, MailReturned } from '../api';
import { buildBounce, statusOf, type FailedRecipient } from './bounce';
import type { QueueItem } from './relay-queue';
import type { Spool, SpoolEntry } from './spool';
import { rfc5322Date } from './trace';
import { splitAddress, SUBMISSION_HOST, type MailDirectory } from './users';

const MAX_RETURNED = 50;

export interface ReturnsDeps {
  spool: Spool;
  directory: () => MailDirectory;
  emit: (change: MailChanged) => void;
  /** a new queue id, of the series accept() gives */
  newId: (at: Date) => string;
  /** deliver or queue a message now in the spool */
  dispatch: (entry: SpoolEntry) => void;
}

export class Returns {
  /** what the queue returned to senders this run, newest last */
  readonly list: MailReturned[] = [];

  constructor(private deps: ReturnsDeps) {}

  /** The queue finished an item: relayed to every recipient, or some `failed` for good. */
  relayed(item: QueueItem, failed: FailedRecipient[]): void {
    const done = (): void => this.deps.spool.done({ key: `${item.id}/${item.domain}`, files: [], outcome: failed.length ? 'failed' : 'relayed' });
    if (failed.length === 0) return done();
    const senderDomain = this.senderDomain(item);
    this.list.push({
      id: item.id,
      domain: item.domain,
      from: item.from,
      at: Date.now(),
      recipients: failed.map((f) => ({ address: f.address, status: statusOf(f), reason: f.reason, ...(f.remoteMta ? { remoteMta: f.remoteMta } : {}) })),
      dropped: senderDomain === undefined,
    });
    if (this.list.length > MAX_RETURNED) this.list.splice(0, this.list.length - MAX_RETURNED);
    this.deps.emit({ queue: true });
    // the report is in the spool before the failed message is marked done: a crash between loses neither
    if (senderDomain) void this.bounce(item, failed, senderDomain).finally(done);
    else done();
  }

  /** the sender's lab domain, where a report can go (none for a bounce itself, or a sender outside the lab) */
  private senderDomain(item: QueueItem): string | undefined {
    const domain = splitAddress(item.from)?.domain;
    return item.from && domain && this.deps.directory().domain(domain) ? domain : undefined;
  }

  /** A report that cannot be spooled (a full disk) is dropped: a bounce is never retried as mail. */
  private async bounce(item: QueueItem, failed: FailedRecipient[], senderDomain: string): Promise<void> {
    const host = SUBMISSION_HOST;
    const now = new Date();
    const id = this.deps.newId(now);
    const report = buildBounce({ to: item.from, reportingMta: host, domain: senderDomain, failed, arrival: new Date(item.created), original: item.data, date: now });
    const received = `Received: by ${host} (NetLab, bounce) id ${id};\r\n\t${rfc5322Date(now)}\r\n`;
    const entry: SpoolEntry = { id, from: '', rcpts: [item.from], received: now.getTime(), data: Buffer.concat([Buffer.from(received, 'latin1'), report]) };
    try {
      await this.deps.spool.append(entry);
    } catch {
      return;
    }
    this.deps.dispatch(entry);
  }
}
