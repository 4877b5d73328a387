/**
 * State checks: the lab's own state rather than its traffic — a message in a Maildir, a
 * record in a zone, an object in the proxy's cache, a swarm run that finished within k×D_P2P.
 * Each is asked of the lab's API, the same the tabs read.
 */
import type { LabApi, SwarmResult } from '../api';
import { canonical, rdataText, type Rr } from '../dns/records';
import { parseZone } from '../dns/zone-parser';
import type { StateCheck } from './lab-file';
import { re } from './message-match';
import type { StateFound } from './state-evidence';

export type StateApi = Pick<LabApi, 'mail.mailbox' | 'mail.message' | 'dns.readZone' | 'web.proxyStatus'>;

export interface StateVerdict {
  passed: boolean;
  detail: string;
  /** what was found, for the evidence in the capture (state-evidence.ts) */
  found?: StateFound;
}

/** `memo`: messages already found wanting, not read again */
export async function evaluateState(check: StateCheck, api: StateApi, lastSwarm: SwarmResult | null, memo = new Set<string>()): Promise<StateVerdict> {
  try {
    if (check.mailbox) return await mailbox(check.mailbox, api, memo);
    if (check.zone) return await zone(check.zone, api);
    if (check.proxyCache) {
      const status = await api['web.proxyStatus']();
      const want = check.proxyCache;
      const hit = status.objects.find((o) => re(want.url).test(o.url) && o.hits >= (want.hits ?? 0));
      return hit ? { passed: true, detail: `the cache holds ${hit.url}`, found: { url: hit.url } } : { passed: false, detail: 'not in the proxy cache yet' };
    }
    if (check.swarm) return swarm(check.swarm, lastSwarm);
  } catch (err) {
    return { passed: false, detail: (err as Error).message };
  }
  return { passed: false, detail: 'nothing to check' };
}

async function mailbox(want: NonNullable<StateCheck['mailbox']>, api: StateApi, memo: Set<string>): Promise<StateVerdict> {
  const list = await api['mail.mailbox'](want.user);
  for (const m of list) {
    if (memo.has(m.uid)) continue;
    memo.add(m.uid);
    if (want.subject && !re(want.subject).test(m.subject)) continue;
    // the From: header, or the envelope's MAIL FROM (a message typed by hand may have no headers)
    if (want.from && !re(want.from).test(m.from) && !re(want.from).test(m.envelopeFrom ?? '')) continue;
    if (want.attachment) {
      const detail = await api['mail.message'](want.user, m.uid);
      if (!detail?.attachments.some((a) => re(want.attachment!).test(a.contentType))) continue;
    }
    return { passed: true, detail: `in ${want.user}'s mailbox: "${m.subject}"`, found: { subject: m.subject, sender: m.envelopeFrom } };
  }
  return { passed: false, detail: `no such message in ${want.user}'s mailbox yet` };
}

async function zone(want: NonNullable<StateCheck['zone']>, api: StateApi): Promise<StateVerdict> {
  const text = await api['dns.readZone'](want.zone);
  const parsed = parseZone(text.text, canonical(want.zone));
  if (!parsed.ok) return { passed: false, detail: `the ${want.zone} zone has an error at line ${parsed.errors[0]?.line}` };
  const type = want.type.toUpperCase();
  const found = parsed.zone.records.find(
    (r) => canonical(r.name) === canonical(want.name) && r.type === type && (!want.value || re(want.value).test(rdataText(r as Rr))),
  );
  return found ? { passed: true, detail: `${want.zone} holds ${want.name} ${type}` } : { passed: false, detail: `no ${type} record for ${want.name} in ${want.zone} yet` };
}

function swarm(want: NonNullable<StateCheck['swarm']>, r: SwarmResult | null): StateVerdict {
  if (!r) return { passed: false, detail: 'no swarm run has finished yet' };
  if (want.minPeers && r.n < want.minPeers) return { passed: false, detail: `the last run had ${r.n} peers; run one with at least ${want.minPeers}` };
  if (want.freeRider) return freeRider(r);
  if (r.distributionTime === null) return { passed: false, detail: 'in the last run some peer never completed' };
  const limit = (want.withinP2P ?? 1) * r.bounds.p2p;
  return r.distributionTime <= limit
    ? { passed: true, detail: `distributed in ${r.distributionTime.toFixed(2)} s, within ${want.withinP2P}×D_P2P` }
    : { passed: false, detail: `distributed in ${r.distributionTime.toFixed(2)} s, more than ${want.withinP2P}×D_P2P` };
}

/**
 * Tit-for-tat (§2.5.1): a peer gives its regular slots to the peers sending it the most, so a
 * free-rider, which sends nothing, gets fewer of them than the peers that upload (it lives on
 * optimistic unchokes and seeds). Compared with the uploaders' median share: one uploader that
 * joined late or was starved on a busy machine may get as few as the free-rider.
 */
function freeRider(r: SwarmResult): StateVerdict {
  const leechers = r.peers.filter((p) => p.role === 'leecher' && !p.churned);
  const riders = leechers.filter((p) => p.freeRider);
  const givers = leechers.filter((p) => !p.freeRider);
  if (!riders.length || !givers.length) return { passed: false, detail: 'the last run had no free-rider beside peers that upload: run one that has' };
  const shares = givers.map((p) => p.regularShare).sort((a, b) => a - b);
  const median = shares[Math.floor(shares.length / 2)];
  const most = Math.max(...riders.map((p) => p.regularShare));
  const pct = (x: number): string => `${Math.round(x * 100)} %`;
  return most < median
    ? { passed: true, detail: `the free-rider got ${pct(most)} of the tit-for-tat slots, the uploading peers ${pct(median)} (median)` }
    : { passed: false, detail: `in the last run the free-rider got ${pct(most)} of the tit-for-tat slots, not fewer than the uploading peers' median ${pct(median)}` };
}
