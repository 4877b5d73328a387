/**
 * A big swarm's peers spread over worker threads, so a headless run of 1,000 peers uses every
 * core (Node runs one thread of JavaScript per event loop), as a big DHT ring does
 * (dht/dht-threads.ts). Each peer stays a real TCP endpoint on its own loopback address,
 * wherever it runs, and talks the peer wire protocol to the others over loopback sockets; the
 * tracker stays in the lab's thread and every peer announces to it over HTTP or UDP as usual.
 * The lab's thread drives each worker by messages: make these peers (from their PeerSpecs),
 * join one or many, make one leave, tell the facts; a worker tells when one of its peers
 * completes.
 *
 * The worker runs this same module file (the built chunk it is bundled in), started with
 * `workerData.netlabSwarm`; where that cannot start (a source file under a test runner, a
 * packaged app), the swarm keeps every peer in the lab's thread.
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { answerCalls, WorkerCalls } from './worker-calls';
import { LabPeer } from './peer';
import { peerConfig, reviveMeta, type PeerSpec } from './peer-spec';
import { factsOf, type PeerFacts, type PeerHost } from './remote-peer';
import type { TorrentMeta } from './torrent';

type Call =
  | { op: 'open'; meta: TorrentMeta; data: Uint8Array | null; specs: PeerSpec[] }
  | { op: 'start'; indexes: number[]; url: string }
  | { op: 'stop'; index: number; abrupt: boolean }
  | { op: 'facts' }
  | { op: 'close' };

const JOIN_BATCH = 32;

type News = { event: 'complete'; index: number; at: number } | { event: 'log'; text: string };

/** The lab's side of one worker thread. */
export class SwarmThread implements PeerHost {
  /** a peer of this thread completed (wall-clock ms) */
  onComplete: (index: number, at: number) => void = () => undefined;
  onLog: (text: string) => void = () => undefined;
  private calls: WorkerCalls<Call>;

  private constructor(worker: Worker) {
    this.calls = new WorkerCalls<Call>(worker, 'swarm', (m) => {
      const n = m as { event?: News['event']; index?: number; at?: number; text?: string };
      if (n.event === 'complete') this.onComplete(n.index!, n.at!);
      else if (n.event === 'log') this.onLog(n.text!);
    });
  }

  /** Worker threads running this module, or none where they cannot start here. */
  static async spawn(count: number): Promise<SwarmThread[]> {
    if (count < 2) return [];
    const workers = await Promise.all(Array.from({ length: count }, () => WorkerCalls.start(new URL(import.meta.url), { netlabSwarm: true })));
    if (workers.every((w) => w)) return workers.map((w) => new SwarmThread(w!));
    for (const w of workers) void w?.terminate();
    return [];
  }

  /** its peers, made from their specs (`data`: the file, for a thread with a seed among them) */
  open(meta: TorrentMeta, data: Buffer | null, specs: PeerSpec[]): Promise<void> {
    return this.call({ op: 'open', meta, data, specs });
  }

  /** join these peers (a batch at a time, each once listening and announced) */
  startMany(indexes: number[], url: string): Promise<PeerFacts[]> {
    return this.call({ op: 'start', indexes, url });
  }

  async start(index: number, url: string): Promise<PeerFacts> {
    return (await this.startMany([index], url))[0];
  }

  stop(index: number, abrupt: boolean): Promise<PeerFacts> {
    return this.call({ op: 'stop', index, abrupt });
  }

  facts(): Promise<PeerFacts[]> {
    return this.call({ op: 'facts' });
  }

  /** every peer leaves abruptly, then the thread ends */
  async close(): Promise<void> {
    await this.call({ op: 'close' }).catch(() => undefined);
    await this.calls.worker.terminate();
  }

  private call<T>(c: Call): Promise<T> {
    return this.calls.call<T>(c);
  }
}

/** The worker's side: its share of the swarm's peers. */
function serve(): void {
  const port = parentPort!;
  let peers: LabPeer[] = [];
  const tell = (n: News): void => port.postMessage(n);
  const handle = async (c: Call): Promise<unknown> => {
    switch (c.op) {
      case 'open': {
        const meta = reviveMeta(c.meta);
        const data = c.data ? Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength) : undefined;
        peers = c.specs.map((spec, index) => {
          const events = {
            complete: () => tell({ event: 'complete', index, at: performance.timeOrigin + (peers[index]?.completedAt ?? performance.now()) }),
            log: (_p: unknown, text: string) => tell({ event: 'log', text: `${spec.name}: ${text}` }),
            badPiece: (_p: unknown, i: number) => tell({ event: 'log', text: `${spec.name}: piece ${i} failed SHA-1` }),
          };
          return new LabPeer(peerConfig(spec, meta, data, { events }));
        });
        return undefined;
      }
      case 'start': {
        // a few dozen at a time: hundreds joining one by one would take seconds of the run, all
        // at once would overflow the tracker's listen backlog
        for (let k = 0; k < c.indexes.length; k += JOIN_BATCH) await Promise.all(c.indexes.slice(k, k + JOIN_BATCH).map((i) => peers[i].start(c.url)));
        return c.indexes.map((i) => factsOf(peers[i]));
      }
      case 'stop':
        await peers[c.index].stop(c.abrupt);
        return factsOf(peers[c.index]);
      case 'facts':
        return peers.map(factsOf);
      case 'close':
        await Promise.all(peers.map((p) => p.stop(true)));
        return undefined;
    }
  };
  answerCalls(handle);
}

if (!isMainThread && (workerData as { netlabSwarm?: boolean } | null)?.netlabSwarm) serve();
