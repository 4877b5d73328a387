/**
 * An end of a connection as the capture keeps it: an address and a port, then what each
 * source names (later ones win).
 *
 * Not an object spread: V8 gives each object built by spreading two or more objects
 * (`{ ...a, ...b }`) a hidden class of its own, so every connection the capture keeps (up to
 * 20,000 closed ones) would carry its own — work for the garbage collector on every
 * connection, and slow property reads wherever endpoints are read. Built this way, they all
 * share a few.
 */
import type { Endpoint } from '../api';

export function endpoint(address: string, port: number, ...named: (Partial<Endpoint> | undefined)[]): Endpoint {
  return Object.assign({ address, port }, ...named);
}
