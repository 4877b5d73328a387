/**
 * What the lab's DNS servers share in-process: which capture messages carried a lab client's
 * query and its reply (so a resolution step links to the inspector), and which client ports
 * belong to a resolution the view is tracing (they get recursion from the hierarchy servers,
 * as BIND's allow-recursion grants it to trusted clients only).
 */
import type { DnsCache } from '../cache';
import type { LabText } from '../../lab-text';
import type { TraceStep } from '../resolver';

export interface MessagePair {
  query?: number;
  reply?: number;
}

export interface TracedResolution {
  mode: 'iterative' | 'recursive';
  trace: TraceStep[];
  started: number;
  /** the cache this resolution reads (a fork: both modes start from the same cache) */
  cache: DnsCache;
  /** why the local server's resolution failed, when it did */
  error?: string;
  errorText?: LabText;
}

const MAX_PAIRS = 4096;

export class DnsShared {
  private watched = new Set<number>();
  private pairs = new Map<string, MessagePair>();
  /** client port → the traced resolution it works for */
  readonly traced = new Map<number, TracedResolution>();

  watch(port: number): void {
    this.watched.add(port);
  }

  /** a lab client's one-shot socket: its flow ends with the reply */
  watching(port: number): boolean {
    return this.watched.has(port);
  }

  unwatch(port: number): void {
    this.watched.delete(port);
    this.traced.delete(port);
  }

  /** A server recorded a message to or from a lab client's port. */
  recorded(port: number, dnsId: number, which: keyof MessagePair, messageId: number | undefined): void {
    if (messageId === undefined || !this.watched.has(port)) return;
    const key = `${port}/${dnsId}`;
    const pair = this.pairs.get(key) ?? {};
    pair[which] = messageId;
    this.pairs.set(key, pair);
    if (this.pairs.size > MAX_PAIRS) this.pairs.delete(this.pairs.keys().next().value as string);
  }

  take(port: number, dnsId: number): MessagePair {
    const key = `${port}/${dnsId}`;
    const pair = this.pairs.get(key) ?? {};
    this.pairs.delete(key);
    return pair;
  }
}
