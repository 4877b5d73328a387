/**
 * The inspector's opening pushed by `netlab serve` (src-main/bridge/attach.ts): a socket opened
 * at /api?first=N gets `capture.first`'s answer as call 0 before it sends anything, as one
 * binary frame: the settings, every connection and the newest N rows, the rows the JSON
 * `capture.list` gives; the capture's live batches follow on from its last row, none missed
 * and none twice. A `first` that is not a page size gets call 0's JSON error; a marked
 * `capture.first` call gets the same frame under its own id; a socket opened without `first`
 * is sent no history unasked.
 */
import dgram from 'node:dgram';
import type { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeBatchFrame, decodeFirstFrame, FRAME_CAPTURE_BATCH, FRAME_CAPTURE_FIRST } from '../../src-main/lab/capture/batch-frame';
import type { CaptureFirst, CaptureSettings, CaptureSummary, ConnectionInfo } from '../../src-main/lab/api';
import { apiSocket, serve, type Served } from '../helpers/serve';

let lab: Served;
beforeAll(async () => {
  lab = await serve();
}, 30_000);
afterAll(async () => {
  await lab.stop();
});

/** every frame a socket receives, in order (binary ones as Buffers) */
function frames(ws: WebSocket): { got: (Buffer | Record<string, unknown>)[]; next: (pred: (f: Buffer | Record<string, unknown>) => boolean) => Promise<Buffer | Record<string, unknown>> } {
  const got: (Buffer | Record<string, unknown>)[] = [];
  const waiters: { pred: (f: Buffer | Record<string, unknown>) => boolean; resolve: (f: Buffer | Record<string, unknown>) => void }[] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    const f = isBinary ? data : (JSON.parse(data.toString()) as Record<string, unknown>);
    got.push(f);
    for (const w of waiters.splice(0)) {
      if (w.pred(f)) w.resolve(f);
      else waiters.push(w);
    }
  });
  return {
    got,
    next: (pred) => {
      const seen = got.find(pred);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

/** one JSON call on a socket of its own, as any script makes it */
async function jsonCall<T>(method: string, ...args: unknown[]): Promise<T> {
  const ws = apiSocket(lab);
  const f = frames(ws);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ id: 1, method, args }));
  const answer = (await f.next((x) => !Buffer.isBuffer(x) && x.id === 1)) as { result?: T; error?: string };
  ws.close();
  if (answer.error) throw new Error(answer.error);
  return answer.result as T;
}

/** `n` datagrams to the UDP echo from one real socket, each answered */
async function echo(n: number, from = 0): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.connect(lab.echoPort, '127.0.0.1', r));
  for (let i = from; i < from + n; i++) {
    const reply = new Promise<Buffer>((r) => s.once('message', r));
    s.send(`line ${i}\n`);
    expect((await reply).toString()).toBe(`LINE ${i}\n`);
  }
  s.close();
}

const isFirst = (f: Buffer | Record<string, unknown>): f is Buffer => Buffer.isBuffer(f) && f[0] === FRAME_CAPTURE_FIRST;

describe("the inspector's opening, pushed as the socket opens", () => {
  it('a socket opened with first=N gets the newest N rows, the settings and the connections before it asks anything; live rows follow on', async () => {
    await echo(80);
    const ws = apiSocket(lab, 'first=50');
    const f = frames(ws);
    const frame = (await f.next(isFirst)) as Buffer;
    // nothing was sent on this socket; the opening is its first frame
    expect(f.got[0]).toBe(frame);
    const { id, first } = decodeFirstFrame(frame);
    expect(id).toBe(0);

    const settings = await jsonCall<CaptureSettings>('capture.settings');
    const newest = await jsonCall<CaptureSummary[]>('capture.list', { beforeId: Number.MAX_SAFE_INTEGER, limit: 50 });
    const connections = await jsonCall<ConnectionInfo[]>('capture.connections');
    expect(first.messages).toEqual(newest);
    expect(first.settings.stored).toBe(settings.stored);
    expect(first.connections.map((c) => c.id).sort()).toEqual(connections.map((c) => c.id).sort());
    expect(first.messages.some((m) => m.summary.includes('LINE 79'))).toBe(true);

    // what the lab captures next comes as batches, from the row after the opening's last
    await echo(5, 1000);
    const batched = (): CaptureSummary[] => f.got.filter((x): x is Buffer => Buffer.isBuffer(x) && x[0] === FRAME_CAPTURE_BATCH).flatMap((b) => decodeBatchFrame(b).messages);
    await vi.waitFor(() => expect(batched().some((m) => m.summary.includes('LINE 1004'))).toBe(true), { timeout: 5_000 });
    const rows = batched();
    const ids = rows.map((m) => m.id);
    expect(ids[0]).toBe(first.messages.at(-1)!.id + 1);
    expect(new Set(ids).size).toBe(ids.length);
    ws.close();
  });

  it('a first that is not a page size gets call 0 refused; a marked call gets the frame under its id; no first, no history unasked', async () => {
    for (const bad of ['first=0', 'first=lots', 'first=1000000']) {
      const ws = apiSocket(lab, bad);
      const answer = (await frames(ws).next((x) => !Buffer.isBuffer(x) && x.id === 0)) as { error?: string };
      expect(answer.error, bad).toMatch(/capture\.first: bad argument/);
      ws.close();
    }

    const ws = apiSocket(lab);
    const f = frames(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ id: 3, method: 'capture.first', args: [{ limit: 10 }], frame: true }));
    const frame = (await f.next(isFirst)) as Buffer;
    expect(f.got[0]).toBe(frame);
    const { id, first } = decodeFirstFrame(frame);
    expect(id).toBe(3);
    expect(first.messages).toHaveLength(10);
    // the JSON answer, for a script that does not mark its call
    ws.send(JSON.stringify({ id: 4, method: 'capture.first', args: [{ limit: 10 }] }));
    const json = (await f.next((x) => !Buffer.isBuffer(x) && x.id === 4)) as { result: CaptureFirst };
    expect(json.result.messages).toEqual(first.messages);
    expect(f.got.filter(isFirst)).toHaveLength(1);
    ws.close();
  });
});
