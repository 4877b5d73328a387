/**
 * The desktop app's inspector opens with the same answer as the browser's: through the real
 * preload API (src-main/preload-api.ts) and the main process's IPC handlers (src-main/ipc.ts),
 * Electron's IPC replaced by a direct hand-over, `capture.first` gives the capture's settings,
 * its connections and its newest messages, the rows `capture.list` gives, in one call.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { buildExposedApi } from '../../src-main/preload-api';
import { wireIpc } from '../../src-main/ipc';
import type { CaptureFirst, CaptureSettings, CaptureSummary, ConnectionInfo } from '../../src-main/lab/api';
import { startLab, waitFor } from '../helpers/lab';
import type { Lab } from '../../src-main/lab/lab';

let lab: Lab;
let echoPort: number;
const ourWindow = { id: 1 };
const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();

beforeAll(async () => {
  let port: (id: string) => number;
  ({ lab, port } = await startLab());
  echoPort = port('echo-tcp');
  wireIpc({ handle: (ch: string, fn: never) => void handlers.set(ch, fn), removeHandler: (ch: string) => void handlers.delete(ch) } as never, lab, (sender) => sender === (ourWindow as never));
});
afterAll(() => lab.shutdown());

/** the preload's window.netlab, each call carried to the main process's handler as from our window */
const api = buildExposedApi({
  invoke: async (channel: string, ...args: unknown[]) => handlers.get(channel)!({ sender: ourWindow } as never, ...args),
  on: () => undefined as never,
  removeListener: () => undefined as never,
  send: () => undefined,
});
const call = <T>(name: string, ...args: unknown[]): Promise<T> => (api[name] as (...a: unknown[]) => Promise<T>)(...args);

describe("the desktop app's inspector opening", () => {
  it('capture.first through the preload and IPC: the settings, the connections and the newest rows', async () => {
    // the textbook's TCP echo: one line a connection, answered in capitals
    for (let i = 0; i < 5; i++) {
      const socket = net.connect({ host: '127.0.0.1', port: echoPort });
      const closed = new Promise((resolve) => socket.once('close', resolve));
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      socket.write(`line ${i}\n`);
      await waitFor(() => got === `LINE ${i}\n`, `the echo of line ${i}`);
      socket.end();
      await closed;
    }
    // every connection's close noted: the capture holds still while it is read
    await waitFor(async () => (await call<ConnectionInfo[]>('capture.connections')).filter((c) => c.service === 'echo-tcp' && c.closed !== undefined).length === 5, 'the five connections closed');

    const first = await call<CaptureFirst>('capture.first', { limit: 8 });
    expect(first.messages).toEqual(await call<CaptureSummary[]>('capture.list', { beforeId: Number.MAX_SAFE_INTEGER, limit: 8 }));
    expect(first.messages.some((m) => m.summary.includes('LINE 4'))).toBe(true);
    expect(first.settings).toEqual(await call<CaptureSettings>('capture.settings'));
    const conns = await call<ConnectionInfo[]>('capture.connections');
    expect(first.connections).toEqual(conns);
    expect(first.connections.some((c) => c.service === 'echo-tcp' && c.id === first.messages.at(-1)!.conn)).toBe(true);

    // checked at the edge as every call is
    await expect(call('capture.first', { limit: 0 })).rejects.toThrow(/capture\.first: bad argument/);
  });
});
