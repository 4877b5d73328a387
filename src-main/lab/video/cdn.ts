/**
 * KingCDN (Kurose & Ross §2.6.3): clusters in regions of the lab internet and the lab's region
 * map (how far apart regions are, as one-way delay), and the CDN's cluster selection: its DNS
 * server answers a CNAME'd name (a1105.kingcdn.com) with the one cluster closest to the local
 * DNS server that asks — "geographically closest", as the textbook's first policy. Pure.
 */
import type { Sections } from '../dns/authority';

export const REGIONS = ['europe', 'north-america'] as const;
export type Region = (typeof REGIONS)[number];

export const REGION_NAMES: Record<Region, string> = { europe: 'Europe', 'north-america': 'North America' };

export interface Cluster {
  /** its service id in the rail */
  id: string;
  host: string;
  address: string;
  region: Region;
  /** its loopback port */
  port: number;
}

export const CLUSTERS: readonly Cluster[] = [
  { id: 'cdn-a', host: 'a.kingcdn.com', address: '203.0.113.10', region: 'europe', port: 8081 },
  { id: 'cdn-b', host: 'b.kingcdn.com', address: '198.51.100.10', region: 'north-america', port: 8082 },
];

/** the CDN's name for Netcinema's content, and the name users type */
export const CDN_NAME = 'a1105.kingcdn.com';
export const VIDEO_HOST = 'video.netcinema.com';
export const MANIFEST_PATH = '/trailer/manifest.mpd';

/** The region map: one-way delay between a client in `from` and a cluster in `to`, ms. */
export function regionDelayMs(from: Region, to: Region): number {
  return from === to ? 10 : 60;
}

export function clusterAt(address: string | undefined): Cluster | undefined {
  return CLUSTERS.find((c) => c.address === address);
}

/**
 * The CDN server's answer cut to the closest cluster: of the A records naming clusters, only
 * those of the cluster nearest `region` stay (other records are left as they are).
 */
export function closestCluster(s: Sections, region: Region): { sections: Sections; chosen?: Cluster } {
  const listed = s.answers.map((rr) => (rr.type === 'A' ? clusterAt(rr.data) : undefined));
  const candidates = listed.filter((c): c is Cluster => c !== undefined);
  if (candidates.length < 2) return { sections: s, chosen: candidates[0] };
  const chosen = candidates.reduce((best, c) => (regionDelayMs(region, c.region) < regionDelayMs(region, best.region) ? c : best));
  const answers = s.answers.filter((_rr, i) => listed[i] === undefined || listed[i] === chosen);
  return { sections: { ...s, answers }, chosen };
}
