/**
 * The native application menu: the app's commands with their accelerators. Commands the UI
 * owns (a terminal tab, the inspector, the theme, export, the shortcut list) are sent to it
 * over UI_COMMAND_CHANNEL; those it already catches as keys keep `registerAccelerator: false`,
 * so the key is shown in the menu but fires once, in the page. Typed against electron, free
 * of its runtime, so the menu is checked in plain Node.
 */
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { devToolsEnabled, type LaunchContext } from '../window-policy';
import type { UiCommand } from './ui-commands';
import { desktopText } from './desktop-text';
import type { Locale } from '../ui-locale';

export interface MenuActions {
  ui(command: UiCommand): void;
  openFile(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  startAllServices(): void;
  stopAllServices(): void;
  about(): void;
}

function uiItem(actions: MenuActions, id: UiCommand, label: string, accelerator?: string, pageHasKey = false): MenuItemConstructorOptions {
  return { id, label, accelerator, registerAccelerator: !pageHasKey, click: () => actions.ui(id) };
}

/** `platform`: macOS puts the application's own menu (About, Hide, Quit) first; `locale`: the UI's language (roles are said by the system) */
export function appMenuTemplate(
  launch: LaunchContext,
  actions: MenuActions,
  recent: readonly string[],
  platform: NodeJS.Platform = process.platform,
  locale: Locale = 'en',
): MenuItemConstructorOptions[] {
  const x = desktopText(locale);
  const recentItems: MenuItemConstructorOptions[] = recent.map((file) => ({ label: path.basename(file), toolTip: file, click: () => actions.openRecent(file) }));
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: x.file,
      submenu: [
        uiItem(actions, 'new-terminal', x.newTerminal, 'CmdOrCtrl+`', true),
        { id: 'open-file', label: x.openFile, accelerator: 'CmdOrCtrl+O', click: () => actions.openFile() },
        {
          id: 'open-recent',
          label: x.openRecent,
          submenu: [...recentItems, ...(recentItems.length ? [{ type: 'separator' } as const] : []), { id: 'clear-recent', label: x.clearRecent, enabled: recentItems.length > 0, click: () => actions.clearRecent() }],
        },
        { type: 'separator' },
        uiItem(actions, 'export-capture', x.exportCapture, 'CmdOrCtrl+E'),
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: x.lab,
      submenu: [
        { id: 'start-all', label: x.startAll, accelerator: 'CmdOrCtrl+Alt+S', click: () => actions.startAllServices() },
        { id: 'stop-all', label: x.stopAll, accelerator: 'CmdOrCtrl+Alt+X', click: () => actions.stopAllServices() },
      ],
    },
    {
      label: x.view,
      // Ctrl+Shift+I belongs to the UI (toggle the inspector); developer tools move to F12
      submenu: [
        uiItem(actions, 'toggle-inspector', x.toggleInspector, 'CmdOrCtrl+Shift+I', true),
        uiItem(actions, 'toggle-theme', x.toggleTheme, 'CmdOrCtrl+Shift+D'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'reload' },
        ...(devToolsEnabled(launch) ? [{ role: 'toggleDevTools', accelerator: 'F12' } as const] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [uiItem(actions, 'show-help', x.shortcuts, 'F1'), { type: 'separator' }, { id: 'about', label: x.about, click: () => actions.about() }],
    },
  ];
}
