import type { ServiceInfo } from '../api-types';

/**
 * How a service's port is named to a person: "TCP 8080", "UDP 12000", and "UDP+TCP 1053" for
 * the DNS servers, which answer over TCP on the same port as well (RFC 7766).
 * Pure, so the rail, the serve table and the terminal's `services` say the same words.
 */
export function transportLabel(s: Pick<ServiceInfo, 'transport' | 'alsoTcp'>): string {
  return s.alsoTcp ? 'UDP+TCP' : s.transport.toUpperCase();
}

/** Where a running service listens, as a person writes it: "127.0.0.1 · [::1]" (IPv6 in
 *  brackets, RFC 3986); empty while it is not running. */
export function addressLabel(s: Pick<ServiceInfo, 'addresses'>): string {
  return s.addresses.map((a) => (a.includes(':') ? `[${a}]` : a)).join(' · ');
}
