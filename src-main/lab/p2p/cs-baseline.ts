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

export async function runClientServer(data: Buffer, serverUpload: number, downloads: number[], timeoutMs = 120_000): Promise<BaselineResult> {
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
  try {
    const times = await Promise.all(downloads.map((d) => receive(port, data.length, d, start, timeoutMs)));
    return { distributionTime: Math.max(...times), clients: times };
  } finally {
    upload.close();
    for (const c of clients) c.socket.destroy();
    server.close();
  }
}

function receive(port: number, size: number, rate: number, start: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const q = new RateQueue(rate);
    let got = 0;
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('client-server baseline timed out'));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      q.push({
        size: chunk.length,
        run: () => {
          got += chunk.length;
          if (q.queuedBytes < WRITE_BACKLOG / 2) socket.resume();
          if (got >= size) {
            clearTimeout(timer);
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
      reject(err);
    });
  });
}
