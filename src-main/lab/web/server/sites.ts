/**
 * The lab's web sites as plain folders: the shipped ones in resources/sites/<host>/ and the
 * user's copies (edits, uploads) in <dataDir>/sites/<host>/, which win. The shipped tree is
 * never written. Request paths are decoded once here and refused when they would leave the
 * site's folder (`/../`, `%2e%2e`, encoded slashes or backslashes, NUL), and so is a symbolic
 * link that leads out of it (confined-fs.ts): a link planted in the data directory is never
 * followed to read or write a file elsewhere.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ProtectedPath, SiteFile, SiteFileContent, SiteInfo } from '../types';
import { httpDate } from '../response';
import { writeFileAtomic } from '../../storage';
import { type Confinement, existingSync, fileExistsSync, OutsideRootError, readFileConfined, removeConfined } from '../../confined-fs';

const siteSchema = z
  .object({
    host: z.string().regex(/^[a-z0-9.-]{1,253}$/),
    aliases: z.array(z.string().max(253)).default([]),
    cookies: z.boolean().default(false),
    protected: z
      .array(z.object({ path: z.string().startsWith('/'), realm: z.string().max(200), user: z.string().max(100), password: z.string().max(100) }).strict())
      .default([]),
    redirects: z.record(z.string(), z.string()).default({}),
    cacheControl: z.record(z.string(), z.string()).default({}),
  })
  .strict();
const sitesFileSchema = z.object({ default: z.string(), sites: z.array(siteSchema).min(1) }).strict();

export type SiteConfig = z.infer<typeof siteSchema>;

export class PathError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

export interface FoundFile {
  /** its real path, checked to lie inside the site's folder */
  file: string;
  size: number;
  mtimeMs: number;
  user: boolean;
  /** its ETag, computed once per stat */
  etag?: string;
}

const MAX_LISTED = 2000;
/** How long a stat result is trusted (nginx's open_file_cache_valid, much shorter): edits
 *  through the lab are seen at once, edits made outside it within this. */
const STAT_VALID_MS = 1000;

/** `refused`: the path reaches a symbolic link that leads out of the site's folder */
type Found = { kind: 'file'; found: FoundFile } | { kind: 'dir' } | { kind: 'refused'; reason: string } | null;

export class Sites {
  private config: z.infer<typeof sitesFileSchema> | null = null;
  /** stat results by host, then by the path's segments joined with '/' */
  private stats = new Map<string, Map<string, { at: number; found: Found }>>();
  private statCount = 0;
  /** Host header values already matched to a site (the list of sites is fixed once loaded) */
  private hosts = new Map<string, SiteConfig | null>();
  private lastHost: { header: string; site: SiteConfig | null } | null = null;

  constructor(
    private resourcesDir: string,
    private dataDir: string,
  ) {}

  private shippedRoot(host: string): string {
    return path.join(this.resourcesDir, 'sites', host);
  }

  private userRoot(host: string): string {
    return path.join(this.dataDir, 'sites', host);
  }

  /** what a user copy may reach: its site's folder in the data directory */
  private userScope(host: string): Confinement {
    return { base: this.dataDir, scope: this.userRoot(host) };
  }

  private shippedScope(host: string): Confinement {
    return { base: this.resourcesDir, scope: this.shippedRoot(host) };
  }

  async load(): Promise<void> {
    const file = path.join(this.resourcesDir, 'sites', 'sites.json');
    try {
      this.config = sitesFileSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
      this.hosts.clear();
      this.lastHost = null;
    } catch (err) {
      const issue = err instanceof z.ZodError ? `${err.issues[0]?.path.join('.')}: ${err.issues[0]?.message}` : (err as Error).message;
      throw new Error(`the list of sites ${file} cannot be used (${issue})`);
    }
  }

  get all(): SiteConfig[] {
    return this.config?.sites ?? [];
  }

  get defaultHost(): string {
    return this.config?.default ?? 'www.someschool.edu';
  }

  /** The site for a Host header (port and trailing dot removed), or null when none matches. */
  byHost(hostHeader: string | undefined): SiteConfig | null {
    if (!hostHeader) return null;
    if (hostHeader === this.lastHost?.header) return this.lastHost.site;
    const known = this.hosts.get(hostHeader);
    if (known !== undefined) this.lastHost = { header: hostHeader, site: known };
    if (known !== undefined) return known;
    const host = hostHeader.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    const site = this.all.find((s) => s.host === host || s.aliases.includes(host)) ?? null;
    if (this.hosts.size >= 1000) this.hosts.clear();
    if (this.config) this.hosts.set(hostHeader, site);
    return site;
  }

  site(host: string): SiteConfig {
    const s = this.all.find((x) => x.host === host);
    if (!s) throw new PathError(404, `no site ${host}`);
    return s;
  }

  get defaultSite(): SiteConfig {
    return this.site(this.defaultHost);
  }

  /** Decode a request path into safe segments (RFC 3986 §5.2.4 dot segments refused, not resolved). */
  static segments(urlPath: string): string[] {
    const out: string[] = [];
    for (const raw of urlPath.split('/')) {
      if (raw === '') continue;
      let seg = raw;
      if (raw.includes('%')) {
        try {
          seg = decodeURIComponent(raw);
        } catch {
          throw new PathError(400, 'the path has an invalid percent-encoding');
        }
      }
      if (seg === '.' || seg === '..') throw new PathError(403, 'the path leaves the site (dot segments are refused)');
      if (/[\\/\0]/.test(seg)) throw new PathError(403, 'the path hides a slash, a backslash or a NUL in an encoded form');
      if (seg.startsWith('.')) throw new PathError(404, 'hidden files are not served');
      out.push(seg);
    }
    return out;
  }

  private within(root: string, segs: string[]): string {
    const file = path.resolve(root, ...segs);
    if (file !== root && !file.startsWith(root + path.sep)) throw new PathError(403, 'the path leaves the site');
    return file;
  }

  async find(host: string, segs: string[]): Promise<Found> {
    return this.lookup(host, segs);
  }

  /**
   * Stat a path in the user's copy, then the shipped site. Synchronous on purpose: a stat of
   * a local file takes microseconds, while the thread pool's round trip would cap the rate.
   */
  lookup(host: string, segs: string[], key = segs.join('/')): Found {
    const now = Date.now();
    let byPath = this.stats.get(host);
    const cached = byPath?.get(key);
    if (cached && now - cached.at < STAT_VALID_MS) return cached.found;
    const found = this.statBoth(host, segs);
    if (this.statCount >= 10_000) {
      this.forgetStats();
      byPath = undefined;
    }
    if (!byPath) this.stats.set(host, (byPath = new Map()));
    if (!byPath.has(key)) this.statCount++;
    byPath.set(key, { at: now, found });
    return found;
  }

  /** Forget what lookup() learned: a file was written or removed through the lab. */
  forgetStats(): void {
    this.stats.clear();
    this.statCount = 0;
  }

  private statBoth(host: string, segs: string[]): Found {
    for (const [root, scope, user] of [
      [this.userRoot(host), this.userScope(host), true],
      [this.shippedRoot(host), this.shippedScope(host), false],
    ] as const) {
      let file: string | null;
      try {
        file = existingSync(this.within(root, segs), scope);
      } catch (err) {
        if (err instanceof OutsideRootError) return { kind: 'refused', reason: `/${segs.join('/')} is a symbolic link out of the site's folder: it is not followed` };
        throw err;
      }
      if (file === null) continue;
      const st = statSync(file, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) return { kind: 'dir' };
      if (st.isFile()) return { kind: 'file', found: { file, size: st.size, mtimeMs: st.mtimeMs, user } };
    }
    return null;
  }

  /** whether the site's folder in the data directory is its own (not a link to elsewhere) */
  private rootInside(host: string): boolean {
    try {
      existingSync(this.userRoot(host), this.userScope(host));
      return true;
    } catch {
      return false;
    }
  }

  userFile(host: string, segs: string[]): string {
    return this.within(this.userRoot(host), segs);
  }

  async write(host: string, segs: string[], data: Buffer | string): Promise<void> {
    if (segs.length === 0) throw new PathError(403, 'cannot write the site root');
    try {
      await writeFileAtomic(this.userFile(host, segs), data, this.userScope(host));
    } catch (err) {
      throw refusal(err, host, segs);
    } finally {
      this.forgetStats();
    }
  }

  /** Delete the user's copy. Returns false when only the shipped file exists. */
  async remove(host: string, segs: string[]): Promise<boolean> {
    try {
      return await removeConfined(this.userFile(host, segs), this.userScope(host));
    } catch (err) {
      if (err instanceof OutsideRootError) throw refusal(err, host, segs);
      return false;
    } finally {
      this.forgetStats();
    }
  }

  async info(): Promise<SiteInfo[]> {
    const out: SiteInfo[] = [];
    for (const s of this.all) {
      const files = new Map<string, SiteFile>();
      await walk(this.shippedRoot(s.host), '', (p, st) => files.set(p, entry(p, st, false, true)));
      // a link is not listed: GET refuses one that leads out, and its size would be another file's
      if (this.rootInside(s.host)) await walk(this.userRoot(s.host), '', (p, st) => files.set(p, entry(p, st, true, files.has(p))));
      out.push({
        host: s.host,
        aliases: s.aliases,
        isDefault: s.host === this.defaultHost,
        cookies: s.cookies,
        protectedPaths: s.protected.map(({ path: p, realm, user }): ProtectedPath => ({ path: p, realm, user })),
        files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)).slice(0, MAX_LISTED),
      });
    }
    return out;
  }

  async read(host: string, urlPath: string): Promise<SiteFileContent> {
    this.site(host);
    const segs = Sites.segments(urlPath);
    const f = await this.find(host, segs);
    if (f?.kind === 'refused') throw new PathError(403, `${host}${urlPath}: ${f.reason}`);
    if (!f || f.kind !== 'file') throw new PathError(404, `${host}${urlPath} is not a file`);
    const bytes = await readFileConfined(f.found.file, f.found.user ? this.userScope(host) : this.shippedScope(host)).catch((err: unknown) => {
      throw refusal(err, host, segs);
    });
    const binary = bytes.includes(0) || !isUtf8(bytes);
    const shipped = (await this.shippedExists(host, segs)) ?? false;
    return {
      host,
      path: `/${segs.join('/')}`,
      text: binary ? '' : bytes.toString('utf8'),
      binary,
      size: f.found.size,
      lastModified: httpDate(f.found.mtimeMs),
      etag: etagOf(f.found),
      modified: f.found.user,
      shipped,
    };
  }

  async save(host: string, urlPath: string, text: string): Promise<SiteFileContent> {
    this.site(host);
    await this.write(host, Sites.segments(urlPath), text);
    return this.read(host, urlPath);
  }

  async reset(host: string, urlPath: string): Promise<SiteFileContent | null> {
    this.site(host);
    await this.remove(host, Sites.segments(urlPath));
    try {
      return await this.read(host, urlPath);
    } catch {
      return null;
    }
  }

  private async shippedExists(host: string, segs: string[]): Promise<boolean> {
    try {
      return fileExistsSync(this.within(this.shippedRoot(host), segs), this.shippedScope(host));
    } catch {
      return false;
    }
  }
}

/** A link out of the site's folder as the protocol's refusal (403); other errors as they are. */
function refusal(err: unknown, host: string, segs: string[]): unknown {
  if (err instanceof OutsideRootError) return new PathError(403, `${host}/${segs.join('/')} reaches a symbolic link out of the site's folder: NetLab does not follow it`);
  return err;
}

/** A strong validator from size and modification time, as nginx and Apache make theirs. */
export function etagOf(f: { size: number; mtimeMs: number }): string {
  return `"${Math.floor(f.mtimeMs).toString(16)}-${f.size.toString(16)}"`;
}

export function contentHash(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 16);
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
