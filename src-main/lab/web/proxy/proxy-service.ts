/**
 * The web proxy cache (Kurose & Ross §2.2.5) on port 3128: a forward proxy for absolute-URI
 * requests (`curl -x http://127.0.0.1:3128 http://www.someschool.edu/`). Lab host names are
 * resolved through the lab internet; anything outside it gets a 403 page. GET responses are
 * cached as a shared cache, fresh hits answered without a word to the origin, stale ones
 * revalidated with a conditional GET. Every response says what happened in X-Cache.
 *
 * web/proxy/ is the proxy: this listener, its cache table and its connections to origins;
 * the freshness rules are http-cache-semantics', the HTTP codec is web/'s.
 */
import CachePolicy from 'http-cache-semantics';
import type { TcpTap } from '../../capture/tcp-tap';
import { HttpConnection, type ConnectionSettings } from '../connection';
import { HttpFramer } from '../framer';
import { DEFAULT_LIMITS, header, HttpError, type Header } from '../head';
import { errorPage as webErrorPage, PROXY_SIGNATURE } from '../pages';
import type { HttpRequest } from '../request';
import { dateNow, type HttpResponse, type ParsedResponse } from '../response';
import type { ProxySettings, ProxyStatus } from '../types';
import type { ServiceContext } from '../../services/service';
import { HttpLabService } from '../http-listener';
import { type CacheEntry, policyHeaders, ProxyCache } from './cache';
import { fetchOrigin, PROXY_HOST } from './origin';
import { LinkDirection } from '../../link/link';
import { PERFECT_LINK } from '../../link/profile';

const VIA = '1.1 netlab-proxy';

/** the proxy's own answers are signed by the proxy, not by the web server behind it */
const errorPage = (status: number, explanation: string, extra: Header[] = []): HttpResponse => webErrorPage(status, explanation, extra, PROXY_SIGNATURE);
/** RFC 9110 §7.6.1 hop-by-hop fields, and the proxy-only ones */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
/** not forwarded either: the proxy has the whole body before it asks the origin */
const NOT_FORWARDED = ['host', 'expect'];

export function endToEnd(headers: readonly Header[]): Header[] {
  const listed = (header(headers, 'connection') ?? '').split(',').map((t) => t.trim().toLowerCase());
  return headers.filter(([n]) => {
    const k = n.toLowerCase();
    return !HOP_BY_HOP.includes(k) && !listed.includes(k);
  });
}

/** the cache on, no access link, no Internet delay */
export const DEFAULT_PROXY_SETTINGS: ProxySettings = { cacheEnabled: true, internetDelayMs: 0, accessKbps: 0 };

/** the proxy's connections: fixed settings, one object read by every request */
const PROXY_CONNECTION: ConnectionSettings = { limits: DEFAULT_LIMITS, forceNonPersistent: false, headerTimeoutMs: 60_000, idleTimeoutMs: 120_000, serverName: 'NetLab-proxy/0.1', signature: PROXY_SIGNATURE };

export class ProxyService extends HttpLabService {
  readonly id = 'proxy';
  readonly name = 'Web proxy cache';
  readonly protocol = 'http';
  readonly description = 'HTTP forward proxy with a cache: point a browser or curl -x at it';
  readonly cache = new ProxyCache();
  settings: ProxySettings = { ...DEFAULT_PROXY_SETTINGS };
  private stats = { requests: 0, hits: 0, misses: 0, revalidated: 0, accessBytes: 0 };
  /** the institution's access link: one queue for every response coming in from the Internet */
  private accessLink = new LinkDirection(() => ({ ...PERFECT_LINK, rateKbps: this.settings.accessKbps }));
  private conns = new WeakMap<TcpTap, HttpConnection>();
  private cacheListeners = new Set<() => void>();
  protected override framer = (): HttpFramer => new HttpFramer();
  protected override allowHalfOpen = true;

  constructor(
    ctx: ServiceContext,
    port: number,
    private isLabPort: (port: number) => boolean,
  ) {
    super(ctx, port);
    this.hostName = PROXY_HOST;
  }

  onCacheChange(listener: () => void): void {
    this.cacheListeners.add(listener);
  }

  private cacheChanged(): void {
    for (const l of this.cacheListeners) l();
  }

  status(): ProxyStatus {
    const { requests, hits, revalidated } = this.stats;
    return { ...this.settings, ...this.stats, hitRate: requests ? (hits + revalidated) / requests : 0, objects: this.cache.list() };
  }

  configureProxy(patch: Partial<ProxySettings>): ProxyStatus {
    this.settings = { ...this.settings, ...patch };
    this.cacheChanged();
    return this.status();
  }

  flush(): ProxyStatus {
    this.cache.flush();
    this.stats = { requests: 0, hits: 0, misses: 0, revalidated: 0, accessBytes: 0 };
    this.cacheChanged();
    return this.status();
  }

  protected connectionSettings(): ConnectionSettings {
    return PROXY_CONNECTION;
  }

  protected accept(tap: TcpTap): void {
    // one write per response: no reason to wait for an ACK before the next (nginx: tcp_nodelay)
    tap.socket.setNoDelay(true);
    const note = (text: string): void => this.ctx.store.note(tap.conn, 'none', text);
    this.conns.set(tap, new HttpConnection(tap, () => this.connectionSettings(), (req) => this.handle(req, note), note));
  }

  protected data(tap: TcpTap, chunk: Buffer): void {
    this.conns.get(tap)?.data(chunk);
  }

  /** A fresh hit is answered at once (no promise); everything else goes to forward(). */
  private handle(req: HttpRequest, note: (t: string) => void): HttpResponse | Promise<HttpResponse> {
    if (req.method === 'CONNECT') return errorPage(501, 'CONNECT (HTTPS tunnels) is not offered by the lab proxy: the lab web is plain HTTP.');
    if (!req.absolute) {
      return errorPage(400, 'This is a proxy: ask for an absolute URL, e.g. GET http://www.someschool.edu/ HTTP/1.1 (curl -x http://127.0.0.1:3128 http://www.someschool.edu/).');
    }
    if (req.absolute.scheme !== 'http') return errorPage(400, `The lab proxy forwards http:// URLs only, not ${req.absolute.scheme}://.`);
    const { host, port } = req.absolute;
    const authority = port === 80 ? host : `${host}:${port}`;
    const target = req.query ? `${req.path}?${req.query}` : req.path;
    const url = `http://${authority}${target}`;
    const hostHeader = header(req.headers, 'host') ?? authority;
    // a fresh hit is answered before anything else: only an allowed host was ever stored
    const fresh = req.method === 'GET' && this.settings.cacheEnabled ? this.cache.get(url) : undefined;
    if (fresh && this.satisfies(fresh, req, target, hostHeader)) {
      this.stats.requests++;
      fresh.hits++;
      this.stats.hits++;
      // no capture note: the response's summary says X-Cache: HIT, and no origin message follows
      this.cacheChanged();
      return this.hit(fresh);
    }
    return this.forward(req, note, { host, port, url, target, hostHeader });
  }

  /** Can the entry answer the request without the origin? http-cache-semantics decides; a plain request's yes is remembered until the entry turns stale. */
  private satisfies(entry: CacheEntry, req: HttpRequest, target: string, hostHeader: string): boolean {
    const plain = !req.headers.some(([n]) => isFreshnessHeader(n));
    const memo = entry.fresh;
    if (plain && memo && memo.policy === entry.policy && memo.host === hostHeader && Date.now() < memo.until) return true;
    if (!entry.policy.satisfiesWithoutRevalidation(policyRequest(req, target, hostHeader))) return false;
    // a Vary'd response depends on more of the request than the Host: asked every time
    if (plain && !header(entry.headers, 'vary')) {
      const now = Date.now();
      entry.fresh = { policy: entry.policy, host: hostHeader, until: now + (entry.policy.maxAge() - entry.policy.age()) * 1000 };
    }
    return true;
  }

  /** The HIT response: built again only when the policy, the Age or the Date it states changes. */
  private hit(entry: CacheEntry): HttpResponse {
    const age = Math.round(entry.policy.age());
    const date = dateNow();
    const s = entry.served;
    if (s && s.policy === entry.policy && s.age === age && s.date === date) return s.res;
    const res: HttpResponse = { ...this.fromCache(entry, 'HIT'), shared: true };
    entry.served = { policy: entry.policy, age, date, res };
    return res;
  }

  private async forward(req: HttpRequest, note: (t: string) => void, to: { host: string; port: number; url: string; target: string; hostHeader: string }): Promise<HttpResponse> {
    const { host, port, url, target, hostHeader } = to;
    const forward = endToEnd(req.headers).filter(([n]) => !NOT_FORWARDED.includes(n.toLowerCase()));
    const upstream = (extra: Header[] = []): Promise<ParsedResponse> =>
      fetchOrigin(
        {
          internet: this.ctx.internet,
          names: this.ctx.names,
          store: this.ctx.store,
          isLabPort: this.isLabPort,
          internetDelayMs: this.settings.internetDelayMs,
          access: this.accessLink,
          crossed: (n) => (this.stats.accessBytes += n),
        },
        { host, port, method: req.method, target, headers: [['Host', hostHeader], ...forward.filter(([n]) => !extra.some(([e]) => e.toLowerCase() === n.toLowerCase())), ...extra, ['Via', VIA], ['Connection', 'close']], body: req.body },
      );
    const policyReq = policyRequest(req, target, hostHeader);
    const where = await this.ctx.internet.resolve(host);
    if (!where.ok) {
      note(`refused: ${host} is outside the lab`);
      return errorPage(403, `${host} is outside the lab. The NetLab proxy forwards only to lab hosts (www.someschool.edu, gaia.cs.umass.edu, …) and loopback.`, [['X-Cache', 'MISS']]);
    }
    if (where.address.startsWith('127.') && !where.virtualAddress && port === this.port) {
      return errorPage(403, 'The request points at the proxy itself.');
    }
    this.stats.requests++;
    try {
      if (req.method !== 'GET' || !this.settings.cacheEnabled) {
        if (req.method !== 'GET' && req.method !== 'HEAD') this.cache.delete(url); // RFC 9111 §4.4
        this.stats.misses++;
        return this.reply(await upstream(), 'MISS');
      }
      const entry = this.cache.get(url);
      if (entry) {
        const conditional = Object.entries(entry.policy.revalidationHeaders(policyReq))
          .filter(([n]) => n === 'if-none-match' || n === 'if-modified-since')
          .map(([n, v]): Header => [n === 'if-none-match' ? 'If-None-Match' : 'If-Modified-Since', String(v)]);
        note(`cache entry for ${url} is stale: revalidating with a conditional GET`);
        const res = await upstream(conditional);
        const { policy, modified } = entry.policy.revalidatedPolicy(policyReq, { status: res.status, headers: policyHeaders(res.headers) });
        if (!modified) {
          entry.policy = policy;
          entry.storedAt = Date.now();
          entry.hits++;
          this.stats.revalidated++;
          this.cacheChanged();
          return this.fromCache(entry, 'REVALIDATED');
        }
        this.stats.misses++;
        return this.store(url, policyReq, res);
      }
      this.stats.misses++;
      return this.store(url, policyReq, await upstream());
    } catch (err) {
      this.stats.misses++;
      const status = err instanceof HttpError ? err.status : 502;
      return errorPage(status, (err as Error).message, [['X-Cache', 'MISS']]);
    }
  }

  private store(url: string, policyReq: CachePolicy.Request, res: ParsedResponse): HttpResponse {
    const headers = endToEnd(res.headers);
    const policy = new CachePolicy(policyReq, { status: res.status, headers: policyHeaders(headers) }, { shared: true });
    if (policy.storable() && res.status === 200) {
      this.cache.set({ url, policy, status: res.status, reason: res.reason, headers, body: Buffer.from(res.body), storedAt: Date.now(), hits: 0 });
    } else this.cache.delete(url);
    this.cacheChanged();
    return this.reply(res, 'MISS');
  }

  private reply(res: ParsedResponse, xcache: string): HttpResponse {
    return { status: res.status, reason: res.reason, headers: [...endToEnd(res.headers), ['Via', VIA], ['X-Cache', xcache]], body: res.body };
  }

  private fromCache(entry: CacheEntry, xcache: string): HttpResponse {
    const fresh = entry.policy.responseHeaders() as Record<string, string | string[] | undefined>;
    const headers: Header[] = [];
    for (const [n, v] of Object.entries(fresh)) {
      if (v === undefined || n === 'content-length' || HOP_BY_HOP.includes(n)) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.push([displayName(n), one]);
    }
    return { status: entry.status, reason: entry.reason, headers: [...headers, ['Via', VIA], ['X-Cache', xcache]], body: entry.body };
  }
}

/** Request fields that change what a cache may answer (RFC 9111 §5.2.1, §5.4). */
function isFreshnessHeader(name: string): boolean {
  const n = name.length === 13 || name.length === 6 ? name.toLowerCase() : '';
  return n === 'cache-control' || n === 'pragma';
}

function policyRequest(req: HttpRequest, target: string, hostHeader: string): CachePolicy.Request {
  return { url: target, method: req.method, headers: { ...policyHeaders(req.headers), host: hostHeader } };
}

const names = new Map<string, string>();
/** `content-type` as `Content-Type`: http-cache-semantics hands back lower-case names. */
function displayName(lower: string): string {
  let name = names.get(lower);
  if (!name) {
    name = lower.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
    if (names.size < 1000) names.set(lower, name);
  }
  return name;
}
