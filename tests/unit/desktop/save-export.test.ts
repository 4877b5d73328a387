/**
 * Export → pcapng in the desktop app, through the real shell (src-main/index.ts) and the real
 * preload API with `electron` stubbed: the save dialog offers netlab-capture.pcapng, the main
 * process streams the lab's trace to the chosen file (the pieces GET /export/capture.pcapng
 * sends), the window hears the bytes written, tshark reads the file as it reads the API's
 * export; a cancelled dialog writes nothing; a wrong filter is an error before any dialog.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildExposedApi } from '../../../src-main/preload-api';
import { SAVE_PROGRESS_CHANNEL } from '../../../src-main/desktop/save-export-channels';
import { state, StubWindow } from '../../helpers/electron-stub';
import { tsharkComplaints, tsharkFields } from '../../helpers/tshark';

vi.mock('electron', async () => (await import('../../helpers/electron-stub')).electronModule);
process.argv = [process.argv[0], '.'];

const out = fs.mkdtempSync(path.join(state.userData, 'export-'));
let win: StubWindow;

/** the preload's API, its IPC carried to the main process's handlers as from our window (or another) */
function preload(sender: unknown = () => win.webContents) {
  return buildExposedApi({
    invoke: async (channel: string, ...args: unknown[]) => state.ipcHandlers.get(channel)!({ sender: (sender as () => unknown)() }, ...args),
    on: () => undefined as never,
    removeListener: () => undefined as never,
    send: (channel: string, ...args: unknown[]) => void state.ipcListeners.get(channel)?.({ sender: (sender as () => unknown)() }, ...args),
  });
}

/** about 2 MB through the echo service: lines out, the same in capitals back */
async function echoTraffic(port: number): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const line = 'x'.repeat(199) + '\n';
  let got = 0;
  const want = 5000 * line.length;
  const done = new Promise<void>((resolve) => socket.on('data', (d) => (got += d.length) >= want && resolve()));
  for (let i = 0; i < 50; i++) socket.write(line.repeat(100));
  await done;
  socket.end();
  await new Promise((resolve) => socket.once('close', resolve));
}

const fields = (file: string) => tsharkFields(file, 'tcp', ['ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.flags', 'tcp.len']);

describe('Export in the desktop app', () => {
  it('streams the trace to the file the save dialog picked, the window told the bytes written; tshark reads what the API exports', async () => {
    await import('../../../src-main/index');
    await vi.waitFor(() => expect(StubWindow.all).toHaveLength(1), { timeout: 15_000 });
    win = StubWindow.all[0];
    const api = preload();
    // the echo service keeps the connection (its persistent mode, as the rail sets it)
    const echo = await (api['services.configure'] as (id: string, c: unknown) => Promise<{ state: string; port: number }>)('echo-tcp', { mode: 'persistent' });
    expect(echo.state, 'the echo service runs on its default port').toBe('running');
    await echoTraffic(echo.port);
    // the capture's connection is closed and batched
    await new Promise((resolve) => setTimeout(resolve, 300));

    const file = path.join(out, 'echo.pcapng');
    state.saveDialogResult = { canceled: false, filePath: file };
    const r = await api.saveExport('/export/capture.pcapng?service=echo-tcp');
    expect(state.saveDialogs.at(-1)!.defaultPath).toMatch(/netlab-capture\.pcapng$/);
    expect(r).toEqual({ saved: true, file, bytes: fs.statSync(file).size });
    expect(r.bytes).toBeGreaterThan(2 * 1024 * 1024);
    // progress after each piece: more than one piece, the last one the whole file
    const progress = win.sentOn(SAVE_PROGRESS_CHANNEL).map((m) => m[0] as number);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(r.bytes);
    expect(fs.readdirSync(out)).toEqual(['echo.pcapng']);

    expect(await tsharkComplaints(file)).toBe('');
    const api64 = await (api['capture.exportPcapng'] as (q: unknown) => Promise<string>)({ service: 'echo-tcp' });
    const viaApi = path.join(out, 'api.pcapng');
    fs.writeFileSync(viaApi, Buffer.from(api64, 'base64'));
    const saved = await fields(file);
    expect(saved).toEqual(await fields(viaApi));
    const payload = saved.reduce((n, row) => n + Number(row[6]), 0);
    expect(payload).toBe(2 * 5000 * 200);
    fs.rmSync(viaApi);
  }, 60_000);

  it('a cancelled dialog saves nothing', async () => {
    state.saveDialogResult = { canceled: true, filePath: '' };
    const before = win.sentOn(SAVE_PROGRESS_CHANNEL).length;
    expect(await preload().saveExport('/export/capture.pcapng')).toEqual({ saved: false, bytes: 0 });
    expect(win.sentOn(SAVE_PROGRESS_CHANNEL)).toHaveLength(before);
    expect(fs.readdirSync(out)).toEqual(['echo.pcapng']);
  });

  it('a wrong filter is an error before any dialog; an address that is no export, or another window, is refused', async () => {
    const dialogs = state.saveDialogs.length;
    const api = preload();
    await expect(api.saveExport(`/export/capture.pcapng?filter=${encodeURIComponent('http.status ==')}`)).rejects.toThrow(/a value is expected after ==/);
    await expect(api.saveExport('/etc/passwd')).rejects.toThrow(/not an export address/);
    await expect(api.saveExport('/export/other.bin')).rejects.toThrow(/nothing to export/);
    await expect(preload(() => ({ other: true })).saveExport('/export/capture.pcapng')).rejects.toThrow(/refused/);
    expect(state.saveDialogs).toHaveLength(dialogs);
    // the lab still answers
    expect(await (preload()['capture.settings'] as () => Promise<{ stored: number }>)()).toMatchObject({ stored: expect.any(Number) });
    state.appHandlers.get('before-quit')!({ preventDefault: () => undefined });
    await vi.waitFor(() => expect(state.quits).toBe(1), { timeout: 10_000 });
  });
});
