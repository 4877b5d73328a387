import type { LinkProfile } from '../api';

export const PERFECT_LINK: LinkProfile = { delayMs: 0, jitterMs: 0, lossRate: 0, reorderRate: 0, rateKbps: 0 };

export function mergeLink(base: LinkProfile, patch: Partial<LinkProfile> | undefined): LinkProfile {
  return { ...base, ...(patch ?? {}) };
}

export function isPerfect(link: LinkProfile): boolean {
  return link.delayMs === 0 && link.jitterMs === 0 && link.lossRate === 0 && link.reorderRate === 0 && link.rateKbps === 0;
}

export function describeLink(link: LinkProfile): string {
  if (isPerfect(link)) return 'no emulation';
  const parts: string[] = [];
  if (link.delayMs) parts.push(`delay ${link.delayMs} ms`);
  if (link.jitterMs) parts.push(`jitter ${link.jitterMs} ms`);
  if (link.lossRate) parts.push(`loss ${Math.round(link.lossRate * 100)}%`);
  if (link.reorderRate) parts.push(`reorder ${Math.round(link.reorderRate * 100)}%`);
  if (link.rateKbps) parts.push(`${link.rateKbps} kbit/s`);
  return parts.join(', ');
}
