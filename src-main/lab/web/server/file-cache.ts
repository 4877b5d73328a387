/**
 * File contents kept in memory, keyed by path and checked against size and modification
 * time on every use, so an edit is served at once. Bounded in bytes, the least recently read
 * file evicted first. With each file version
 * its ready-made responses are kept too (a static 200 is the same object every time, so the
 * connection can reuse its encoding), and go when the file changes or is evicted.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { O_NOFOLLOW } from '../../confined-fs';
import type { HttpResponse } from '../response';

const MAX_BYTES = 32 * 1024 * 1024;
const MAX_FILE = 2 * 1024 * 1024;

export class FileCache {
  private entries = new Map<string, { size: number; mtimeMs: number; bytes: Buffer; responses?: Map<string, HttpResponse> }>();
  private total = 0;

  /** A response kept for this version of the file under `key`, if any. */
  response(f: { file: string; size: number; mtimeMs: number }, key: string): HttpResponse | undefined {
    const hit = this.entries.get(f.file);
    return hit && hit.size === f.size && hit.mtimeMs === f.mtimeMs ? hit.responses?.get(key) : undefined;
  }

  /** Keep a response built from this version of the file (while the file's bytes are kept). */
  keepResponse(f: { file: string; size: number; mtimeMs: number }, key: string, res: HttpResponse): HttpResponse {
    const hit = this.entries.get(f.file);
    if (hit && hit.size === f.size && hit.mtimeMs === f.mtimeMs) {
      hit.responses ??= new Map();
      if (hit.responses.size < 16) hit.responses.set(key, res);
    }
    return res;
  }

  async read(f: { file: string; size: number; mtimeMs: number }): Promise<Buffer> {
    const hit = this.entries.get(f.file);
    if (hit && hit.size === f.size && hit.mtimeMs === f.mtimeMs) {
      // least recently used goes first: a file read again moves to the end of the map's order
      this.entries.delete(f.file);
      this.entries.set(f.file, hit);
      return hit.bytes;
    }
    // f.file is the checked real path: a link put there since is refused (ELOOP), not followed
    const handle = await fs.open(f.file, constants.O_RDONLY | O_NOFOLLOW);
    const bytes = await handle.readFile().finally(() => handle.close());
    if (hit) {
      this.total -= hit.bytes.length;
      this.entries.delete(f.file);
    }
    if (bytes.length <= MAX_FILE) {
      while (this.total + bytes.length > MAX_BYTES && this.entries.size) {
        const [key, old] = this.entries.entries().next().value as [string, { bytes: Buffer }];
        this.entries.delete(key);
        this.total -= old.bytes.length;
      }
      this.entries.set(f.file, { size: f.size, mtimeMs: f.mtimeMs, bytes });
      this.total += bytes.length;
    }
    return bytes;
  }

  forget(): void {
    this.entries.clear();
    this.total = 0;
  }
}
