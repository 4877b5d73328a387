/// <reference types="vite/client" />

/** What the Electron preload exposes: one async function per API method, plus `on`. */
interface NetlabBridge {
  readonly shell: 'electron';
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** the native menu's commands (src-main/desktop/ui-commands.ts) */
  onCommand?(listener: (command: string) => void): () => void;
  /** Export: a file the lab serves by address, saved where the user picks (src-main/desktop/save-export.ts) */
  saveExport?(address: string): Promise<{ saved: boolean; file?: string; bytes: number }>;
  onSaveProgress?(listener: (bytes: number) => void): () => void;
  [method: string]: unknown;
}

interface Window {
  netlab?: NetlabBridge;
}
