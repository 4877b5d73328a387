/**
 * Recently opened lab and scenario files: handed to the system (the dock's or taskbar's list,
 * app.addRecentDocument) and kept in our own list for the File menu, newest first, in a JSON
 * file in the user-data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const RECENT_FILE = 'recent-files.json';
export const RECENT_MAX = 10;
const listSchema = z.array(z.string().min(1).max(4096)).max(100);

export class RecentFiles {
  private list: string[];

  constructor(
    private userData: string,
    private system: { addRecentDocument(file: string): void; clearRecentDocuments(): void },
  ) {
    this.list = RecentFiles.read(path.join(userData, RECENT_FILE));
  }

  private static read(file: string): string[] {
    try {
      const parsed = listSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data.slice(0, RECENT_MAX) : [];
    } catch {
      return [];
    }
  }

  files(): readonly string[] {
    return this.list;
  }

  add(file: string): void {
    this.list = [file, ...this.list.filter((f) => f !== file)].slice(0, RECENT_MAX);
    this.system.addRecentDocument(file);
    this.write();
  }

  clear(): void {
    this.list = [];
    this.system.clearRecentDocuments();
    this.write();
  }

  private write(): void {
    const file = path.join(this.userData, RECENT_FILE);
    fs.mkdirSync(this.userData, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.list));
    fs.renameSync(`${file}.tmp`, file);
  }
}
