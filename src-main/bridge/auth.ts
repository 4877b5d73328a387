/** The bridge's two checks: a per-run token (compared in constant time) and the Origin. */
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

/** A WebSocket upgrade must come from a page the bridge itself served. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (!origin) return false;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
