/**
 * What the Electron window may do beyond showing the UI: the web permissions it gets, the
 * devices it may reach, whether developer tools open. Typed against electron's own types but
 * free of its runtime (type imports only), so these rules run in plain Node under test.
 */
import type { BrowserWindowConstructorOptions, Session } from 'electron';

/** The origin the UI is served from (index.ts's privileged scheme). */
export const UI_ORIGIN = 'netlab://app';

/** The UI uses none of the browser's permissions but writing the clipboard (Copy in the
 *  terminal, the inspector and the editor). Camera, microphone, location, notifications,
 *  MIDI, opening other programs and the rest are denied without asking the user. */
const GRANTED: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

function fromUi(url: string): boolean {
  return url === UI_ORIGIN || url.startsWith(`${UI_ORIGIN}/`);
}

export function permissionGranted(permission: string, requestingUrl: string): boolean {
  return GRANTED.has(permission) && fromUi(requestingUrl);
}

/** Electron grants most permissions when no handler is set: set all three on the session. */
export function lockPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionGranted(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionGranted(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}

export interface LaunchContext {
  packaged: boolean;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/** Developer tools: always in a development build; in an installed one only when asked for
 *  (`--devtools` or NETLAB_DEVTOOLS=1), so a student's copy does not offer a console that
 *  runs code with the UI's access to the lab. */
export function devToolsEnabled(launch: LaunchContext): boolean {
  return !launch.packaged || launch.argv.includes('--devtools') || launch.env.NETLAB_DEVTOOLS === '1';
}

/** `bounds`: the remembered size and position (desktop/window-state.ts), else the default size */
export function windowOptions(preload: string, launch: LaunchContext, bounds: Pick<BrowserWindowConstructorOptions, 'x' | 'y' | 'width' | 'height'> = {}): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    ...bounds,
    title: 'NetLab',
    backgroundColor: '#1e1e1e',
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: devToolsEnabled(launch) },
  };
}
