/**
 * Identifiers on the circle of 2^n (K&R §2.5.2): a key belongs to its successor, the first
 * peer met going clockwise from it; names hash to keys with SHA-1 cut to n bits.
 * n ≤ 32, so identifiers are plain numbers.
 */
import { createHash } from 'node:crypto';

export const MIN_BITS = 4;
export const MAX_BITS = 32;

const POWERS = Array.from({ length: MAX_BITS + 1 }, (_, i) => 2 ** i);

/** 2^bits, from a table: a router asks it for every datagram */
export function ringSize(bits: number): number {
  return POWERS[bits] ?? 2 ** bits;
}

/** x in the arc (a, b], clockwise; a == b is the whole circle (a ring of one peer). */
export function inArc(x: number, a: number, b: number): boolean {
  if (a === b) return true;
  return a < b ? x > a && x <= b : x > a || x <= b;
}

/** x in the open arc (a, b) */
export function strictlyBetween(x: number, a: number, b: number): boolean {
  if (a === b) return x !== a;
  return a < b ? x > a && x < b : x > a || x < b;
}

/** clockwise distance from a to b */
export function distance(a: number, b: number, bits: number): number {
  const size = ringSize(bits);
  return (((b - a) % size) + size) % size;
}

/** a name's key: the first 32 bits of its SHA-1, cut to the ring's n bits */
export function hashKey(name: string, bits: number): number {
  const word = createHash('sha1').update(name).digest().readUInt32BE(0);
  return bits === 32 ? word : word >>> (32 - bits);
}

/** the peer responsible for a key among sorted ids: the first id ≥ key, else the smallest */
export function successorOf(key: number, sortedIds: readonly number[]): number {
  let lo = 0;
  let hi = sortedIds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedIds[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return sortedIds[lo === sortedIds.length ? 0 : lo];
}

/** A key as typed: a number on the ring, or a name hashed onto it. */
export function keyOf(text: string, bits: number): number | string {
  if (isDigits(text)) {
    const n = Number(text);
    return n < ringSize(bits) ? n : `key ${text} is off the ring: keys go from 0 to ${ringSize(bits) - 1} on a ${bits}-bit ring`;
  }
  return hashKey(text, bits);
}

/** text of one or more digits 0-9 (what /^\d+$/ matches), read by a router for every hop */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
