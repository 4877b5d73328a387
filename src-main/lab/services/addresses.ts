/**
 * Where a lab service listens. On loopback that is both 127.0.0.1 and ::1: stock Debian and
 * Ubuntu hosts files resolve `localhost` to ::1 first, so `nc -u localhost 12000` or
 * `dig @localhost` go to ::1, and a lab on 127.0.0.1 alone would not answer them.
 * A machine without IPv6 keeps 127.0.0.1 alone, cleanly. Never a non-loopback address
 * unless the user chose one.
 */

export const LOOPBACK_V4 = '127.0.0.1';
export const LOOPBACK_V6 = '::1';

/** the addresses to listen on for a chosen bind address; the first one decides the port */
export function listenAddresses(bindAddress: string): string[] {
  return bindAddress === LOOPBACK_V4 ? [LOOPBACK_V4, LOOPBACK_V6] : [bindAddress];
}

/** an address this machine cannot listen on at all (no IPv6): the service runs without it */
export function addressUnavailable(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EPROTONOSUPPORT' || code === 'EINVAL';
}
