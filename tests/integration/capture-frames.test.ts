/**
 * `netlab serve` sends the capture's batches to a browser tab as binary frames: a tab gets
 * every UDP echo datagram a real client (nc) sent, decoded as the page decodes them; a tab
 * that stops reading while traffic flows gets, once it reads again, every row recorded
 * meanwhile, in order, none twice, and the lab kept answering all along (the coalescing of a
 * tab far behind is tests/unit/capture/batch-frame.test.ts's: loopback's socket buffers
 * hold megabytes before the lab sees a tab behind).
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { decodeBatchFrame } from '../../src-main/lab/capture/batch-frame';
import type { CaptureSummary } from '../../src-main/lab/api';
import { run } from '../helpers/proc';
import { apiSocket, serve, type Served } from '../helpers/serve';
import { waitFor } from '../helpers/lab';

let lab: Served;
beforeAll(async () => {
  lab = await serve();
}, 30_000);
afterAll(async () => {
  await lab.stop();
});

interface Tab {
  ws: WebSocket;
  rows: CaptureSummary[];
  frames: number;
  texts: unknown[];
}

function openTab(): Promise<Tab> {
  const ws = apiSocket(lab);
  const tab: Tab = { ws, rows: [], frames: 0, texts: [] };
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) return void tab.texts.push(JSON.parse(data.toString()));
    tab.frames++;
    tab.rows.push(...decodeBatchFrame(data).messages);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(tab));
    ws.once('error', reject);
  });
}

/** `n` request/reply round trips from one UDP socket to the lab's echo */
async function echo(n: number, text: (i: number) => string): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.connect(lab.echoPort, '127.0.0.1', r));
  for (let i = 0; i < n; i++) {
    const reply = new Promise<Buffer>((r) => s.once('message', r));
    s.send(text(i));
    expect((await reply).toString()).toBe(text(i).toUpperCase());
  }
  s.close();
}

describe('capture batches as binary frames', () => {
  it('a tab gets what a real client sent, decoded: service, direction, summary, connection', async () => {
    const tab = await openTab();
    const r = await run('sh', ['-c', `printf 'hello frames\\n' | nc -u -w1 127.0.0.1 ${lab.echoPort}`]);
    expect(r.stdout).toBe('HELLO FRAMES\n');
    const rows = await waitFor(() => tab.rows.length >= 2 && tab.rows, 'the datagram and its reply in a frame', 10_000);
    const sent = rows.find((m) => m.dir === 'c2s')!;
    const back = rows.find((m) => m.dir === 's2c')!;
    expect(sent).toMatchObject({ service: 'echo-udp', transport: 'udp', kind: 'message', size: 13 });
    expect(sent.summary).toContain('hello frames');
    expect(back.summary).toContain('HELLO FRAMES');
    expect(back.conn).toBe(sent.conn);
    tab.ws.close();
  });

  it('a tab that stops reading gets every row later, in order, none twice', async () => {
    const tab = await openTab();
    const quiet = await openTab();
    // the tab stops reading: its socket's buffers fill, the lab holds its rows back
    (tab.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const payload = 'x'.repeat(100);
    const N = 1500;
    await echo(N, (i) => `${i} ${payload}\n`);
    // the other tab read all along: it saw every datagram and reply
    await waitFor(() => quiet.rows.filter((m) => m.service === 'echo-udp').length >= 2 * N, 'the reading tab has every row', 20_000);
    (tab.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const mine = await waitFor(() => {
      const rows = tab.rows.filter((m) => m.service === 'echo-udp');
      return rows.length >= 2 * N && rows;
    }, 'the paused tab catches up', 20_000);
    const ids = mine.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids).toEqual(quiet.rows.filter((m) => m.service === 'echo-udp').map((m) => m.id));
    expect(mine.filter((m) => m.dir === 'c2s').map((m) => Number(m.summary.split(' ')[0]))).toEqual([...Array(N).keys()]);
    tab.ws.close();
    quiet.ws.close();
  }, 60_000);
});
