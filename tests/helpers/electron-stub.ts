/**
 * `electron` for the shell's tests in plain Node: the parts of its API the main process calls,
 * recording what the shell did (windows, menus, IPC sends, notifications, recent documents).
 * Use: vi.mock('electron', async () => (await import('../../helpers/electron-stub')).electronModule)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Handler = (...a: unknown[]) => unknown;

export class StubWindow {
  static all: StubWindow[] = [];
  handlers = new Map<string, Handler>();
  contentsHandlers = new Map<string, Handler>();
  sent: unknown[][] = [];
  focused = true;
  minimized = false;
  maximized = false;
  calls: string[] = [];
  loaded?: string;
  bounds: { x: number; y: number; width: number; height: number };
  webContents = {
    on: (ev: string, fn: Handler) => this.contentsHandlers.set(ev, fn),
    setWindowOpenHandler: () => undefined,
    isDestroyed: () => false,
    send: (...a: unknown[]) => this.sent.push(a),
  };
  constructor(readonly options: Record<string, unknown>) {
    this.bounds = { x: Number(options.x ?? 0), y: Number(options.y ?? 0), width: Number(options.width), height: Number(options.height) };
    StubWindow.all.push(this);
  }
  on(ev: string, fn: Handler): void {
    this.handlers.set(ev, fn);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
  }
  isFocused = (): boolean => this.focused;
  isMinimized = (): boolean => this.minimized;
  isMaximized = (): boolean => this.maximized;
  getNormalBounds = () => this.bounds;
  maximize = (): void => void ((this.maximized = true), this.calls.push('maximize'));
  restore = (): void => void ((this.minimized = false), this.calls.push('restore'));
  show = (): void => void this.calls.push('show');
  focus = (): void => void this.calls.push('focus');
  /** messages sent on one channel */
  sentOn(channel: string): unknown[][] {
    return this.sent.filter((m) => m[0] === channel).map((m) => m.slice(1));
  }
}

export const state = {
  userData: fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-desktop-')),
  lock: true,
  packaged: false,
  ipcHandlers: new Map<string, Handler>(),
  /** ipcMain.on listeners (the renderer's one-way messages) */
  ipcListeners: new Map<string, Handler>(),
  quits: 0,
  exits: [] as number[],
  appHandlers: new Map<string, Handler>(),
  menus: [] as unknown[],
  notifications: [] as Array<{ title: string; body: string }>,
  recentDocuments: [] as string[],
  errors: [] as string[],
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  openDialogResult: { canceled: true, filePaths: [] as string[] },
  saveDialogResult: { canceled: true, filePath: '' },
  /** the options each save dialog was shown with */
  saveDialogs: [] as Array<{ defaultPath?: string }>,
};

class Notification {
  constructor(private options: { title: string; body: string }) {}
  static isSupported = (): boolean => true;
  show(): void {
    state.notifications.push(this.options);
  }
}

export const electronModule = {
  app: {
    getPath: () => state.userData,
    getVersion: () => '0.1.0',
    get isPackaged(): boolean {
      return state.packaged;
    },
    whenReady: () => Promise.resolve(),
    requestSingleInstanceLock: () => state.lock,
    on: (ev: string, fn: Handler) => state.appHandlers.set(ev, fn),
    quit: () => void state.quits++,
    exit: (code: number) => void state.exits.push(code),
    addRecentDocument: (f: string) => void state.recentDocuments.push(f),
    clearRecentDocuments: () => void (state.recentDocuments = []),
    setAboutPanelOptions: () => undefined,
    showAboutPanel: () => undefined,
  },
  BrowserWindow: StubWindow,
  Notification,
  screen: { getAllDisplays: () => state.displays },
  dialog: {
    showErrorBox: (title: string, body: string) => void state.errors.push(`${title}: ${body}`),
    showOpenDialog: async () => state.openDialogResult,
    showSaveDialog: async (...a: unknown[]) => {
      state.saveDialogs.push(a.at(-1) as { defaultPath?: string });
      return state.saveDialogResult;
    },
  },
  ipcMain: {
    handle: (channel: string, fn: Handler) => void state.ipcHandlers.set(channel, fn),
    removeHandler: () => undefined,
    on: (channel: string, fn: Handler) => void state.ipcListeners.set(channel, fn),
  },
  Menu: { setApplicationMenu: (m: unknown) => void state.menus.push(m), buildFromTemplate: (t: unknown) => t },
  protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
  net: { fetch: async () => new Response('file') },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: () => undefined },
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
      setDevicePermissionHandler: () => undefined,
    },
  },
};
