/**
 * Numbered calls to a worker thread and their answers, the way the DHT's and the swarm's
 * threads (dht/dht-threads.ts, swarm-threads.ts) spread their peers over both cores: the lab
 * posts `{ seq, ...call }`, the worker answers `{ seq, result }` or `{ seq, error }`; messages
 * without a number are news the lab is told (a peer completed). A thread that fails or exits
 * rejects every call still open, and every call after.
 */
import { parentPort, Worker } from 'node:worker_threads';

export class WorkerCalls<Call extends object> {
  private calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private seq = 0;
  private dead: Error | null = null;

  /** `news`: told each message that answers no call */
  constructor(
    readonly worker: Worker,
    what: string,
    news: (m: Record<string, unknown>) => void = () => undefined,
  ) {
    worker.on('message', (m: { seq?: number; result?: unknown; error?: string }) => {
      if (m.seq === undefined) {
        news(m);
        return;
      }
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
    worker.on('exit', (code) => fail(new Error(`${what} worker thread exited (${code})`)));
  }

  call<T>(c: Call): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ seq, ...c });
    });
  }

  /**
   * A worker thread running `module` (the built lab's chunk) with `workerData`, once it has
   * said it is ready; null where none can start here (under the test runner the module is
   * TypeScript, which a worker thread cannot load: the peers then stay in this thread).
   */
  static async start(module: URL, workerData: unknown): Promise<Worker | null> {
    if (!/\.(c|m)?js$/.test(module.pathname)) return null;
    try {
      const worker = new Worker(module, { workerData });
      await new Promise<void>((resolve, reject) => {
        worker.once('message', (m: { ready?: boolean }) => (m.ready ? resolve() : reject(new Error('no ready'))));
        worker.once('error', reject);
        worker.once('exit', () => reject(new Error('the worker thread exited')));
      });
      return worker;
    } catch {
      return null;
    }
  }
}

/** The worker's side: answer each numbered call with `handle`, then say it is ready. */
export function answerCalls<Call extends object>(handle: (c: Call) => Promise<unknown>): void {
  const port = parentPort!;
  port.on('message', (m: Call & { seq: number }) => {
    handle(m).then(
      (result) => port.postMessage({ seq: m.seq, result }),
      (err: Error) => port.postMessage({ seq: m.seq, error: err.message }),
    );
  });
  port.postMessage({ ready: true });
}
