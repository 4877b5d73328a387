/** The bridge's checks: the Host, a per-run token (compared in constant time) and the Origin. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Cookies are per host, not per port: name the cookie by port so two labs don't collide. */
export const tokenCookie = (port: number): string => `netlab_token_${port}`;

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

export function tokensEqual(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieToken(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function queryToken(req: IncomingMessage): string | null {
  return new URL(req.url ?? '/', 'http://x').searchParams.get('token');
}

/** The token from the query (first visit) or the cookie (every visit after). */
export function requestToken(req: IncomingMessage, port: number): string | undefined {
  return queryToken(req) ?? cookieToken(req, tokenCookie(port));
}

/** The names this machine's browser reaches the bridge by. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `name:port` for one of the loopback names (the port may be left out only when it is 80,
 *  as browsers leave out a default port). Host names compare case-insensitively. */
function loopbackAuthority(authority: string, port: number): boolean {
  const a = authority.toLowerCase();
  return LOOPBACK_NAMES.some((name) => a === `${name}:${port}` || (port === 80 && a === name));
}

/**
 * Every request must name the bridge by a loopback name. A page on another site can make
 * its own name resolve to 127.0.0.1 (DNS rebinding) and then talk to the bridge as a
 * same-origin page would; its requests still carry its own name in Host, so they are
 * refused here (as Jupyter does), whatever cookie or token they hold.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && loopbackAuthority(host, port);
}

/** A WebSocket upgrade must come from a page the bridge itself served. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin !== undefined && origin.toLowerCase().startsWith('http://') && loopbackAuthority(origin.slice('http://'.length), port);
}
