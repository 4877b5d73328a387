/**
 * The Web tab's site editor: each site's files (shipped and the user's copies), its upload
 * account and quota use, and reading, saving and resetting one file. Writes go through
 * Sites.write, so the editor meets the same quota and the same refusal of links as PUT.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProtectedPath, SiteFile, SiteFileContent, SiteInfo } from '../types';
import { httpDate } from '../response';
import { fileExistsSync, readFileConfined } from '../../confined-fs';
import { etagOf, PathError, refusal, Sites } from './sites';

const MAX_LISTED = 2000;

export async function siteInfo(sites: Sites): Promise<SiteInfo[]> {
  const out: SiteInfo[] = [];
  for (const s of sites.all) {
    const files = new Map<string, SiteFile>();
    await walk(sites.shippedRoot(s.host), '', (p, st) => files.set(p, entry(p, st, false, true)));
    // a link is not listed: GET refuses one that leads out, and its size would be another file's
    if (sites.rootInside(s.host)) await walk(sites.userRoot(s.host), '', (p, st) => files.set(p, entry(p, st, true, files.has(p))));
    out.push({
      host: s.host,
      aliases: s.aliases,
      isDefault: s.host === sites.defaultHost,
      cookies: s.cookies,
      protectedPaths: s.protected.map(({ path: p, realm, user }): ProtectedPath => ({ path: p, realm, user })),
      ...(s.upload ? { upload: { realm: s.upload.realm, user: s.upload.user } } : {}),
      quota: { bytes: s.quotaBytes, used: await sites.used(s.host) },
      files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)).slice(0, MAX_LISTED),
    });
  }
  return out;
}

export async function readSiteFile(sites: Sites, host: string, urlPath: string): Promise<SiteFileContent> {
  sites.site(host);
  const segs = Sites.segments(urlPath);
  const f = await sites.find(host, segs);
  if (f?.kind === 'refused') throw new PathError(403, `${host}${urlPath}: ${f.reason}`);
  if (!f || f.kind !== 'file') throw new PathError(404, `${host}${urlPath} is not a file`);
  const bytes = await readFileConfined(f.found.file, f.found.user ? sites.userScope(host) : sites.shippedScope(host)).catch((err: unknown) => {
    throw refusal(err, host, segs);
  });
  const binary = bytes.includes(0) || !isUtf8(bytes);
  return {
    host,
    path: `/${segs.join('/')}`,
    text: binary ? '' : bytes.toString('utf8'),
    binary,
    size: f.found.size,
    lastModified: httpDate(f.found.mtimeMs),
    etag: etagOf(f.found),
    modified: f.found.user,
    shipped: shippedExists(sites, host, segs),
  };
}

export async function saveSiteFile(sites: Sites, host: string, urlPath: string, text: string): Promise<SiteFileContent> {
  sites.site(host);
  await sites.write(host, Sites.segments(urlPath), text);
  return readSiteFile(sites, host, urlPath);
}

export async function resetSiteFile(sites: Sites, host: string, urlPath: string): Promise<SiteFileContent | null> {
  sites.site(host);
  await sites.remove(host, Sites.segments(urlPath));
  try {
    return await readSiteFile(sites, host, urlPath);
  } catch {
    return null;
  }
}

function shippedExists(sites: Sites, host: string, segs: string[]): boolean {
  try {
    return fileExistsSync(path.join(sites.shippedRoot(host), ...segs), sites.shippedScope(host));
  } catch {
    return false;
  }
}

function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

function entry(p: string, st: { size: number; mtimeMs: number }, modified: boolean, shipped: boolean): SiteFile {
  return { path: p, size: st.size, lastModified: httpDate(st.mtimeMs), modified, shipped };
}

async function walk(root: string, rel: string, visit: (p: string, st: { size: number; mtimeMs: number }) => void, depth = 0): Promise<void> {
  if (depth > 8) return;
  let names: string[];
  try {
    names = await fs.readdir(path.join(root, rel));
  } catch {
    return;
  }
  for (const name of names.sort()) {
    if (name.startsWith('.') || name.endsWith('.tmp')) continue;
    const relPath = `${rel}/${name}`;
    const st = await fs.lstat(path.join(root, relPath)).catch(() => null);
    if (!st || st.isSymbolicLink()) continue;
    if (st.isDirectory()) await walk(root, relPath, visit, depth + 1);
    else if (st.isFile()) visit(relPath, st);
  }
}
