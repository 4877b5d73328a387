/**
 * `netlab serve` answers a tab's `capture.list` marked `frame: true` with a binary page frame
 * (src-main/lab/capture/page-frame.ts): the rows are the JSON answer's, newest page first and
 * older pages before it; a bad argument still gets its JSON error,
 * and a call without the mark (any script's) still gets JSON.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePageFrame, FRAME_CAPTURE_PAGE } from '../../src-main/lab/capture/batch-frame';
import type { CaptureSummary } from '../../src-main/lab/api';
import { apiSocket, serve, type Served } from '../helpers/serve';

let lab: Served;
beforeAll(async () => {
  lab = await serve();
}, 30_000);
afterAll(async () => {
  await lab.stop();
});

type Answer = { binary: true; id: number; rows: CaptureSummary[] } | { binary: false; id: unknown; result?: unknown; error?: string };

/** A tab's socket; `call` sends one frame and resolves with the answer to its id (JSON or binary). */
async function openTab(): Promise<{ call: (frame: object) => Promise<Answer>; close: () => void }> {
  const ws = apiSocket(lab);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<unknown, (a: Answer) => void>();
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) {
      if (data[0] !== FRAME_CAPTURE_PAGE) return; // a live batch
      const page = decodePageFrame(data);
      return waiting.get(page.id)?.({ binary: true, id: page.id, rows: page.messages });
    }
    const msg = JSON.parse(data.toString()) as { id?: unknown; result?: unknown; error?: string };
    if ('id' in msg) waiting.get(msg.id)?.({ binary: false, ...msg, id: msg.id });
  });
  return {
    call: (frame) => new Promise((resolve) => {
      waiting.set((frame as { id: unknown }).id, resolve);
      ws.send(JSON.stringify(frame));
    }),
    close: () => ws.close(),
  };
}

/** `n` datagrams to the UDP echo from a real socket, each answered */
async function echo(n: number): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.connect(lab.echoPort, '127.0.0.1', r));
  for (let i = 0; i < n; i++) {
    const reply = new Promise<Buffer>((r) => s.once('message', r));
    s.send(`über ${i} ✓\n`);
    expect((await reply).toString()).toBe(`üBER ${i} ✓\n`);
  }
  s.close();
}

describe('history pages as binary frames', () => {
  it('a marked call gets the rows the JSON answer lists, page by page back to the oldest', async () => {
    await echo(150);
    const tab = await openTab();
    const all = await tab.call({ id: 1, method: 'capture.list', args: [{ afterId: 0, limit: 100_000 }] });
    if (all.binary) throw new Error('an unmarked call got a binary frame');
    const json = all.result as CaptureSummary[];
    expect(json.length).toBeGreaterThanOrEqual(300);

    const pages: CaptureSummary[][] = [];
    let before = Number.MAX_SAFE_INTEGER;
    for (let id = 2; ; id++) {
      const a = await tab.call({ id, method: 'capture.list', args: [{ beforeId: before, limit: 64 }], frame: true });
      if (!a.binary) throw new Error(`a marked call got JSON: ${JSON.stringify(a).slice(0, 200)}`);
      expect(a.id).toBe(id);
      if (a.rows.length === 0) break;
      pages.push(a.rows);
      before = a.rows[0].id;
    }
    expect(pages[0].at(-1)!.id).toBe(json.at(-1)!.id); // the newest page first
    const paged = pages.reverse().flat();
    expect(paged).toEqual(json.filter((m) => m.id <= paged.at(-1)!.id));
    // the echo's reply to the last datagram (its summary shows each byte outside ASCII as ·)
    const last = paged.filter((m) => m.service === 'echo-udp' && m.dir === 's2c').at(-1)!;
    expect(last.summary).toMatch(/^··BER 149 ···/);
    tab.close();
  });

  it('a bad argument gets its JSON error; an id a frame cannot carry gets JSON', async () => {
    const tab = await openTab();
    const bad = await tab.call({ id: 7, method: 'capture.list', args: [{ beforeId: -1, limit: 10 }], frame: true });
    expect(bad.binary).toBe(false);
    expect((bad as { error?: string }).error).toMatch(/capture\.list: bad argument/);
    const big = await tab.call({ id: 2 ** 40, method: 'capture.list', args: [{ beforeId: Number.MAX_SAFE_INTEGER, limit: 5 }], frame: true });
    expect(big.binary).toBe(false);
    expect((big as { result?: unknown[] }).result).toHaveLength(5);
    tab.close();
  });
});
