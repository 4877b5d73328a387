/**
 * The socket chapter's four echo programs and its programming assignments (UDP pinger, web
 * server, SMTP client, web proxy), in JavaScript and in Python. The shipped files
 * in resources/ are never written; an edit saves a user copy in the data directory, and
 * "reset to original" deletes that copy. A symbolic link in programs/ that leads out of it is
 * neither run, read nor written through (confined-fs.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProgramId, ProgramInfo, ProgramLanguage, ProgramSource } from '../api';
import { writeFileAtomic } from '../storage';
import { type Confinement, fileExistsSync, readTextConfined, removeConfined } from '../confined-fs';

export interface CatalogEntry {
  id: ProgramId;
  title: string;
  role: 'client' | 'server';
  transport: 'tcp' | 'udp';
  files: Record<ProgramLanguage, string>;
  /** whom a client talks to: the echo of its transport (your server program when one runs),
   *  always the lab's own echo (the pinger meets the lab's link), or mail.hamburger.edu's MX */
  peer?: 'echo' | 'lab-echo' | 'mx';
}

export const PROGRAMS: readonly CatalogEntry[] = [
  { id: 'udp-client', title: 'UDP client', role: 'client', transport: 'udp', files: { python: 'UDPClient.py', javascript: 'udp-client.mjs' } },
  { id: 'udp-server', title: 'UDP server', role: 'server', transport: 'udp', files: { python: 'UDPServer.py', javascript: 'udp-server.mjs' } },
  { id: 'tcp-client', title: 'TCP client', role: 'client', transport: 'tcp', files: { python: 'TCPClient.py', javascript: 'tcp-client.mjs' } },
  { id: 'tcp-server', title: 'TCP server', role: 'server', transport: 'tcp', files: { python: 'TCPServer.py', javascript: 'tcp-server.mjs' } },
  // the assignments at the end of K&R chapter 2
  { id: 'udp-pinger', title: 'UDP pinger', role: 'client', transport: 'udp', peer: 'lab-echo', files: { python: 'UDPPinger.py', javascript: 'udp-pinger.mjs' } },
  { id: 'web-server', title: 'Web server', role: 'server', transport: 'tcp', files: { python: 'WebServer.py', javascript: 'web-server.mjs' } },
  { id: 'smtp-client', title: 'SMTP client', role: 'client', transport: 'tcp', peer: 'mx', files: { python: 'SMTPClient.py', javascript: 'smtp-client.mjs' } },
  { id: 'web-proxy', title: 'Web proxy', role: 'server', transport: 'tcp', files: { python: 'ProxyServer.py', javascript: 'web-proxy.mjs' } },
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

  private get userScope(): Confinement {
    return { base: this.dataDir, scope: path.join(this.dataDir, 'programs') };
  }

  private get shippedScope(): Confinement {
    return { base: this.resourcesDir, scope: path.join(this.resourcesDir, 'programs') };
  }

  /** The file that runs: the user's copy when there is one (a link out of programs/ throws). */
  async activePath(id: ProgramId, language: ProgramLanguage): Promise<string> {
    const user = this.userPath(id, language);
    return fileExistsSync(user, this.userScope) ? user : this.shippedPath(id, language);
  }

  async read(id: ProgramId, language: ProgramLanguage): Promise<ProgramSource> {
    const file = await this.activePath(id, language);
    const user = file === this.userPath(id, language);
    return {
      id,
      language,
      source: await readTextConfined(file, user ? this.userScope : this.shippedScope),
      modified: file === this.userPath(id, language),
      path: file,
    };
  }

  /** The web server assignment's folder (<data>/programs/www), holding HelloWorld.html from the start. */
  async webRoot(): Promise<string> {
    const root = path.join(this.dataDir, 'programs', 'www');
    const page = path.join(root, 'HelloWorld.html');
    if (!fileExistsSync(page, this.userScope)) {
      const shipped = await readTextConfined(path.join(this.resourcesDir, 'programs', 'www', 'HelloWorld.html'), this.shippedScope);
      await writeFileAtomic(page, shipped, this.userScope);
    }
    return root;
  }

  /** Put a file into the web server's folder (the checker's page for one run). */
  async writeWebFile(name: string, text: string): Promise<string> {
    const file = path.join(await this.webRoot(), name);
    await writeFileAtomic(file, text, this.userScope);
    return file;
  }

  async save(id: ProgramId, language: ProgramLanguage, source: string): Promise<ProgramSource> {
    await writeFileAtomic(this.userPath(id, language), source, this.userScope);
    return this.read(id, language);
  }

  async reset(id: ProgramId, language: ProgramLanguage): Promise<ProgramSource> {
    await removeConfined(this.userPath(id, language), this.userScope);
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
          titleText: { key: `programLab.title.${p.id}` },
          fileName: p.files[language],
          role: p.role,
          transport: p.transport,
          modified: fs.lstatSync(this.userPath(p.id, language), { throwIfNoEntry: false }) !== undefined,
          running: running(p.id, language),
        });
      }
    }
    return out;
  }
}
