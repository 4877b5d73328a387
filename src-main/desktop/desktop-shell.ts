/**
 * The desktop habits around the one window: the native menu and its commands, files opened
 * from the file manager, the command line or a second launch (read here, summarised and kept
 * waiting by the lab core until the user confirms in the UI), recent files, the remembered
 * window bounds, and notifications of passed checks while the window is in the background.
 */
import { app, dialog, Menu, Notification, screen, type BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LabApi, LabEventSource } from '../lab/api';
import { OPENED_FILE_MAX_CHARS } from '../lab/files/opened-files';
import { LAB_EXTENSION, OWN_EXTENSION, SCENARIO_EXTENSION } from '../lab/files/file-summary';
import type { LaunchContext } from '../window-policy';
import { appMenuTemplate, type MenuActions } from './app-menu';
import { desktopText } from './desktop-text';
import { systemLocale, type Locale } from '../ui-locale';
import { notifyPassedChecks } from './check-notifications';
import { RecentFiles } from './recent-files';
import { focusWindow } from './single-instance';
import { UI_COMMAND_CHANNEL, type UiCommand } from './ui-commands';
import { correctBounds, DEFAULT_SIZE, loadWindowState, rememberWindowState } from './window-state';

type ShellLab = Pick<LabApi, 'files.offer' | 'services.list' | 'services.start' | 'services.stop'> & LabEventSource;

export class DesktopShell implements MenuActions {
  private readonly userData = app.getPath('userData');
  readonly recent = new RecentFiles(this.userData, app);
  /** the UI's language: the system's until the renderer says which one the user picked */
  private locale: Locale = systemLocale(app.getPreferredSystemLanguages?.() ?? []);

  constructor(
    private lab: ShellLab,
    private launch: LaunchContext,
    private window: () => BrowserWindow | null,
  ) {}

  installMenu(): void {
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(this.launch, this, this.recent.files(), process.platform, this.locale)));
  }

  /** the language picked in the UI: the menu, dialogs and notifications follow it */
  setLocale(locale: Locale): void {
    if (locale === this.locale) return;
    this.locale = locale;
    this.installMenu();
  }

  private get text() {
    return desktopText(this.locale);
  }

  installNotifications(): () => void {
    return notifyPassedChecks(this.lab, () => this.window()?.isFocused() ?? false, {
      notify: (title, body) => {
        if (Notification.isSupported()) new Notification({ title, body }).show();
      },
    }, () => this.text);
  }

  /** the remembered bounds, moved onto a display that is still there */
  windowBounds(): Pick<BrowserWindowConstructorOptions, 'x' | 'y' | 'width' | 'height'> & { maximized: boolean } {
    const saved = loadWindowState(this.userData);
    if (!saved) return { ...DEFAULT_SIZE, maximized: false };
    return correctBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  }

  track(win: BrowserWindow, maximized: boolean): void {
    if (maximized) win.maximize();
    rememberWindowState(win, this.userData);
  }

  /** A lab or scenario file from outside: summarised by the lab, confirmed in the UI. */
  async openPath(file: string): Promise<void> {
    focusWindow(this.window());
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) throw new Error(this.text.notAFile);
      if (stat.size > OPENED_FILE_MAX_CHARS * 4) throw new Error(this.text.tooBig(OPENED_FILE_MAX_CHARS));
      await this.lab['files.offer'](path.basename(file), await fs.readFile(file, 'utf8'));
      this.recent.add(file);
      this.installMenu();
    } catch (err) {
      dialog.showErrorBox(this.text.cannotOpen, `${file}\n${err instanceof Error ? err.message : String(err)}`);
    }
  }

  ui(command: UiCommand): void {
    const wc = this.window()?.webContents;
    if (wc && !wc.isDestroyed()) wc.send(UI_COMMAND_CHANNEL, command);
  }

  openFile(): void {
    const win = this.window();
    const options: Electron.OpenDialogOptions = {
      title: this.text.openTitle,
      properties: ['openFile'],
      filters: [
        { name: this.text.labFiles, extensions: [OWN_EXTENSION.slice(1), LAB_EXTENSION.split('.').pop()!, SCENARIO_EXTENSION.split('.').pop()!, 'yml'] },
        { name: this.text.allFiles, extensions: ['*'] },
      ],
    };
    void (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options)).then((r) => {
      if (!r.canceled && r.filePaths[0]) void this.openPath(r.filePaths[0]);
    });
  }

  /** The save dialog for an export: in Downloads, under the file's own name. */
  async pickSaveFile(fileName: string): Promise<string | null> {
    const win = this.window();
    const extension = path.extname(fileName).slice(1);
    const options: Electron.SaveDialogOptions = {
      title: this.text.exportTitle,
      defaultPath: path.join(app.getPath('downloads'), fileName),
      filters: [{ name: extension === 'pcapng' ? 'pcapng (Wireshark, tshark)' : extension, extensions: [extension] }, { name: this.text.allFiles, extensions: ['*'] }],
    };
    const r = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
    return r.canceled || !r.filePath ? null : r.filePath;
  }

  openRecent(file: string): void {
    void this.openPath(file);
  }

  clearRecent(): void {
    this.recent.clear();
    this.installMenu();
  }

  startAllServices(): void {
    void this.eachService('services.start');
  }

  stopAllServices(): void {
    void this.eachService('services.stop');
  }

  about(): void {
    app.setAboutPanelOptions({ applicationName: 'NetLab', applicationVersion: app.getVersion(), copyright: this.text.licence });
    app.showAboutPanel();
  }

  /** one service that will not start says so in the rail; the others still go */
  private async eachService(method: 'services.start' | 'services.stop'): Promise<void> {
    const list = await this.lab['services.list']();
    await Promise.allSettled(list.map((s) => this.lab[method](s.id)));
  }
}
