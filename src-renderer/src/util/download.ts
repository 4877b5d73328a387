/**
 * Save a file through the browser's download (a Blob URL and an <a download>): the same path
 * in `netlab serve`'s page and in Electron, where the shell shows its save dialog.
 */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  downloadUrl(fileName, url);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Text (JSON lines, HAR, a lab report) saved as a file. */
export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type: `${type};charset=utf-8` }));
}

/** A file the lab serves by address (`netlab serve`'s /export/…), saved as it streams in:
 *  neither the lab nor the page holds it whole. */
export function downloadUrl(fileName: string, href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
