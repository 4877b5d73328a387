/**
 * The proxy's store of responses. Freshness, storability and revalidation are decided by
 * http-cache-semantics (RFC 9111, as a shared cache); this file only keeps the entries,
 * bounded in bytes, oldest evicted first.
 */
import CachePolicy from 'http-cache-semantics';
import type { Header } from '../head';
import type { HttpResponse } from '../response';
import type { ProxyObject } from '../types';

export interface CacheEntry {
  url: string;
  policy: CachePolicy;
  status: number;
  reason: string;
  headers: Header[];
  body: Buffer;
  storedAt: number;
  hits: number;
  /**
   * http-cache-semantics said this entry satisfies a plain request (no Cache-Control or
   * Pragma, this Host) without revalidation: so it does until `until`, when the entry turns
   * stale, as long as the policy is the same one. The decision stays the library's.
   */
  fresh?: { policy: CachePolicy; host: string; until: number };
  /** the HIT response last built, for its policy, Age and Date */
  served?: { policy: CachePolicy; age: number; date: string; res: HttpResponse };
}

const MAX_BYTES = 64 * 1024 * 1024;
const MAX_OBJECT = 8 * 1024 * 1024;

export type PolicyRequest = CachePolicy.Request;
export type PolicyResponse = CachePolicy.Response;

export function policyHeaders(headers: readonly Header[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of headers) {
    const k = n.toLowerCase();
    out[k] = out[k] !== undefined ? `${out[k]}, ${v}` : v;
  }
  return out;
}

export class ProxyCache {
  private entries = new Map<string, CacheEntry>();
  private bytes = 0;

  get(url: string): CacheEntry | undefined {
    return this.entries.get(url);
  }

  set(entry: CacheEntry): boolean {
    if (entry.body.length > MAX_OBJECT) return false;
    this.delete(entry.url);
    while (this.bytes + entry.body.length > MAX_BYTES && this.entries.size) {
      this.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(entry.url, entry);
    this.bytes += entry.body.length;
    return true;
  }

  delete(url: string): void {
    const old = this.entries.get(url);
    if (!old) return;
    this.entries.delete(url);
    this.bytes -= old.body.length;
  }

  flush(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  list(): ProxyObject[] {
    return [...this.entries.values()].map((e) => {
      const h = policyHeaders(e.headers);
      return {
        url: e.url,
        status: e.status,
        size: e.body.length,
        storedAt: e.storedAt,
        freshForSec: Math.round(e.policy.timeToLive() / 100) / 10,
        hits: e.hits,
        ...(h['last-modified'] ? { lastModified: h['last-modified'] } : {}),
        ...(h.etag ? { etag: h.etag } : {}),
      };
    });
  }
}
