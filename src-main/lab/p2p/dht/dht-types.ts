/** What the DHT area shows the UI and prints headless: the ring, its peers, its lookups. */
import type { TextParams } from '../../lab-text';

export interface DhtPeerState {
  id: number;
  address: string;
  port: number;
  pred: number | null;
  succ: number[];
  /** finger i = successor(id + 2^i), when shortcuts are on */
  fingers: number[];
  /** keys it is responsible for */
  primary: number[];
  /** keys it holds as copies for its predecessors */
  replicas: number;
}

export interface DhtLookup {
  key: number;
  /** the peer that asked */
  from: number;
  responsible: number | null;
  /** query messages (the origin's first included) */
  hops: number;
  /** hops plus the answer, as K&R count them */
  messages: number;
  ms: number;
  /** the peers the query visited, the origin first */
  path: number[];
  ok: boolean;
  /** what the ring said when it was asked for the key's value (get) */
  value?: string;
}

export interface DhtTextbook {
  n: number;
  /** successors only: N/2 messages per query on average (K&R) */
  successorsOnly: number;
  /** with shortcuts: about log2 N */
  shortcuts: number;
}

export interface DhtState {
  running: boolean;
  name: string;
  bits: number;
  shortcuts: boolean;
  replication: number;
  /** distinct: each peer on its own 127.0.0.x; shared: all on 127.0.0.1, told apart by port */
  loopback: 'distinct' | 'shared';
  peers: DhtPeerState[];
  /** the last lookups, newest last */
  lookups: DhtLookup[];
  textbook: DhtTextbook;
  /** what the last scenario run is doing, or its error */
  status: string;
  /** `status`'s catalogue key and parameters (src-main/lab/p2p/lab-text.ts); none for an error's own words */
  statusKey?: string;
  statusParams?: TextParams;
}

export interface DhtTotals {
  lookups: number;
  failed: number;
  messages: number;
  meanHops: number;
  meanMessages: number;
  medianMs: number;
  /** how long the lookups took, all of them (lookups per second = lookups / seconds) */
  seconds?: number;
  /** the lab's CPU time (every thread, user + system) while the lookups ran, in ms */
  cpuMs?: number;
  /** the threads the ring's peers were spread over */
  threads?: number;
}

/** `netlab dht FILE.yaml --json`: one object */
export interface DhtResult {
  name: string;
  bits: number;
  shortcuts: boolean;
  replication: number;
  peers: number[];
  lookups: DhtLookup[];
  totals: DhtTotals;
  textbook: DhtTextbook;
  keysStored: number;
  keysLost: number[];
  churn: { at: number; event: string }[];
}
