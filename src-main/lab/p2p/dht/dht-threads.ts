/**
 * A big ring's peers spread over worker threads, so a headless run of 1,000 peers uses every
 * core (Node runs one thread of JavaScript per event loop). Each peer stays a real UDP
 * endpoint on its own loopback address, wherever it runs: peers in different threads talk to
 * each other by datagrams exactly as peers in one thread do, and the wire protocol is the
 * same (docs/dht-protocol.md). The lab's thread drives each worker by messages: open these
 * peers, lay them out, ask many lookups from its peers (one message for the lot, not one per
 * lookup), a peer leaves, close.
 *
 * The worker runs this same module file (the built chunk it is bundled in), started with
 * `workerData.netlabDht`; where that cannot start (a source file under a test runner, a
 * packaged app), the ring keeps every peer in its own thread.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { PeerRef } from './dht-codec';
import { DhtEndpoint } from './dht-endpoint';
import type { PeerOptions } from './dht-peer';
import { layOutPeer, lookupAt, windowed } from './dht-layout';
import type { DhtLookup } from './dht-types';
import type { RequestKind } from './requests';

export interface PeerSpec {
  id: number;
  address: string;
  port: number;
}
export interface Ask {
  kind: RequestKind;
  key: number;
  from: number;
  value?: string;
  retries: number;
}

type Call =
  | { op: 'open'; specs: PeerSpec[] }
  | { op: 'layout'; refs: PeerRef[] }
  | { op: 'ask'; ask: Ask }
  | { op: 'many'; asks: Ask[]; window: number }
  | { op: 'leave'; id: number };

/** The lab's side of one worker thread. */
export class DhtThread {
  private calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private seq = 0;
  private dead: Error | null = null;

  private constructor(private worker: Worker) {
    worker.on('message', (m: { seq: number; result?: unknown; error?: string }) => {
      const c = this.calls.get(m.seq);
      if (!c) return;
      this.calls.delete(m.seq);
      if (m.error !== undefined) c.reject(new Error(m.error));
      else c.resolve(m.result);
    });
    const fail = (err: Error): void => {
      this.dead = err;
      for (const c of this.calls.values()) c.reject(err);
      this.calls.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`DHT worker thread exited (${code})`)));
  }

  /** A worker thread running this module, or null where one cannot start here. */
  static async start(options: PeerOptions): Promise<DhtThread | null> {
    if (!/\.(c|m)?js$/.test(new URL(import.meta.url).pathname)) return null;
    try {
      const worker = new Worker(new URL(import.meta.url), { workerData: { netlabDht: options } });
      await new Promise<void>((resolve, reject) => {
        worker.once('message', (m: { ready?: boolean }) => (m.ready ? resolve() : reject(new Error('no ready'))));
        worker.once('error', reject);
        worker.once('exit', () => reject(new Error('the worker thread exited')));
      });
      return new DhtThread(worker);
    } catch {
      return null;
    }
  }

  open(specs: PeerSpec[]): Promise<PeerRef[]> {
    return this.call({ op: 'open', specs });
  }

  /** every peer of the ring, sorted by id: the worker tells its own their neighbours and starts them */
  layOut(refs: PeerRef[]): Promise<void> {
    return this.call({ op: 'layout', refs });
  }

  ask(ask: Ask): Promise<DhtLookup> {
    return this.call({ op: 'ask', ask });
  }

  many(asks: Ask[], window: number): Promise<DhtLookup[]> {
    return this.call({ op: 'many', asks, window });
  }

  leave(id: number): void {
    void this.call({ op: 'leave', id }).catch(() => undefined);
  }

  close(): void {
    void this.worker.terminate();
  }

  private call<T>(c: Call): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ seq, ...c });
    });
  }
}

/** The worker's side: its share of the ring's peers, each its own UDP endpoint. */
function serve(options: PeerOptions): void {
  const port = parentPort!;
  const peers = new Map<number, DhtEndpoint>();
  const hooks = { capture: null, isPeer: () => true };
  const handle = async (c: Call): Promise<unknown> => {
    switch (c.op) {
      case 'open': {
        const refs: PeerRef[] = [];
        for (const s of c.specs) {
          const e = await DhtEndpoint.open(s.id, s.address, s.port, options, hooks);
          peers.set(s.id, e);
          refs.push(e.self);
        }
        return refs;
      }
      case 'layout': {
        const ids = c.refs.map((r) => r.id);
        const refs = new Map(c.refs.map((r) => [r.id, r]));
        ids.forEach((id, i) => {
          const e = peers.get(id);
          if (e) layOutPeer(e, i, ids, refs, options.shortcuts, options.bits);
        });
        for (const e of peers.values()) e.peer.start();
        return undefined;
      }
      case 'ask':
        return lookupAt(peer(c.ask.from), c.ask.kind, c.ask.key, c.ask.value, c.ask.retries);
      case 'many':
        return windowed(c.asks.length, c.window, (i) => lookupAt(peer(c.asks[i].from), c.asks[i].kind, c.asks[i].key, c.asks[i].value, c.asks[i].retries));
      case 'leave':
        peers.get(c.id)?.close();
        peers.delete(c.id);
        return undefined;
    }
  };
  const peer = (id: number): DhtEndpoint => {
    const e = peers.get(id);
    if (!e) throw new Error(`no peer ${id} in this worker thread`);
    return e;
  };
  port.on('message', (m: Call & { seq: number }) => {
    handle(m).then(
      (result) => port.postMessage({ seq: m.seq, result }),
      (err: Error) => port.postMessage({ seq: m.seq, error: err.message }),
    );
  });
  port.postMessage({ ready: true });
}

if (!isMainThread && (workerData as { netlabDht?: PeerOptions } | null)?.netlabDht) serve((workerData as { netlabDht: PeerOptions }).netlabDht);
