/**
 * The Electron shell: one window on the lab core. Thin on purpose: the lab is plain Node
 * (lab/), the API wiring is derived (ipc.ts). Hardening: context isolation, sandbox, no
 * node integration, a strict CSP, navigation and new windows denied, web permissions and
 * developer tools as window-policy.ts says. The UI is served from
 * a privileged `netlab://app/` scheme rather than file://, so 'self' in the CSP means the
 * bundle and nothing else on disk, and monaco's worker loads as a same-origin script.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { forwardEvents, wireIpc } from './ipc';
import { Lab } from './lab/lab';
import { preloadFile, rendererDir, resourcesDir } from './paths';
import { fileUnder } from './static-path';
import { lockPermissions, windowOptions, type LaunchContext } from './window-policy';
import { DesktopShell } from './desktop/desktop-shell';
import { fileArgument } from './desktop/file-args';
import { claimSingleInstance, focusWindow } from './desktop/single-instance';
import { wireSaveExport } from './desktop/save-export';
import { UI_LOCALE_CHANNEL } from './desktop/ui-commands';
import { isLocale } from './ui-locale';

const SCHEME = 'netlab';
export const UI_URL = `${SCHEME}://app/index.html`;
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'";

const launch: LaunchContext = { packaged: app.isPackaged, argv: process.argv, env: process.env };
let win: BrowserWindow | null = null;
const lab = new Lab({
  dataDir: app.getPath('userData'),
  resourcesDir: app.isPackaged ? path.join(process.resourcesPath, 'resources') : resourcesDir,
  shell: 'electron',
});

const desktop = new DesktopShell(lab, launch, () => win);
let labReady = false;
/** files handed over before the lab has started (macOS sends open-file before ready) */
const waitingFiles: string[] = [];
function openFile(file: string): void {
  if (labReady) void desktop.openPath(file);
  else waitingFiles.push(file);
}
// a second launch focuses this window and hands over the file it was given
const primary = claimSingleInstance(app, (argv, cwd) => {
  focusWindow(win);
  const file = fileArgument(argv, cwd);
  if (file) openFile(file);
});
app.on('open-file', (event, file) => {
  event.preventDefault();
  openFile(file);
});
const launchFile = fileArgument(process.argv, process.cwd());
if (launchFile) waitingFiles.push(launchFile);

function isOurWindow(sender: WebContents): boolean {
  return win !== null && sender === win.webContents;
}

function createWindow(): void {
  const { maximized, ...bounds } = desktop.windowBounds();
  win = new BrowserWindow(windowOptions(preloadFile, launch, bounds));
  desktop.track(win, maximized);
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.on('closed', () => (win = null));
  void win.loadURL(UI_URL);
}

function serveRenderer(): void {
  protocol.handle(SCHEME, (request) => {
    const file = fileUnder(rendererDir, new URL(request.url).pathname);
    if (!file) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}

if (primary) void app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  serveRenderer();
  lockPermissions(session.defaultSession);
  desktop.installMenu();
  desktop.installNotifications();
  wireIpc(ipcMain, lab, isOurWindow);
  // Export → pcapng: the save dialog, then the lab's stream straight to that file
  wireSaveExport(ipcMain, (p, q) => lab.download(p, q), isOurWindow, (name) => desktop.pickSaveFile(name));
  forwardEvents(lab, () => win?.webContents ?? null);
  // the language picked in the UI: the menu and the dialogs speak it too
  ipcMain.on(UI_LOCALE_CHANNEL, (e, locale: unknown) => {
    if (isOurWindow(e.sender) && isLocale(locale)) desktop.setLocale(locale);
  });
  await lab.start();
  createWindow();
  labReady = true;
  for (const file of waitingFiles.splice(0)) void desktop.openPath(file);
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting) return;
  e.preventDefault();
  quitting = true;
  void lab.shutdown().finally(() => app.quit());
});
app.on('window-all-closed', () => app.quit());
