/**
 * One NetLab at a time: a second launch (a double-clicked file, the menu entry again) hands
 * its command line to the first and quits; the first comes to the front and opens the file.
 */
import type { App } from 'electron';

export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>,
  onSecondLaunch: (argv: string[], workingDirectory: string) => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv, workingDirectory) => onSecondLaunch(argv, workingDirectory));
  return true;
}

/** Bring a window to the front, restoring it from the taskbar/dock first. */
export function focusWindow(win: { isMinimized(): boolean; restore(): void; show(): void; focus(): void } | null): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
