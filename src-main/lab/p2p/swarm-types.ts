/** What a swarm run reports: live snapshots for the Swarm view and the final result. */
export interface SwarmPeerView {
  name: string;
  role: 'server' | 'leecher';
  state: 'waiting' | 'leeching' | 'seeding' | 'left';
  /** one character per piece: '1' have, '0' missing */
  have: string;
  /** bytes/s over the last snapshot interval */
  downRate: number;
  upRate: number;
  uploadCap: number;
  downloadCap: number;
  freeRider: boolean;
  joinAt: number;
  completedAt: number | null;
  /** the loopback address it listens, dials and announces on */
  host: string;
  port: number;
}

export interface SwarmEdgeView {
  /** data flows from → to */
  from: string;
  to: string;
  rate: number;
  /** `from` chokes `to` */
  choked: boolean;
  optimistic: boolean;
  /** `to` is interested in `from` */
  interested: boolean;
}

export interface SwarmSnapshot {
  name: string;
  running: boolean;
  /** seconds since the swarm started */
  t: number;
  pieces: number;
  fileBytes: number;
  peers: SwarmPeerView[];
  edges: SwarmEdgeView[];
  /** how many peers hold each piece */
  availability: number[];
  /** where the peers announce (http://…/announce, or udp://… for BEP 15) */
  tracker: string;
  /** 'p2p' while the swarm runs, 'baseline' while the client-server baseline still runs after it, then 'done' */
  phase: SwarmPhase;
  /** the client-server baseline (§2.5.1), when the scenario asks for it */
  baseline: SwarmBaselineView | null;
  /** distinct: each peer on its own 127.0.0.x; shared: all on 127.0.0.1 (macOS, Windows), told apart by port */
  addresses: 'distinct' | 'shared';
}

export type SwarmPhase = 'p2p' | 'baseline' | 'done';

export interface SwarmBaselineView {
  state: 'running' | 'done' | 'failed';
  /** bytes received by all clients together ÷ N·F */
  progress: number;
  clientsDone: number;
  clients: number;
}

export interface SwarmBounds {
  clientServer: number;
  p2p: number;
}

export interface SwarmPeerResult {
  name: string;
  role: 'server' | 'leecher';
  joinAt: number;
  /** seconds since the swarm started, null if it never completed */
  completedAt: number | null;
  /** seconds from joining to completing */
  completionTime: number | null;
  upload: number;
  download: number;
  freeRider: boolean;
  churned: boolean;
  uploaded: number;
  downloaded: number;
  /** bytes received from peers that were still downloading themselves (tit-for-tat's currency) */
  fromLeechers: number;
  /** tit-for-tat slots leechers gave this peer, per rechoke round of theirs (0..1) */
  regularShare: number;
  badPieces: number;
  hashOk: boolean | null;
  host: string;
  /** bytes uploaded to clients outside the lab (a real BitTorrent client that joined the swarm) */
  toOutside: number;
}

export interface CurvePoint {
  n: number;
  clientServer: number;
  p2p: number;
}

export interface SwarmResult {
  name: string;
  fileBytes: number;
  chunkBytes: number;
  pieces: number;
  n: number;
  serverUpload: number;
  /** seconds until every leecher that stayed had the whole file; null when some never did */
  distributionTime: number | null;
  bounds: SwarmBounds;
  peers: SwarmPeerResult[];
  baseline?: { distributionTime: number; bound: number; clients: number[] };
  timedOut: boolean;
  fileSha1: string;
  infoHash: string;
  /** F/u in seconds (u: the peers' mean upload rate), the unit of the textbook's figure */
  fOverU: number;
  /** the bounds for N = 1.. with this scenario's F, u_s, u and d_min (seconds) */
  curve: CurvePoint[];
  /** the worker threads the peers were spread over (absent: all in one thread) */
  threads?: number;
}

/** A finished run, kept for the plot's measured points. */
export interface SwarmHistoryEntry {
  name: string;
  n: number;
  fOverU: number;
  usOverU: number;
  distributionTime: number | null;
  baseline: number | null;
  bounds: SwarmBounds;
}

export interface SwarmState {
  /** the P2P part runs (the peers exchange pieces) */
  running: boolean;
  /** the run's phase: a new run may start only when it is 'done' */
  phase: SwarmPhase;
  snapshot: SwarmSnapshot | null;
  result: SwarmResult | null;
  history: SwarmHistoryEntry[];
  /** the .torrent of the current or last run, base64 (for a real client) */
  torrent: string | null;
}

/** A scenario file (swarm or lab): shipped in resources/scenarios, or the user's copy in the data directory. */
export interface ScenarioFile {
  name: string;
  path: string;
  text: string;
  shipped: boolean;
}

/** A scenario text checked against its schema: the first error, at its line. */
export interface ScenarioCheck {
  ok: boolean;
  error?: string;
  line?: number;
}

export type SwarmFile = ScenarioFile;
export type SwarmValidation = ScenarioCheck;
