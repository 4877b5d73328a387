/** The object the preload exposes as `window.netlab`: one named function per API method,
 *  plus `on` for the event streams. Built from the method list, never written out. */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { eventNames, IPC_EVENT_CHANNEL, ipcChannel, methodNames, type LabEventName } from './lab/api';
import { isUiCommand, UI_COMMAND_CHANNEL, UI_LOCALE_CHANNEL, type UiCommand } from './desktop/ui-commands';
import { SAVE_EXPORT_CHANNEL, SAVE_PROGRESS_CHANNEL, type SaveExportResult } from './desktop/save-export-channels';

export type ExposedApi = Record<string, unknown> & {
  shell: 'electron';
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** the native menu's commands for the UI (desktop/ui-commands.ts) */
  onCommand(listener: (command: UiCommand) => void): () => void;
  /** a file the lab serves by address (`/export/capture.pcapng?…`) saved where the user picks, streamed by the main process */
  saveExport(address: string): Promise<SaveExportResult>;
  /** the bytes written so far by the export under way */
  onSaveProgress(listener: (bytes: number) => void): () => void;
  /** the language picked in the UI, for the native menu, dialogs and notifications */
  setLocale(locale: string): void;
};

export function buildExposedApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener' | 'send'>): ExposedApi {
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
    saveExport(address) {
      return ipc.invoke(SAVE_EXPORT_CHANNEL, String(address)) as Promise<SaveExportResult>;
    },
    onSaveProgress(listener) {
      if (typeof listener !== 'function') throw new Error('a listener must be a function');
      const handler = (_e: IpcRendererEvent, bytes: unknown): void => {
        if (typeof bytes === 'number') listener(bytes);
      };
      ipc.on(SAVE_PROGRESS_CHANNEL, handler);
      return () => ipc.removeListener(SAVE_PROGRESS_CHANNEL, handler);
    },
    setLocale(locale) {
      ipc.send(UI_LOCALE_CHANNEL, String(locale).slice(0, 16));
    },
  };
  for (const name of methodNames) api[name] = (...args: unknown[]) => ipc.invoke(ipcChannel(name), ...args);
  return api;
}
