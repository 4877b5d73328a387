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

/** `platform`: macOS puts the application's own menu (About, Hide, Quit) first */
export function appMenuTemplate(launch: LaunchContext, actions: MenuActions, recent: readonly string[], platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] = recent.map((file) => ({ label: path.basename(file), toolTip: file, click: () => actions.openRecent(file) }));
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        uiItem(actions, 'new-terminal', 'New Terminal', 'CmdOrCtrl+`', true),
        { id: 'open-file', label: 'Open Lab or Scenario File…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFile() },
        {
          id: 'open-recent',
          label: 'Open Recent',
          submenu: [...recentItems, ...(recentItems.length ? [{ type: 'separator' } as const] : []), { id: 'clear-recent', label: 'Clear Recent', enabled: recentItems.length > 0, click: () => actions.clearRecent() }],
        },
        { type: 'separator' },
        uiItem(actions, 'export-capture', 'Export Capture (pcapng)…', 'CmdOrCtrl+E'),
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Lab',
      submenu: [
        { id: 'start-all', label: 'Start All Services', accelerator: 'CmdOrCtrl+Alt+S', click: () => actions.startAllServices() },
        { id: 'stop-all', label: 'Stop All Services', accelerator: 'CmdOrCtrl+Alt+X', click: () => actions.stopAllServices() },
      ],
    },
    {
      label: 'View',
      // Ctrl+Shift+I belongs to the UI (toggle the inspector); developer tools move to F12
      submenu: [
        uiItem(actions, 'toggle-inspector', 'Toggle Inspector', 'CmdOrCtrl+Shift+I', true),
        uiItem(actions, 'toggle-theme', 'Toggle Light / Dark Theme', 'CmdOrCtrl+Shift+D'),
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
      submenu: [uiItem(actions, 'show-help', 'Keyboard Shortcuts', 'F1'), { type: 'separator' }, { id: 'about', label: 'About NetLab', click: () => actions.about() }],
    },
  ];
}
