/**
 * One contract, three transports: the IPC channels the Electron main process handles, the
 * keys of the preload's window.netlab and the methods the WebSocket bridge answers are all
 * the API's method list. Electron is replaced by a stub (as httptoolkit-desktop tests it).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { eventNames, IPC_EVENT_CHANNEL, ipcChannel, methodNames } from '../../src-main/lab/api';
import { wireIpc } from '../../src-main/ipc';
import { startBridge, type Bridge } from '../../src-main/bridge/server';
import { startLab, tempDir } from '../helpers/lab';
import type { Lab } from '../../src-main/lab/lab';

const exposed: Record<string, Record<string, unknown>> = {};
const rendererListeners: Array<(e: unknown, ...a: unknown[]) => void> = [];
const commandListeners: Array<(e: unknown, ...a: unknown[]) => void> = [];
const invoked: Array<[string, unknown[]]> = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push([channel, args]);
      return 'ok';
    },
    on: (channel: string, l: (e: unknown, ...a: unknown[]) => void) => (channel === 'netlab:command' ? commandListeners : rendererListeners).push(l),
    removeListener: () => undefined,
  },
}));

let lab: Lab;
let bridge: Bridge;
beforeAll(async () => {
  ({ lab } = await startLab());
  bridge = await startBridge({ lab, token: 't0ken', rendererDir: await tempDir(), port: 0 });
});
afterAll(async () => {
  await bridge.close();
  await lab.shutdown();
});

describe('API contract', () => {
  it('the preload exposes exactly the method list, plus on(), onCommand(), the export saver, setLocale() and the shell name', async () => {
    await import('../../src-main/preload');
    const api = exposed.netlab;
    // the desktop shell's own: on(), onCommand(), saveExport()/onSaveProgress() (a pcapng streamed to a file), setLocale() (the menu's language), the shell's name
    const shellOwn = new Set(['on', 'onCommand', 'saveExport', 'onSaveProgress', 'setLocale', 'shell']);
    expect(Object.keys(api).filter((k) => !shellOwn.has(k)).sort()).toEqual([...methodNames].sort());
    for (const k of shellOwn) expect(api).toHaveProperty(k);
    // the native menu's commands: only names on the list reach the page
    const commands: unknown[] = [];
    (api.onCommand as (l: (c: unknown) => void) => void)((c) => commands.push(c));
    commandListeners.forEach((l) => l({}, 'toggle-inspector'));
    commandListeners.forEach((l) => l({}, 'rm -rf'));
    commandListeners.forEach((l) => l({}, { toString: () => 'new-terminal' }));
    expect(commands).toEqual(['toggle-inspector']);
    await (api['services.list'] as () => Promise<unknown>)();
    expect(invoked).toEqual([[ipcChannel('services.list'), []]]);
    const got: unknown[] = [];
    (api.on as (e: string, l: (p: unknown) => void) => void)('capture.cleared', (p) => got.push(p));
    rendererListeners.forEach((l) => l({}, 'capture.cleared', { stored: 0 }));
    rendererListeners.forEach((l) => l({}, 'services.changed', []));
    expect(got).toEqual([{ stored: 0 }]);
    expect(() => (api.on as (e: string, l: unknown) => void)('not.an.event', () => undefined)).toThrow();
    expect(IPC_EVENT_CHANNEL).toBe('netlab:event');
  });

  it('the main process handles exactly one IPC channel per method, and only for our window', async () => {
    const handlers = new Map<string, (event: { sender: unknown }, ...args: unknown[]) => unknown>();
    const ourWindow = { id: 1 };
    wireIpc(
      { handle: (ch: string, fn: never) => void handlers.set(ch, fn), removeHandler: (ch: string) => void handlers.delete(ch) } as never,
      lab,
      (sender) => sender === (ourWindow as never),
    );
    expect([...handlers.keys()].sort()).toEqual(methodNames.map(ipcChannel).sort());
    const list = handlers.get(ipcChannel('services.list'))!;
    await expect(list({ sender: ourWindow })).resolves.toContainEqual(expect.objectContaining({ id: 'echo-tcp', state: 'running' }));
    expect(() => list({ sender: { id: 2 } })).toThrow(/refused/);
    await expect(handlers.get(ipcChannel('services.start'))!({ sender: ourWindow }, '../../etc')).rejects.toThrow(/bad argument/);
  });

  it('the WebSocket bridge answers every method of the list and no other', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api?token=t0ken`, { headers: { Origin: `http://127.0.0.1:${bridge.port}` } });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const replies = new Map<number, { result?: unknown; error?: string }>();
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString());
      if (typeof m.id === 'number') replies.set(m.id, m);
    });
    const all = [...methodNames, 'lab.shutdown', '__proto__'];
    // wrong-typed arguments on purpose: a known method says "bad argument", an unknown one "unknown method"
    all.forEach((method, id) => ws.send(JSON.stringify({ id, method, args: [{ bogus: true }, -1, -1, -1] })));
    await vi.waitFor(() => expect(replies.size).toBe(all.length));
    const unknown = all.filter((_, id) => /unknown method/.test(replies.get(id)?.error ?? ''));
    expect(unknown).toEqual(['lab.shutdown', '__proto__']);
    ws.close();
  });

  it('every event the lab emits has a name in the list', () => {
    expect(eventNames).toContain('capture.batch');
    expect(new Set(eventNames).size).toBe(eventNames.length);
  });
});
