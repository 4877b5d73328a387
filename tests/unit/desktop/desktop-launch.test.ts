/**
 * The desktop habits through the real shell (src-main/index.ts) with `electron` stubbed: the
 * window opens where it was left (moved back onto the screen), a file given at launch or by a
 * second launch reaches the UI as a confirmation naming what will change, nothing changes
 * before the user confirms, the file joins the recent files, and the menu's commands reach the
 * UI on its command channel.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, type OpenedFile } from '../../../src-main/lab/api';
import { UI_COMMAND_CHANNEL, UI_LOCALE_CHANNEL } from '../../../src-main/desktop/ui-commands';
import { appMenuTemplate, type MenuActions } from '../../../src-main/desktop/app-menu';
import { state, StubWindow } from '../../helpers/electron-stub';

vi.mock('electron', async () => (await import('../../helpers/electron-stub')).electronModule);

const dir = fs.mkdtempSync(path.join(state.userData, 'files-'));
const scenarioFile = path.join(dir, 'lossy.netlab-scenario.yaml');
fs.writeFileSync(scenarioFile, 'name: lossy echo\nservices:\n  echo-udp: { link: { lossRate: 0.3, delayMs: 50 } }\n  pop3: { enabled: false }\n');
// the window was left on a second monitor that is no longer there, maximized
fs.writeFileSync(path.join(state.userData, 'window-state.json'), JSON.stringify({ x: 2500, y: 200, width: 1200, height: 800, maximized: true }));
process.argv = [process.argv[0], '.', '--devtools', scenarioFile];

type MenuItem = { id?: string; label?: string; accelerator?: string; registerAccelerator?: boolean; click?: () => void; submenu?: MenuItem[] };
const findItem = (items: MenuItem[], id: string): MenuItem | undefined => {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = item.submenu && findItem(item.submenu, id);
    if (inner) return inner;
  }
  return undefined;
};
const offered = (win: StubWindow): OpenedFile[] =>
  win.sentOn(IPC_EVENT_CHANNEL).filter((m) => m[0] === 'files.offered').map((m) => m[1] as OpenedFile);

describe('desktop launch', () => {
  it('opens the window where it was left, moved back onto the one display, and maximized again', async () => {
    await import('../../../src-main/index');
    await vi.waitFor(() => expect(StubWindow.all).toHaveLength(1), { timeout: 15_000 });
    const win = StubWindow.all[0];
    expect(win.options).toMatchObject({ x: 1920 - 1200, y: 200, width: 1200, height: 800 });
    expect(win.maximized).toBe(true);
    // closing saves the normal bounds and the maximized state
    win.bounds = { x: 100, y: 50, width: 1000, height: 700 };
    win.maximized = false;
    win.handlers.get('close')!();
    expect(JSON.parse(fs.readFileSync(path.join(state.userData, 'window-state.json'), 'utf8'))).toEqual({ x: 100, y: 50, width: 1000, height: 700, maximized: false });
  });

  it('a file on the command line reaches the UI as a confirmation saying what will change, and is a recent file', async () => {
    const win = StubWindow.all[0];
    await vi.waitFor(() => expect(offered(win)).toHaveLength(1), { timeout: 10_000 });
    const file = offered(win)[0];
    expect(file).toMatchObject({ name: 'lossy.netlab-scenario.yaml', kind: 'scenario', title: 'lossy echo' });
    expect(file.changes.join('\n')).toContain('stops pop3');
    expect(file.changes.join('\n')).toContain('echo-udp: 50 ms delay, 30 % loss');
    expect(state.recentDocuments).toEqual([scenarioFile]);
    const open = findItem(state.menus.at(-1) as MenuItem[], 'open-recent')!;
    expect(open.submenu!.map((i) => i.label)).toContain('lossy.netlab-scenario.yaml');
    expect(JSON.parse(fs.readFileSync(path.join(state.userData, 'recent-files.json'), 'utf8'))).toEqual([scenarioFile]);
  });

  it('a second launch focuses the first window and hands it its file (relative to its directory)', async () => {
    const win = StubWindow.all[0];
    win.minimized = true;
    win.calls = [];
    const labFile = path.join(dir, 'my-dns.netlab-lab.yaml');
    fs.copyFileSync(path.resolve(__dirname, '../../../resources/labs/dns.yaml'), labFile);
    state.appHandlers.get('second-instance')!({}, ['/opt/NetLab/netlab', 'my-dns.netlab-lab.yaml'], dir);
    expect(win.calls.slice(0, 3)).toEqual(['restore', 'show', 'focus']);
    await vi.waitFor(() => expect(offered(win)).toHaveLength(2), { timeout: 10_000 });
    const file = offered(win)[1];
    expect(file).toMatchObject({ name: 'my-dns.netlab-lab.yaml', kind: 'lab', title: "DNS: the Internet's directory service" });
    expect(file.changes[0]).toMatch(/opens the lab .* \(\d+ tasks\) in the Labs tab/);
    expect(file.changes[1]).toContain('my-dns.yaml');
    expect(state.recentDocuments.at(-1)).toBe(labFile);
    expect(StubWindow.all).toHaveLength(1);
  });

  it('a file that cannot be read is an error box naming it, and nothing is offered', async () => {
    const win = StubWindow.all[0];
    state.appHandlers.get('open-file')!({ preventDefault: () => undefined }, path.join(dir, 'gone.netlab'));
    await vi.waitFor(() => expect(state.errors).toHaveLength(1));
    expect(state.errors[0]).toContain('gone.netlab');
    expect(offered(win)).toHaveLength(2);
  });

  it('the menu: commands with accelerators, the UI-owned ones sent on the command channel', () => {
    const win = StubWindow.all[0];
    const menu = state.menus.at(-1) as MenuItem[];
    const expected: Array<[string, string | undefined]> = [
      ['new-terminal', 'CmdOrCtrl+`'],
      ['open-file', 'CmdOrCtrl+O'],
      ['export-capture', 'CmdOrCtrl+E'],
      ['start-all', 'CmdOrCtrl+Alt+S'],
      ['stop-all', 'CmdOrCtrl+Alt+X'],
      ['toggle-inspector', 'CmdOrCtrl+Shift+I'],
      ['toggle-theme', 'CmdOrCtrl+Shift+D'],
      ['show-help', 'F1'],
      ['about', undefined],
    ];
    for (const [id, accelerator] of expected) expect(findItem(menu, id)?.accelerator, id).toBe(accelerator);
    expect(findItem(menu, 'about')?.label).toBe('About NetLab');
    // keys the page already catches are shown, not registered twice
    expect(findItem(menu, 'toggle-inspector')!.registerAccelerator).toBe(false);
    expect(findItem(menu, 'toggle-theme')!.registerAccelerator).toBe(true);
    for (const id of ['new-terminal', 'export-capture', 'toggle-inspector', 'toggle-theme', 'show-help']) findItem(menu, id)!.click!();
    expect(win.sentOn(UI_COMMAND_CHANNEL)).toEqual([['new-terminal'], ['export-capture'], ['toggle-inspector'], ['toggle-theme'], ['show-help']]);
    // macOS: the application menu first
    expect(appMenuTemplate({ packaged: true, argv: [], env: {} }, {} as MenuActions, [], 'darwin')[0]).toEqual({ role: 'appMenu' });
    expect(appMenuTemplate({ packaged: true, argv: [], env: {} }, {} as MenuActions, [], 'linux')[0]).toMatchObject({ label: 'File' });
    const roles = JSON.stringify(menu);
    for (const role of ['zoomIn', 'zoomOut', 'resetZoom', 'editMenu', 'quit', 'toggleDevTools']) expect(roles).toContain(role);
  });

  it('Open… offers the chosen file; Clear Recent empties both lists', async () => {
    const win = StubWindow.all[0];
    state.openDialogResult = { canceled: false, filePaths: [scenarioFile] };
    findItem(state.menus.at(-1) as MenuItem[], 'open-file')!.click!();
    await vi.waitFor(() => expect(offered(win)).toHaveLength(3));
    findItem(state.menus.at(-1) as MenuItem[], 'clear-recent')!.click!();
    expect(state.recentDocuments).toEqual([]);
    expect(findItem(state.menus.at(-1) as MenuItem[], 'open-recent')!.submenu!.map((i) => i.id)).toEqual(['clear-recent']);
  });

  it('the menu speaks the language picked in the UI; another sender or an unknown language changes nothing', () => {
    const win = StubWindow.all[0];
    const say = state.ipcListeners.get(UI_LOCALE_CHANNEL)!;
    const menus = state.menus.length;
    say({ sender: { other: true } }, 'zh-CN');
    say({ sender: win.webContents }, 'fr');
    expect(state.menus).toHaveLength(menus);
    say({ sender: win.webContents }, 'zh-CN');
    const zh = state.menus.at(-1) as MenuItem[];
    expect(zh.map((m) => m.label).filter(Boolean)).toEqual(['文件', '实验', '视图']);
    expect(findItem(zh, 'open-file')).toMatchObject({ label: '打开实验或场景文件…', accelerator: 'CmdOrCtrl+O' });
    expect(findItem(zh, 'about')?.label).toBe('关于 NetLab');
    say({ sender: win.webContents }, 'en');
    expect(findItem(state.menus.at(-1) as MenuItem[], 'open-file')?.label).toBe('Open Lab or Scenario File…');
  });

  it('Stop All Services stops every service in the rail', async () => {
    const win = StubWindow.all[0];
    findItem(state.menus.at(-1) as MenuItem[], 'stop-all')!.click!();
    await vi.waitFor(() => {
      const lists = win.sentOn(IPC_EVENT_CHANNEL).filter((m) => m[0] === 'services.changed');
      const last = lists.at(-1)![1] as Array<{ state: string }>;
      expect(last.every((s) => s.state === 'stopped')).toBe(true);
    }, { timeout: 10_000 });
    state.appHandlers.get('before-quit')!({ preventDefault: () => undefined });
    await vi.waitFor(() => expect(state.quits).toBe(1), { timeout: 10_000 });
  });
});
