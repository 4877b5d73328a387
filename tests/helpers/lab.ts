/** Test helpers: a real lab on ports the system picks, and waiting on real sockets. */
import fs from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { Lab } from '../../src-main/lab/lab';
import type { CaptureSummary } from '../../src-main/lab/api';
import { HIERARCHY } from '../../src-main/lab/dns/hierarchy';

export const RESOURCES = path.resolve(__dirname, '..', '..', 'resources');

export async function tempDir(prefix = 'netlab-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A lab whose services listen on free ports (port 0), so tests never collide with a running lab.
 *  Given a data directory, the lab starts from what an earlier lab left there. */
export async function startLab(dir?: string): Promise<{ lab: Lab; dataDir: string; port: (id: string) => number }> {
  const dataDir = dir ?? (await tempDir());
  const lab = new Lab({
    dataDir,
    resourcesDir: RESOURCES,
    shell: 'browser',
    // every service, whatever its id, on a port the system picks
    ports: new Proxy({}, { get: () => 0 }),
  });
  await lab.start();
  // TCP and UDP echo should share a port number as in the textbook, but port 0 picks two;
  // tests address each by its own port.
  const port = (id: string): number => {
    const s = lab.services.find((x) => x.id === id);
    if (!s) throw new Error(`no service ${id}`);
    return s.port;
  };
  return { lab, dataDir, port };
}

export async function waitFor<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function captured(lab: Lab): Promise<CaptureSummary[]> {
  return lab['capture.list']({ afterId: 0, limit: 200_000 });
}

/** The id of the newest captured message (0: none), to look at what comes after it. */
export async function lastCapturedId(lab: Lab): Promise<number> {
  const all = await captured(lab);
  return all.length ? all[all.length - 1].id : 0;
}

const HIERARCHY_IDS = new Set(HIERARCHY.map((s) => s.id));

/** The queries the DNS hierarchy's servers (root, TLD, authoritative) received after message `after`, oldest first. */
export async function hierarchyQueries(lab: Lab, after: number): Promise<CaptureSummary[]> {
  lab.store.flush();
  return (await captured(lab)).filter((m) => m.id > after && HIERARCHY_IDS.has(m.service) && m.kind === 'message' && m.dir === 'c2s');
}

/** A lab for the tests of one file: started before them (from `dir()`'s data directory when
 *  given), shut down after. Read its fields inside the tests. */
export function labForFile(dir?: () => Promise<string>): { lab: Lab; dataDir: string; port: (id: string) => number } {
  const held = {} as { lab: Lab; dataDir: string; port: (id: string) => number };
  beforeAll(async () => {
    Object.assign(held, await startLab(dir ? await dir() : undefined));
  });
  afterAll(async () => {
    await held.lab?.shutdown();
  });
  return held;
}
