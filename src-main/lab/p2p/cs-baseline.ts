/**
 * The client-server baseline of §2.5.1: one server of upload rate u_s sends the whole file
 * to each of N clients over its own TCP connection, sharing u_s among them round-robin;
 * each client receives through its own download rate d_i. Real sockets on loopback.
 */
import net from 'node:net';
import { RateQueue } from './rate';

const BLOCK = 16 * 1024;
const WRITE_BACKLOG = 256 * 1024;

export interface BaselineResult {
  distributionTime: number;
  clients: number[];
}

export interface BaselineOptions {
  timeoutMs?: number;
  /** bytes received so far by all clients together (of downloads.length × the file) */
  onProgress?(received: number, total: number, clientsDone: number): void;
  /** Stop pressed while the baseline runs: its sockets close and the promise rejects */
  signal?: AbortSignal;
}

export async function runClientServer(data: Buffer, serverUpload: number, downloads: number[], opts: BaselineOptions = {}): Promise<BaselineResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  if (opts.signal?.aborted) throw new Error('client-server baseline stopped');
  const upload = new RateQueue(serverUpload);
  const clients: { socket: net.Socket; offset: number }[] = [];
  let turn = 0;
  let pumping = false;
  const pump = (): void => {
    if (pumping) return;
    const ready = clients.filter((c) => c.offset < data.length && c.socket.writableLength < WRITE_BACKLOG && !c.socket.destroyed);
    if (ready.length === 0) return;
    const c = ready[turn++ % ready.length];
    const block = data.subarray(c.offset, c.offset + BLOCK);
    c.offset += block.length;
    pumping = true;
    upload.push({
      size: block.length,
      run: () => {
        c.socket.write(block);
        pumping = false;
        setImmediate(pump);
      },
    });
  };
  const server = net.createServer((socket) => {
    const c = { socket, offset: 0 };
    clients.push(c);
    socket.on('drain', pump);
    socket.on('error', () => undefined);
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const start = performance.now();
  let received = 0;
  let done = 0;
  const progress = (n: number, finished: boolean): void => {
    received += n;
    if (finished) done++;
    opts.onProgress?.(received, data.length * downloads.length, done);
  };
  try {
    const times = await Promise.all(downloads.map((d) => receive(port, data.length, d, start, timeoutMs, progress, opts.signal)));
    return { distributionTime: Math.max(...times), clients: times };
  } finally {
    upload.close();
    for (const c of clients) c.socket.destroy();
    server.close();
  }
}

function receive(port: number, size: number, rate: number, start: number, timeoutMs: number, progress: (n: number, finished: boolean) => void, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const q = new RateQueue(rate);
    let got = 0;
    const socket = net.connect(port, '127.0.0.1');
    const fail = (why: string): void => {
      q.close();
      socket.destroy();
      reject(new Error(why));
    };
    const timer = setTimeout(() => fail('client-server baseline timed out'), timeoutMs);
    const abort = (): void => {
      clearTimeout(timer);
      fail('client-server baseline stopped');
    };
    signal?.addEventListener('abort', abort, { once: true });
    socket.on('data', (chunk: Buffer) => {
      q.push({
        size: chunk.length,
        run: () => {
          got += chunk.length;
          progress(chunk.length, got >= size);
          if (q.queuedBytes < WRITE_BACKLOG / 2) socket.resume();
          if (got >= size) {
            clearTimeout(timer);
            signal?.removeEventListener('abort', abort);
            q.close();
            socket.destroy();
            resolve((performance.now() - start) / 1000);
          }
        },
      });
      if (q.queuedBytes > WRITE_BACKLOG) socket.pause();
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      reject(err);
    });
  });
}
