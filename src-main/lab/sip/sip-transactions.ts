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
  /** Timer G: when the non-2xx final answer goes again, the interval after that, when it stops (Timer H) */
  timerG?: { at: number; interval: number; until: number };
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
  /** Timer A / E: when the request goes again (over UDP), and the interval after that */
  again?: number;
  interval?: number;
  /** Timer B / F: when the proxy gives up waiting for a final answer */
  deadline?: number;
  /** the request as forwarded: CANCEL and the ACK for a non-2xx answer copy its head */
  request: SipRequest;
  doneAt?: number;
}

/** how long a finished transaction stays to absorb retransmissions (Timer J/K: 64·T1 on UDP) */
const lingerOf = (t: SipTimers): number => 64 * t.t1;

/**
 * The timers of every transaction are read by one ticker, not a setTimeout each (a call through
 * the proxy opens four transactions, and thousands of calls a second would arm and clear as
 * many timers): each transaction holds when its next retransmission and its timeout are due,
 * and the ticker, running only while one waits, acts on those past due — T1/8 late at most.
 */
const tickOf = (t: SipTimers): number => Math.max(2, Math.min(25, t.t1 / 8));
const NOTHING = (): void => undefined;
const NO_BYTES = Buffer.alloc(0);

export class Transactions {
  readonly servers = new Map<string, ServerTxn>();
  readonly clients = new Map<string, ClientTxn>();
  private sweeper: NodeJS.Timeout | null = null;
  /** client transactions with no final answer yet: a retransmission or a timeout to come */
  private waiting = new Set<ClientTxn>();
  /** server transactions repeating a non-2xx final answer to INVITE (Timer G) */
  private repeating = new Set<ServerTxn>();
  private ticker: NodeJS.Timeout | null = null;
  /** finished transactions in the order they finished: the sweep takes the old ones from the front */
  private doneServers: ServerTxn[] = [];
  private doneClients: ClientTxn[] = [];
  /** server transactions' keys in the order they were born: one never answered goes after 128·T1
   *  (the key and birth only, so a finished transaction is not held past its linger) */
  private bornServers: { key: string; born: number }[] = [];

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
    if (this.ticker) clearInterval(this.ticker);
    this.sweeper = this.ticker = null;
    this.waiting.clear();
    this.repeating.clear();
    this.clients.clear();
    this.servers.clear();
    this.doneServers = [];
    this.doneClients = [];
    this.bornServers = [];
  }

  /** a server transaction for a request received (keyed by its branch, §17.2.3) */
  addServer(txn: ServerTxn): void {
    this.servers.set(txn.key, txn);
    this.bornServers.push({ key: txn.key, born: txn.born });
  }

  /** a client transaction, sent now and (over UDP) again until answered */
  send(txn: ClientTxn, udp: boolean): void {
    this.clients.set(txn.branch, txn);
    txn.send();
    const now = Date.now();
    const { t1 } = this.timers;
    txn.interval = t1;
    txn.again = udp ? now + t1 : undefined;
    txn.deadline = now + 64 * t1;
    this.waiting.add(txn);
    this.tickSoon();
  }

  /** sent again from the start, its timers anew (over UDP after TCP could not connect) */
  restart(txn: ClientTxn, udp: boolean): void {
    this.waiting.delete(txn);
    this.send(txn, udp);
  }

  /** a response came for the client transaction; true if it is the first final one */
  responded(txn: ClientTxn, status: number): boolean {
    txn.responded = true;
    if (status < 200) {
      if (txn.method === 'INVITE') txn.again = undefined;
      return false;
    }
    if (txn.final) return false;
    this.finish(txn);
    // lingering only to recognise retransmitted answers (64·T1), it lets go of the request it
    // sent, and of the one it was made from (its send closure's): only a non-2xx answer to an
    // INVITE still needs the request, for the ACK the proxy sends itself (§17.1.1.3)
    if (txn.method !== 'INVITE' || status < 300) {
      txn.send = NOTHING;
      txn.bytes = NO_BYTES;
      txn.request = { kind: 'request', method: txn.method, uri: '', headers: [], body: NO_BYTES };
    }
    return true;
  }

  finish(txn: ClientTxn): void {
    if (txn.final) return;
    txn.final = true;
    txn.doneAt = Date.now();
    txn.again = txn.deadline = undefined;
    this.waiting.delete(txn);
    this.doneClients.push(txn);
  }

  /** a final response sent on a server transaction; a non-2xx one to INVITE is repeated until ACKed */
  answered(s: ServerTxn, status: number, bytes: Buffer, udp: boolean): void {
    s.last = bytes;
    s.lastStatus = status;
    if (status < 200) return;
    const first = s.doneAt === undefined;
    s.doneAt = Date.now();
    if (first) this.doneServers.push(s);
    if (s.method === 'INVITE' && status >= 300 && udp) {
      const { t1 } = this.timers;
      s.timerG = { at: s.doneAt + t1, interval: t1, until: s.doneAt + 64 * t1 };
      this.repeating.add(s);
      this.tickSoon();
    }
  }

  /** the ACK for a non-2xx final answer reached the server transaction */
  acked(s: ServerTxn): void {
    s.timerG = undefined;
    this.repeating.delete(s);
  }

  private tickSoon(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => this.tick(), tickOf(this.timers));
    this.ticker.unref();
  }

  /** the retransmissions and timeouts now due (Timers A, B, E, F, G, H) */
  private tick(): void {
    const now = Date.now();
    const { t2 } = this.timers;
    for (const txn of this.waiting) {
      if (txn.deadline !== undefined && txn.deadline <= now) {
        this.finish(txn);
        this.onTimeout(txn);
        continue;
      }
      if (txn.again === undefined || txn.again > now) continue;
      if (txn.method === 'INVITE' && txn.responded) {
        txn.again = undefined;
        continue;
      }
      txn.send();
      const interval = txn.interval!;
      txn.interval = txn.method === 'INVITE' ? interval * 2 : Math.min(interval * 2, t2);
      txn.again = now + txn.interval;
    }
    for (const s of this.repeating) {
      const g = s.timerG;
      if (!g || now >= g.until) {
        s.timerG = undefined;
        this.repeating.delete(s);
        continue;
      }
      if (g.at > now) continue;
      s.reply(s.last!);
      g.interval = Math.min(g.interval * 2, t2);
      g.at = now + g.interval;
    }
    if (!this.waiting.size && !this.repeating.size && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
  }

  private sweep(): void {
    const now = Date.now();
    const before = now - lingerOf(this.timers);
    for (let i = 0; ; i++) {
      const s = this.doneServers[i];
      if (!s || s.doneAt! >= before) {
        this.doneServers.splice(0, i);
        break;
      }
      if (this.servers.get(s.key) === s) this.servers.delete(s.key);
      if (s.timerG) this.acked(s);
    }
    for (let i = 0; ; i++) {
      const c = this.doneClients[i];
      if (!c || c.doneAt! >= before) {
        this.doneClients.splice(0, i);
        break;
      }
      if (this.clients.get(c.branch) === c) this.clients.delete(c.branch);
    }
    // a server transaction never answered (its request forwarded nowhere) goes after Timer B's worth twice
    const stale = now - 128 * this.timers.t1;
    for (let i = 0; ; i++) {
      const b = this.bornServers[i];
      if (!b || b.born >= stale) {
        this.bornServers.splice(0, i);
        break;
      }
      const s = this.servers.get(b.key);
      if (s && s.born === b.born && s.doneAt === undefined) this.servers.delete(b.key);
    }
  }
}
