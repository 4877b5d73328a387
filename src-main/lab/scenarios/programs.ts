/**
 * The socket chapter's four echo programs, in JavaScript and in Python. The shipped files
 * in resources/ are never written; an edit saves a user copy in the data directory, and
 * "reset to original" deletes that copy.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProgramId, ProgramInfo, ProgramLanguage, ProgramSource } from '../api';
import { exists, writeFileAtomic } from '../storage';

interface CatalogEntry {
  id: ProgramId;
  title: string;
  role: 'client' | 'server';
  transport: 'tcp' | 'udp';
  files: Record<ProgramLanguage, string>;
}

export const PROGRAMS: readonly CatalogEntry[] = [
  { id: 'udp-client', title: 'UDP client', role: 'client', transport: 'udp', files: { python: 'UDPClient.py', javascript: 'udp-client.mjs' } },
  { id: 'udp-server', title: 'UDP server', role: 'server', transport: 'udp', files: { python: 'UDPServer.py', javascript: 'udp-server.mjs' } },
  { id: 'tcp-client', title: 'TCP client', role: 'client', transport: 'tcp', files: { python: 'TCPClient.py', javascript: 'tcp-client.mjs' } },
  { id: 'tcp-server', title: 'TCP server', role: 'server', transport: 'tcp', files: { python: 'TCPServer.py', javascript: 'tcp-server.mjs' } },
];

export function programEntry(id: ProgramId): CatalogEntry {
  const entry = PROGRAMS.find((p) => p.id === id);
  if (!entry) throw new Error(`no program ${id}`);
  return entry;
}

export class ProgramFiles {
  constructor(
    private resourcesDir: string,
    private dataDir: string,
  ) {}

  shippedPath(id: ProgramId, language: ProgramLanguage): string {
    return path.join(this.resourcesDir, 'programs', language, programEntry(id).files[language]);
  }

  userPath(id: ProgramId, language: ProgramLanguage): string {
    return path.join(this.dataDir, 'programs', language, programEntry(id).files[language]);
  }

  /** The file that runs: the user's copy when there is one. */
  async activePath(id: ProgramId, language: ProgramLanguage): Promise<string> {
    const user = this.userPath(id, language);
    return (await exists(user)) ? user : this.shippedPath(id, language);
  }

  async read(id: ProgramId, language: ProgramLanguage): Promise<ProgramSource> {
    const file = await this.activePath(id, language);
    return {
      id,
      language,
      source: await fs.readFile(file, 'utf8'),
      modified: file === this.userPath(id, language),
      path: file,
    };
  }

  async save(id: ProgramId, language: ProgramLanguage, source: string): Promise<ProgramSource> {
    await writeFileAtomic(this.userPath(id, language), source);
    return this.read(id, language);
  }

  async reset(id: ProgramId, language: ProgramLanguage): Promise<ProgramSource> {
    await fs.rm(this.userPath(id, language), { force: true });
    return this.read(id, language);
  }

  async list(running: (id: ProgramId, language: ProgramLanguage) => boolean): Promise<ProgramInfo[]> {
    const out: ProgramInfo[] = [];
    for (const p of PROGRAMS) {
      for (const language of ['python', 'javascript'] as const) {
        out.push({
          id: p.id,
          language,
          title: p.title,
          fileName: p.files[language],
          role: p.role,
          transport: p.transport,
          modified: await exists(this.userPath(p.id, language)),
          running: running(p.id, language),
        });
      }
    }
    return out;
  }
}
