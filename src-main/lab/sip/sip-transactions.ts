/**
 * The proxy's transactions (RFC 3261 §17), each side of it:
 * - a server transaction per request received (keyed by its top Via's branch and sent-by,
 *   §17.2.3): a retransmitted request is answered with the last response again, and a
 *   non-2xx final answer to an INVITE is retransmitted (Timer G) until its ACK comes (or
 *   Timer H gives up);
 * - a client transaction per request forwarded (keyed by the branch the proxy put in its own
 *   Via): over UDP the request is sent again after T1, 2·T1, 4·T1 … (Timer A for INVITE,
 *   Timer E capped at T2 for the others, §17.1.1.2 / §17.1.2.2) until a response comes, and
 *   after 64·T1 with no final answer (Timer B / Timer F) the proxy answers 408 itself.
 * The lab scales T1 down from the RFC's 500 ms (see SipTimers) so a lost datagram is
 * visible in seconds, not half a minute.
 */
import type { SipRequest } from './sip-message';

export interface SipTimers {
  /** RTT estimate (RFC: 500 ms) */
  t1: number;
  /** the longest interval between retransmissions of a non-INVITE request (RFC: 4 s) */
  t2: number;
}

/** the lab's timers: T1 = 200 ms, so Timer B/F = 64·T1 = 12.8 s */
export const LAB_TIMERS: SipTimers = { t1: 200, t2: 1600 };

export interface ServerTxn {
  key: string;
  method: string;
  born: number;
  /** sends bytes back the way the request came */
  reply: (bytes: Buffer) => void;
  /** it came over UDP: a non-2xx final answer to INVITE is repeated until ACKed (Timer G) */
  udp: boolean;
  last?: Buffer;
  lastStatus?: number;
  /** the client transaction the request was forwarded on */
  client?: ClientTxn;
  doneAt?: number;
  timerG?: NodeJS.Timeout;
  /** forwarded INVITE: CANCEL must follow it on the same branch */
  cancelled?: boolean;
}

export interface ClientTxn {
  branch: string;
  method: string;
  bytes: Buffer;
  send: () => void;
  server?: ServerTxn;
  responded: boolean;
  final: boolean;
  timer?: NodeJS.Timeout;
  timeout?: NodeJS.Timeout;
  /** the request as forwarded: CANCEL and the ACK for a non-2xx answer copy its head */
  request: SipRequest;
  doneAt?: number;
}

/** how long a finished transaction stays to absorb retransmissions (Timer J/K: 64·T1 on UDP) */
const lingerOf = (t: SipTimers): number => 64 * t.t1;

export class Transactions {
  readonly servers = new Map<string, ServerTxn>();
  readonly clients = new Map<string, ClientTxn>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    public timers: SipTimers,
    private onTimeout: (txn: ClientTxn) => void,
  ) {}

  start(): void {
    this.sweeper ??= setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const c of this.clients.values()) this.clear(c);
    for (const s of this.servers.values()) if (s.timerG) clearTimeout(s.timerG);
    this.clients.clear();
    this.servers.clear();
  }

  /** a client transaction, sent now and (over UDP) again until answered */
  send(txn: ClientTxn, udp: boolean): void {
    this.clients.set(txn.branch, txn);
    txn.send();
    const { t1, t2 } = this.timers;
    if (udp) {
      let interval = t1;
      const again = (): void => {
        if (txn.final || (txn.method === 'INVITE' && txn.responded)) return;
        txn.send();
        interval = txn.method === 'INVITE' ? interval * 2 : Math.min(interval * 2, t2);
        txn.timer = setTimeout(again, interval);
      };
      txn.timer = setTimeout(again, interval);
    }
    txn.timeout = setTimeout(() => {
      if (txn.final) return;
      this.finish(txn);
      this.onTimeout(txn);
    }, 64 * t1);
  }

  /** sent again from the start, its timers anew (over UDP after TCP could not connect) */
  restart(txn: ClientTxn, udp: boolean): void {
    this.clear(txn);
    this.send(txn, udp);
  }

  /** a response came for the client transaction; true if it is the first final one */
  responded(txn: ClientTxn, status: number): boolean {
    txn.responded = true;
    if (status < 200) {
      if (txn.method === 'INVITE' && txn.timer) clearTimeout(txn.timer);
      return false;
    }
    if (txn.final) return false;
    this.finish(txn);
    return true;
  }

  finish(txn: ClientTxn): void {
    txn.final = true;
    txn.doneAt = Date.now();
    this.clear(txn);
  }

  private clear(txn: ClientTxn): void {
    if (txn.timer) clearTimeout(txn.timer);
    if (txn.timeout) clearTimeout(txn.timeout);
    txn.timer = txn.timeout = undefined;
  }

  /** a final response sent on a server transaction; a non-2xx one to INVITE is repeated until ACKed */
  answered(s: ServerTxn, status: number, bytes: Buffer, udp: boolean): void {
    s.last = bytes;
    s.lastStatus = status;
    if (status < 200) return;
    s.doneAt = Date.now();
    if (s.method === 'INVITE' && status >= 300 && udp) {
      let interval = this.timers.t1;
      const started = Date.now();
      const again = (): void => {
        if (!s.timerG || Date.now() - started >= 64 * this.timers.t1) return (s.timerG = undefined);
        s.reply(bytes);
        interval = Math.min(interval * 2, this.timers.t2);
        s.timerG = setTimeout(again, interval);
      };
      s.timerG = setTimeout(again, interval);
    }
  }

  /** the ACK for a non-2xx final answer reached the server transaction */
  acked(s: ServerTxn): void {
    if (s.timerG) clearTimeout(s.timerG);
    s.timerG = undefined;
  }

  private sweep(): void {
    const before = Date.now() - lingerOf(this.timers);
    for (const [k, s] of this.servers) if (s.doneAt !== undefined && s.doneAt < before) {
      if (s.timerG) clearTimeout(s.timerG);
      this.servers.delete(k);
    }
    for (const [k, c] of this.clients) if (c.doneAt !== undefined && c.doneAt < before) this.clients.delete(k);
    // a server transaction never answered (its request forwarded nowhere) goes after Timer B's worth twice
    const stale = Date.now() - 128 * this.timers.t1;
    for (const [k, s] of this.servers) if (s.doneAt === undefined && s.born < stale) this.servers.delete(k);
  }
}
