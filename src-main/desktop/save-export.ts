/**
 * Export → pcapng in the desktop app: the user picks the file in the save dialog and the main
 * process writes the lab's stream to it piece by piece — the same pieces the bridge sends for
 * `GET /export/capture.pcapng` — telling the renderer how far it got. Neither the lab nor the
 * page holds the file whole, nor a base64 copy of it. Written to a temporary file beside the
 * chosen one and renamed at the end: a failed export leaves no half file under the name.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import fs from 'node:fs/promises';
import type { Download } from '../lab/capture/download';

import { SAVE_EXPORT_CHANNEL, SAVE_PROGRESS_CHANNEL, type SaveExportResult } from './save-export-channels';

const MAX_ADDRESS = 8192;

/** The lab's side: a file by address, as the bridge serves it. */
export type Downloads = (path: string, params: URLSearchParams) => Download | null;

/** `address`: `/export/…?query`, as the browser UI would GET it. */
function downloadAt(downloads: Downloads, address: unknown): Download {
  if (typeof address !== 'string' || address.length > MAX_ADDRESS || !address.startsWith('/export/')) throw new Error('not an export address');
  const url = new URL(address, 'http://netlab.invalid');
  const download = downloads(url.pathname, url.searchParams);
  if (!download) throw new Error(`nothing to export at ${url.pathname}`);
  return download;
}

/** Write the download's pieces to `file` (through a temporary file), `progress` told the bytes written after each. */
export async function writeDownload(first: IteratorResult<Buffer>, rest: Iterator<Buffer>, file: string, progress: (bytes: number) => void): Promise<number> {
  const part = `${file}.${process.pid}.part`;
  const out = await fs.open(part, 'w');
  let bytes = 0;
  try {
    for (let next = first; !next.done; next = rest.next()) {
      // awaited: the lab makes the next piece only once this one is on disk
      await out.write(next.value);
      bytes += next.value.length;
      progress(bytes);
    }
    await out.close();
    await fs.rename(part, file);
    return bytes;
  } catch (err) {
    rest.return?.();
    await out.close().catch(() => undefined);
    await fs.rm(part, { force: true });
    throw err;
  }
}

/**
 * The renderer asks with an address; a bad one (a wrong filter: the lab finds it making the
 * first piece) is an error before any dialog; a cancelled dialog saves nothing.
 */
export function wireSaveExport(
  ipcMain: Pick<IpcMain, 'handle'>,
  downloads: Downloads,
  trusted: (sender: WebContents) => boolean,
  pick: (fileName: string) => Promise<string | null>,
): void {
  ipcMain.handle(SAVE_EXPORT_CHANNEL, async (event: IpcMainInvokeEvent, address: unknown): Promise<SaveExportResult> => {
    if (!trusted(event.sender)) throw new Error('refused: this window may not use the lab');
    const download = downloadAt(downloads, address);
    const pieces = download.body[Symbol.iterator]();
    const first = pieces.next();
    const file = await pick(download.fileName);
    if (!file) {
      pieces.return?.();
      return { saved: false, bytes: 0 };
    }
    const bytes = await writeDownload(first, pieces, file, (n) => {
      if (!event.sender.isDestroyed()) event.sender.send(SAVE_PROGRESS_CHANNEL, n);
    });
    return { saved: true, file, bytes };
  });
}
