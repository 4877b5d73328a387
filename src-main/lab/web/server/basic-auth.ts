/** Basic authentication (RFC 7617): the credentials a request carries, checked in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function authorised(authorization: string | undefined, user: string, password: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]{1,1000})\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1], 'base64').toString('utf8');
  return timingSafeEqual(digest(given), digest(`${user}:${password}`));
}
