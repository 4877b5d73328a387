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
import { english, msg, type LabText, type LabTextKey, type TextParams } from '../lab-text';

export type StateApi = Pick<LabApi, 'mail.mailbox' | 'mail.message' | 'dns.readZone' | 'web.proxyStatus'>;

export interface StateVerdict {
  passed: boolean;
  detail: string;
  /** the same, as a catalogue message (lab-text.ts): the UI shows it in its language */
  detailText: LabText;
  /** what was found, for the evidence in the capture (state-evidence.ts) */
  found?: StateFound;
}

const verdict = (passed: boolean, key: LabTextKey, params?: TextParams, found?: StateFound): StateVerdict => {
  const m = msg(key, params);
  return { passed, detail: english(m), detailText: m, ...(found ? { found } : {}) };
};

/** `memo`: messages already found wanting, not read again */
export async function evaluateState(check: StateCheck, api: StateApi, lastSwarm: SwarmResult | null, memo = new Set<string>()): Promise<StateVerdict> {
  try {
    if (check.mailbox) return await mailbox(check.mailbox, api, memo);
    if (check.zone) return await zone(check.zone, api);
    if (check.proxyCache) {
      const status = await api['web.proxyStatus']();
      const want = check.proxyCache;
      const hit = status.objects.find((o) => re(want.url).test(o.url) && o.hits >= (want.hits ?? 0));
      return hit ? verdict(true, 'checkLab.state.cacheHolds', { url: hit.url }, { url: hit.url }) : verdict(false, 'checkLab.state.notCached');
    }
    if (check.swarm) return swarm(check.swarm, lastSwarm);
  } catch (err) {
    return verdict(false, 'checkLab.state.error', { error: (err as Error).message });
  }
  return verdict(false, 'checkLab.state.nothing');
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
    return verdict(true, 'checkLab.state.mailFound', { user: want.user, subject: m.subject }, { subject: m.subject, sender: m.envelopeFrom });
  }
  return verdict(false, 'checkLab.state.mailMissing', { user: want.user });
}

async function zone(want: NonNullable<StateCheck['zone']>, api: StateApi): Promise<StateVerdict> {
  const text = await api['dns.readZone'](want.zone);
  const parsed = parseZone(text.text, canonical(want.zone));
  if (!parsed.ok) return verdict(false, 'checkLab.state.zoneError', { zone: want.zone, line: parsed.errors[0]?.line ?? 1 });
  const type = want.type.toUpperCase();
  const found = parsed.zone.records.find(
    (r) => canonical(r.name) === canonical(want.name) && r.type === type && (!want.value || re(want.value).test(rdataText(r as Rr))),
  );
  return found ? verdict(true, 'checkLab.state.zoneHolds', { zone: want.zone, name: want.name, type }) : verdict(false, 'checkLab.state.zoneMissing', { type, name: want.name, zone: want.zone });
}

function swarm(want: NonNullable<StateCheck['swarm']>, r: SwarmResult | null): StateVerdict {
  if (!r) return verdict(false, 'checkLab.state.noSwarm');
  if (want.minPeers && r.n < want.minPeers) return verdict(false, 'checkLab.state.fewPeers', { n: r.n, min: want.minPeers });
  if (want.freeRider) return freeRider(r);
  if (r.distributionTime === null) return verdict(false, 'checkLab.state.incomplete');
  const k = want.withinP2P ?? 1;
  const within = r.distributionTime <= k * r.bounds.p2p;
  return verdict(within, within ? 'checkLab.state.within' : 'checkLab.state.beyond', { s: r.distributionTime.toFixed(2), k });
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
  if (!riders.length || !givers.length) return verdict(false, 'checkLab.state.noFreeRider');
  const shares = givers.map((p) => p.regularShare).sort((a, b) => a - b);
  const median = shares[Math.floor(shares.length / 2)];
  const most = Math.max(...riders.map((p) => p.regularShare));
  const pct = (x: number): string => `${Math.round(x * 100)} %`;
  const fewer = most < median;
  return verdict(fewer, fewer ? 'checkLab.state.freeRiderFewer' : 'checkLab.state.freeRiderNotFewer', { rider: pct(most), median: pct(median) });
}
