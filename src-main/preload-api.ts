/** The object the preload exposes as `window.netlab`: one named function per API method,
 *  plus `on` for the event streams. Built from the method list, never written out. */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { eventNames, IPC_EVENT_CHANNEL, ipcChannel, methodNames, type LabEventName } from './lab/api';
import { isUiCommand, UI_COMMAND_CHANNEL, type UiCommand } from './desktop/ui-commands';

export type ExposedApi = Record<string, unknown> & {
  shell: 'electron';
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** the native menu's commands for the UI (desktop/ui-commands.ts) */
  onCommand(listener: (command: UiCommand) => void): () => void;
};

export function buildExposedApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): ExposedApi {
  const api: ExposedApi = {
    shell: 'electron',
    on(event, listener) {
      if (!eventNames.includes(event as LabEventName)) throw new Error(`no lab event ${event}`);
      if (typeof listener !== 'function') throw new Error('a listener must be a function');
      const handler = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
        if (name === event) listener(payload);
      };
      ipc.on(IPC_EVENT_CHANNEL, handler);
      return () => ipc.removeListener(IPC_EVENT_CHANNEL, handler);
    },
    onCommand(listener) {
      if (typeof listener !== 'function') throw new Error('a listener must be a function');
      const handler = (_e: IpcRendererEvent, command: unknown): void => {
        if (isUiCommand(command)) listener(command);
      };
      ipc.on(UI_COMMAND_CHANNEL, handler);
      return () => ipc.removeListener(UI_COMMAND_CHANNEL, handler);
    },
  };
  for (const name of methodNames) api[name] = (...args: unknown[]) => ipc.invoke(ipcChannel(name), ...args);
  return api;
}
