/**
 * The Electron shell's wiring, in plain Node with `electron` replaced by a stub: the window
 * is hardened, navigation and new windows are denied, a CSP is set, web permissions the UI
 * does not use are denied, developer tools are off in a packaged build unless asked for,
 * every API method has its IPC handler, and quitting shuts the lab down.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ipcChannel, methodNames } from '../../src-main/lab/api';
import { SAVE_EXPORT_CHANNEL } from '../../src-main/desktop/save-export-channels';
import { windowOptions, type LaunchContext } from '../../src-main/window-policy';
import { appMenuTemplate, type MenuActions } from '../../src-main/desktop/app-menu';

const stub = vi.hoisted(() => {
  const appHandlers = new Map<string, (...a: unknown[]) => void>();
  const windows: Array<{ options: Record<string, unknown>; handlers: Map<string, (...a: unknown[]) => void>; openHandler?: () => unknown; loaded?: string }> = [];
  const ipcHandlers = new Map<string, unknown>();
  const schemes: Array<{ scheme: string; privileges: Record<string, boolean> }> = [];
  const protocolHandlers = new Map<string, (req: Request) => Response | Promise<Response>>();
  const fetched: string[] = [];
  let headerHook: ((details: unknown, cb: (r: unknown) => void) => void) | null = null;
  let quitCalls = 0;
  const permissions: {
    request?: (wc: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
    check?: (wc: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean;
    device?: (details: unknown) => boolean;
  } = {};
  const menus: unknown[] = [];
  return { permissions, menus, schemes, protocolHandlers, fetched, appHandlers, windows, ipcHandlers, headerHook: () => headerHook, setHook: (h: typeof headerHook) => (headerHook = h), quits: () => quitCalls, quit: () => quitCalls++ };
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      const record = { options, handlers: new Map<string, (...a: unknown[]) => void>(), openHandler: undefined as undefined | (() => unknown), loaded: undefined as undefined | string };
      stub.windows.push(record);
      this.webContents = {
        on: (ev: string, fn: (...a: unknown[]) => void) => record.handlers.set(ev, fn),
        setWindowOpenHandler: (fn: () => unknown) => (record.openHandler = fn),
        isDestroyed: () => false,
        send: () => undefined,
      };
      (this as unknown as { loadURL: (f: string) => Promise<void> }).loadURL = async (f: string) => {
        record.loaded = f;
      };
    }
    on(): void {}
    getNormalBounds(): unknown {
      return {};
    }
    isMaximized(): boolean {
      return false;
    }
  }
  return {
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    Notification: Object.assign(function Notification() {}, { isSupported: () => false }),
    dialog: {},
    app: {
      getPath: () => fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-electron-')),
      requestSingleInstanceLock: () => true,
      addRecentDocument: () => undefined,
      clearRecentDocuments: () => undefined,
      isPackaged: false,
      whenReady: () => Promise.resolve(),
      on: (ev: string, fn: (...a: unknown[]) => void) => stub.appHandlers.set(ev, fn),
      quit: () => stub.quit(),
    },
    BrowserWindow,
    ipcMain: { handle: (ch: string, fn: unknown) => stub.ipcHandlers.set(ch, fn), removeHandler: () => undefined, on: () => undefined },
    Menu: { setApplicationMenu: (m: unknown) => stub.menus.push(m), buildFromTemplate: (t: unknown) => t },
    protocol: {
      registerSchemesAsPrivileged: (s: typeof stub.schemes) => stub.schemes.push(...s),
      handle: (scheme: string, fn: (req: Request) => Response) => stub.protocolHandlers.set(scheme, fn),
    },
    net: {
      fetch: async (url: string) => {
        stub.fetched.push(url);
        return new Response('file');
      },
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: never) => stub.setHook(fn) },
        setPermissionRequestHandler: (fn: typeof stub.permissions.request) => (stub.permissions.request = fn),
        setPermissionCheckHandler: (fn: typeof stub.permissions.check) => (stub.permissions.check = fn),
        setDevicePermissionHandler: (fn: typeof stub.permissions.device) => (stub.permissions.device = fn),
      },
    },
  };
});

describe('Electron shell', () => {
  it('opens one hardened window on the built renderer, with the lab behind IPC', async () => {
    await import('../../src-main/index');
    await vi.waitFor(() => expect(stub.windows).toHaveLength(1), { timeout: 10_000 });
    const win = stub.windows[0];
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/out[\\/]preload[\\/]preload\.cjs$/);
    expect(win.loaded).toBe('netlab://app/index.html');
    // the UI comes from a privileged scheme mapped onto out/renderer, never outside it
    expect(stub.schemes).toEqual([{ scheme: 'netlab', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    const serve = stub.protocolHandlers.get('netlab')!;
    expect((await serve(new Request('netlab://app/assets/index.js'))).status).toBe(200);
    expect(stub.fetched[0]).toMatch(/^file:\/\/.*out\/renderer\/assets\/index\.js$/);
    // an encoded ../ climbs no higher than out/renderer
    await serve(new Request('netlab://app/%2e%2e/%2e%2e/package.json'));
    expect(stub.fetched[1]).toMatch(/^file:\/\/.*out\/renderer\/package\.json$/);

    let prevented = false;
    win.handlers.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://example.com');
    expect(prevented).toBe(true);
    expect(win.openHandler!()).toEqual({ action: 'deny' });

    let headers: Record<string, string[]> = {};
    stub.headerHook()!({ responseHeaders: {} }, (r) => (headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toContain("default-src 'self'");
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'");

    // every API method, and Export's save to a file the user picks (desktop/save-export.ts)
    expect([...stub.ipcHandlers.keys()].sort()).toEqual([...methodNames.map(ipcChannel), SAVE_EXPORT_CHANNEL].sort());
  });

  it('denies every web permission the UI does not use, and grants nothing to another origin', () => {
    const { request, check, device } = stub.permissions;
    const requested = (permission: string, url = 'netlab://app/index.html'): boolean => {
      let granted: boolean | undefined;
      request!({}, permission, (g) => (granted = g), { requestingUrl: url });
      return granted!;
    };
    for (const p of ['geolocation', 'media', 'notifications', 'midiSysex', 'openExternal', 'clipboard-read', 'display-capture', 'fullscreen', 'pointerLock', 'unknown']) {
      expect(requested(p), p).toBe(false);
      expect(check!({}, p, 'netlab://app', {}), p).toBe(false);
    }
    // Copy in the terminal, the inspector and the editor writes the clipboard
    expect(requested('clipboard-sanitized-write')).toBe(true);
    expect(check!({}, 'clipboard-sanitized-write', 'netlab://app', {})).toBe(true);
    expect(requested('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(check!({}, 'clipboard-sanitized-write', 'netlab://app.evil.example', {})).toBe(false);
    // USB, serial and HID devices: none
    expect(device!({ deviceType: 'usb', origin: 'netlab://app' })).toBe(false);
  });

  it('developer tools: on in a development build (F12 in the menu)', () => {
    const dev: LaunchContext = { packaged: false, argv: process.argv, env: process.env };
    // the shell opens its window and menu from the policy below
    expect(stub.windows[0].options).toEqual(windowOptions(String((stub.windows[0].options.webPreferences as { preload: string }).preload), dev));
    const noActions = new Proxy({}, { get: () => () => undefined }) as MenuActions;
    expect(JSON.stringify(stub.menus[0])).toEqual(JSON.stringify(appMenuTemplate(dev, noActions, [])));
    expect((stub.windows[0].options.webPreferences as { devTools: boolean }).devTools).toBe(true);
    expect(JSON.stringify(stub.menus[0])).toContain('toggleDevTools');
  });

  it('developer tools: off in an installed build unless --devtools or NETLAB_DEVTOOLS=1 asks for them', () => {
    const installed = (argv: string[] = [], env: Record<string, string> = {}): LaunchContext => ({ packaged: true, argv: ['/opt/NetLab/netlab', ...argv], env });
    const devTools = (l: LaunchContext): unknown => windowOptions('/p.cjs', l).webPreferences?.devTools;
    const inMenu = (l: LaunchContext): boolean => JSON.stringify(appMenuTemplate(l, {} as MenuActions, [])).includes('toggleDevTools');
    expect(devTools(installed())).toBe(false);
    expect(inMenu(installed())).toBe(false);
    expect(devTools(installed([], { NETLAB_DEVTOOLS: '0' }))).toBe(false);
    expect(windowOptions('/p.cjs', installed()).webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    for (const asked of [installed(['--devtools']), installed([], { NETLAB_DEVTOOLS: '1' })]) {
      expect(devTools(asked)).toBe(true);
      expect(inMenu(asked)).toBe(true);
    }
  });

  it('quitting stops the lab first, then quits', async () => {
    let prevented = false;
    stub.appHandlers.get('before-quit')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(stub.quits()).toBe(1));
  });
});
