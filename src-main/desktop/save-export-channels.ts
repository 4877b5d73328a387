/** The channels of Export in the desktop app (save-export.ts), apart so the sandboxed preload imports no Node module. */
export const SAVE_EXPORT_CHANNEL = 'netlab:save-export';
export const SAVE_PROGRESS_CHANNEL = 'netlab:save-export-progress';

export interface SaveExportResult {
  saved: boolean;
  /** where it went */
  file?: string;
  bytes: number;
}
