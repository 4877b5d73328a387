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
import { isMainThread, workerData } from 'node:worker_threads';
import { answerCalls, WorkerCalls } from '../worker-calls';
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
  private constructor(private calls: WorkerCalls<Call>) {}

  /** A worker thread running this module, or null where one cannot start here. */
  static async start(options: PeerOptions): Promise<DhtThread | null> {
    const worker = await WorkerCalls.start(new URL(import.meta.url), { netlabDht: options });
    return worker && new DhtThread(new WorkerCalls<Call>(worker, 'DHT'));
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
    void this.calls.worker.terminate();
  }

  private call<T>(c: Call): Promise<T> {
    return this.calls.call<T>(c);
  }
}

/** The worker's side: its share of the ring's peers, each its own UDP endpoint. */
function serve(options: PeerOptions): void {
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
  answerCalls(handle);
}

if (!isMainThread && (workerData as { netlabDht?: PeerOptions } | null)?.netlabDht) serve((workerData as { netlabDht: PeerOptions }).netlabDht);
