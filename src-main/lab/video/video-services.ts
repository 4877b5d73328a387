/** The CDN's clusters (video/cdn.ts) as lab services: web servers of their own, each at its cluster's address. */
import type { LabService, ServiceContext } from '../services/service';
import { HttpService } from '../web/server/http-service';
import { CLUSTERS, REGION_NAMES } from './cdn';

export function createVideoServices(ctx: ServiceContext, port: (id: string, fallback: number) => number): LabService[] {
  return CLUSTERS.map(
    (c) =>
      new HttpService(ctx, port(c.id, c.port), {
        id: c.id,
        name: `CDN cluster ${c.host}`,
        description: `KingCDN's cluster in ${REGION_NAMES[c.region]} (${c.address}): a replica of Netcinema's videos on port 80 of ${c.host}`,
        virtualAddresses: [c.address],
      }),
  );
}
