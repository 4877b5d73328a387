/**
 * File contents kept in memory, keyed by path and checked against size and modification
 * time on every use, so an edit is served at once. Bounded in bytes.
 */
import fs from 'node:fs/promises';

const MAX_BYTES = 32 * 1024 * 1024;
const MAX_FILE = 2 * 1024 * 1024;

export class FileCache {
  private entries = new Map<string, { size: number; mtimeMs: number; bytes: Buffer }>();
  private total = 0;

  async read(f: { file: string; size: number; mtimeMs: number }): Promise<Buffer> {
    const hit = this.entries.get(f.file);
    if (hit && hit.size === f.size && hit.mtimeMs === f.mtimeMs) return hit.bytes;
    const bytes = await fs.readFile(f.file);
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
