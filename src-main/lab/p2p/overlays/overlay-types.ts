/** What the overlays area shows the UI and prints headless (K&R §2.5, Peterson & Davie ch. 9). */
import type { TextParams } from '../../lab-text';

export type OverlayKind = 'napster' | 'gnutella' | 'kazaa';
export const OVERLAY_KINDS: readonly OverlayKind[] = ['napster', 'gnutella', 'kazaa'];

/** counts every message between lab nodes, so a run knows when a flood has died out */
export interface Meter {
  /** a message left `from` for `to` (null: someone outside the lab, e.g. nc) */
  sent(from: string, to: string | null, what: string, guid?: string): void;
  /** `at` is done with a message (its forwards already sent) */
  received(at: string): void;
}

export interface OverlayHit {
  name: string;
  size: number;
  peer: string;
  ip: string;
  port: number;
  index: number;
  /** overlay links from the asker to the peer that answered */
  hops: number;
}

export interface OverlayQuery {
  overlay: OverlayKind;
  file: string;
  from: string;
  found: boolean;
  hits: OverlayHit[];
  /** query messages plus answer messages, over every link */
  messages: number;
  queryMessages: number;
  answerMessages: number;
  /** links to the nearest answer (0 when nothing was found) */
  hops: number;
  /** the node that handled the most messages for this query, and how many */
  busiest: { node: string; load: number };
  /** Gnutella/KaZaA: the query messages the flood formula predicts for this topology and TTL */
  formula?: number;
  /** the peers within TTL hops of the asker (they see the query) */
  reached?: number;
  ms: number;
  /** bytes fetched over HTTP from the first hit's peer (GET /get/<index>/<name>) */
  downloaded?: number;
}

export interface OverlayTotals {
  overlay: OverlayKind;
  queries: number;
  found: number;
  meanMessages: number;
  meanHops: number;
  /** the node that handled the most messages over all the queries (Napster: the index, every one) */
  busiestLoad: number;
  busiestNode: string;
}

export interface OverlayPeerInfo {
  name: string;
  address: string;
  port: number;
  files: number;
  superNode: boolean;
  /** gnutella neighbours */
  neighbours: string[];
  /** kazaa: the super-node this peer's list went to (itself for a super-node) */
  parent: string;
}

export interface OverlayResult {
  name: string;
  ttl: number;
  peers: OverlayPeerInfo[];
  edges: number;
  superEdges: number;
  index: { address: string; port: number };
  queries: OverlayQuery[];
  totals: OverlayTotals[];
}

export interface OverlayState {
  running: boolean;
  status: string;
  /** `status`'s catalogue key and parameters (src-main/lab/p2p/lab-text.ts); none for an error's own words */
  statusKey?: string;
  statusParams?: TextParams;
  loopback: 'distinct' | 'shared';
  result: OverlayResult | null;
  /** the last queries typed in the terminal or the view, newest last */
  asked: OverlayQuery[];
}
