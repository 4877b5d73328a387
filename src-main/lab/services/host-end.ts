/**
 * The lab host a service stands for, as its end of a connection in the capture: the proxy
 * cache, the local DNS server, mail.crepes.fr for mail submission. Named where the service is,
 * once, so the ladder, the flow graph and the pcapng export read the same name (and the
 * host's virtual address, where the lab internet gives it one).
 */
import type { Endpoint } from '../api';
import { resolveLabHost } from '../internet/hosts';
import type { ServiceContext } from './service';

/** The virtual addresses the lab internet gives `host`: the shipped table's, then lab DNS's. */
export function virtualAddresses(ctx: Pick<ServiceContext, 'internet'>, host: string): string[] {
  const out = new Set<string>();
  for (const r of [resolveLabHost(host), ctx.internet.known(host)]) if (r.ok && r.virtualAddress) out.add(r.virtualAddress);
  return [...out];
}

/** `host`'s name, and its first virtual address when it has one. */
export function hostEnd(ctx: Pick<ServiceContext, 'internet'>, host: string): Partial<Endpoint> {
  const virtualAddress = virtualAddresses(ctx, host)[0];
  return virtualAddress ? { name: host, virtualAddress } : { name: host };
}
