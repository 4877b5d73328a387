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
import { writeFileAtomic } from '../../storage';
import { folderUse } from '../../disk-use';
import { type Confinement, existingSync, OutsideRootError, removeConfined } from '../../confined-fs';

/** 16 MiB: room for the lab's pages and an upload or two at the largest body the server takes (10 MiB) */
export const DEFAULT_QUOTA = 16 * 1024 * 1024;

const siteSchema = z
  .object({
    host: z.string().regex(/^[a-z0-9.-]{1,253}$/),
    aliases: z.array(z.string().max(253)).default([]),
    cookies: z.boolean().default(false),
    protected: z
      .array(z.object({ path: z.string().startsWith('/'), realm: z.string().max(200), user: z.string().max(100), password: z.string().max(100) }).strict())
      .default([]),
    redirects: z.record(z.string(), z.string()).default({}),
    /** who may PUT and DELETE (Basic, RFC 7617); without it the site's files are read-only over HTTP */
    upload: z.object({ realm: z.string().max(200), user: z.string().max(100), password: z.string().max(100) }).strict().optional(),
    /** what the user's copy of the site may hold (uploads and edits), in bytes */
    quotaBytes: z.number().int().min(0).default(DEFAULT_QUOTA),
    cacheControl: z.record(z.string(), z.string()).default({}),
  })
  .strict();
const sitesFileSchema = z.object({ default: z.string(), sites: z.array(siteSchema).min(1) }).strict();

export type SiteConfig = z.infer<typeof siteSchema>;

export class PathError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413,
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
  /** each site's writes, one after the other: two uploads cannot both pass the quota check */
  private writing = new Map<string, Promise<unknown>>();

  constructor(
    private resourcesDir: string,
    private dataDir: string,
  ) {}

  shippedRoot(host: string): string {
    return path.join(this.resourcesDir, 'sites', host);
  }

  userRoot(host: string): string {
    return path.join(this.dataDir, 'sites', host);
  }

  /** what a user copy may reach: its site's folder in the data directory */
  userScope(host: string): Confinement {
    return { base: this.dataDir, scope: this.userRoot(host) };
  }

  shippedScope(host: string): Confinement {
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
  rootInside(host: string): boolean {
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

  /** Write the user's copy of a file, within the site's quota (413 past it). */
  async write(host: string, segs: string[], data: Buffer | string): Promise<void> {
    if (segs.length === 0) throw new PathError(403, 'cannot write the site root');
    const quota = this.site(host).quotaBytes;
    const file = this.userFile(host, segs);
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    await this.serially(host, async () => {
      try {
        const used = await this.used(host);
        const replaced = await fs.lstat(file).then((st) => (st.isFile() ? st.size : 0), () => 0);
        if (used - replaced + size > quota) {
          throw new PathError(413, `${host} may hold ${quota} bytes of uploads and edits; it holds ${used}, and ${size} more would be over its quota`);
        }
        await writeFileAtomic(file, data, this.userScope(host));
      } catch (err) {
        throw refusal(err, host, segs);
      } finally {
        this.forgetStats();
      }
    });
  }

  private serially<T>(host: string, job: () => Promise<T>): Promise<T> {
    const prev = this.writing.get(host) ?? Promise.resolve();
    const next = prev.then(job, job);
    const settled = next.catch(() => undefined);
    this.writing.set(host, settled);
    void settled.then(() => {
      if (this.writing.get(host) === settled) this.writing.delete(host);
    });
    return next;
  }

  /** bytes in the user's copy of the site (links not counted: they are not followed) */
  async used(host: string): Promise<number> {
    return this.rootInside(host) ? (await folderUse(this.userRoot(host))).bytes : 0;
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
}

/** A link out of the site's folder as the protocol's refusal (403); other errors as they are. */
export function refusal(err: unknown, host: string, segs: string[]): unknown {
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
