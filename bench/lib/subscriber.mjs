/**
 * A stand-in for an open inspector tab: a bridge client on its own thread that receives
 * every capture batch and decodes it as the page does, so the load generator's thread does not pay for it.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import { decodeBatchFrame } from './batch-frame.mjs';

if (!isMainThread) {
  const { WebSocket } = await import('ws');
  const { uiPort, token } = workerData;
  const ws = new WebSocket(`ws://127.0.0.1:${uiPort}/api?token=${token}`, {
    headers: { Origin: `http://127.0.0.1:${uiPort}` },
    perMessageDeflate: false,
  });
  const stats = { frames: 0, bytes: 0, messages: 0 };
  ws.on('message', (data, isBinary) => {
    stats.frames++;
    stats.bytes += data.length;
    // the capture's batches: binary frames (a lab before them sent JSON text)
    if (isBinary) {
      stats.messages += decodeBatchFrame(data).messages.length;
      return;
    }
    const frame = JSON.parse(data.toString());
    if (frame.event === 'capture.batch') stats.messages += frame.payload.messages.length;
  });
  ws.on('open', () => parentPort.postMessage({ open: true }));
  ws.on('error', (err) => parentPort.postMessage({ error: err.message }));
  parentPort.on('message', (msg) => {
    if (msg === 'stop') {
      ws.close();
      ws.once('close', () => parentPort.postMessage({ stats }));
    }
  });
}

export async function startSubscriber(lab) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { uiPort: lab.uiPort, token: lab.token } });
  const [first] = await once(worker, 'message');
  if (first.error) throw new Error(`subscriber: ${first.error}`);
  return {
    async stop() {
      worker.postMessage('stop');
      const [{ stats }] = await once(worker, 'message');
      await worker.terminate();
      return stats;
    },
  };
}
