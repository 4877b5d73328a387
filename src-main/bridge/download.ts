/**
 * A file the lab writes while the browser downloads it: each piece goes out when the socket
 * has room (the writer waits on 'drain'), so a slow reader holds back the lab, not its memory.
 */
import type http from 'node:http';
import type { Download } from '../lab/capture/download';

function refuse(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

export async function sendDownload(res: http.ServerResponse, make: () => Download | null): Promise<void> {
  let it: Iterator<Buffer>;
  let next: IteratorResult<Buffer>;
  let download: Download | null;
  try {
    download = make();
    if (!download) return refuse(res, 404, '404 Not Found');
    it = download.body[Symbol.iterator]();
    // a bad filter or no open trace file shows at the first piece: still a clear 400
    next = it.next();
  } catch (err) {
    return refuse(res, 400, `400 Bad Request: ${(err as Error).message}`);
  }
  res.writeHead(200, {
    'Content-Type': download.type,
    'Content-Disposition': `attachment; filename="${download.fileName}"`,
    'Cache-Control': 'no-store',
  });
  try {
    while (!next.done) {
      if (res.destroyed) {
        it.return?.();
        return;
      }
      if (!res.write(next.value)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
      next = it.next();
    }
    res.end();
  } catch {
    res.destroy();
  }
}
