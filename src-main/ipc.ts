/**
 * The Electron side of the contract: one `ipcMain.handle` per API method, all through one
 * wrapper that checks the sender is our own window, and every lab event sent to it.
 * Channels come from `methods`/`eventNames` in lab/api.ts, never listed by hand.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { dispatch, eventNames, IPC_EVENT_CHANNEL, ipcChannel, methodNames, type LabApi, type LabEventSource } from './lab/api';

export function wireIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  lab: LabApi & LabEventSource,
  trusted: (sender: WebContents) => boolean,
): () => void {
  for (const name of methodNames) {
    ipcMain.handle(ipcChannel(name), (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!trusted(event.sender)) throw new Error('refused: this window may not use the lab');
      return dispatch(lab, name, args);
    });
  }
  return () => methodNames.forEach((name) => ipcMain.removeHandler(ipcChannel(name)));
}

export function forwardEvents(lab: LabEventSource, target: () => WebContents | null): () => void {
  const offs = eventNames.map((event) =>
    lab.on(event, (payload) => {
      const wc = target();
      if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, event, payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
