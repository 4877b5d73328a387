/**
 * A swarm run's result from its members' facts: each peer's completion against the §2.5.1
 * bounds, what it uploaded and to whom, whether what it holds is the file. The same whether a
 * member ran in the lab's thread or in a worker thread (remote-peer.ts).
 */
import { boundCurve, clientServerBound, p2pBound } from './bounds';
import type { SwarmPeer } from './remote-peer';
import type { SwarmScenario } from './swarm-scenario';
import type { SwarmResult } from './swarm-types';

export interface ResultMember {
  peer: SwarmPeer;
  role: 'server' | 'leecher';
  joinAt: number;
  freeRider: boolean;
  upload: number;
  download: number;
  churned: boolean;
}

export interface ResultInput {
  scenario: SwarmScenario;
  members: readonly ResultMember[];
  byId: ReadonlyMap<string, SwarmPeer>;
  fileBytes: number;
  pieces: number;
  fileSha1: string;
  infoHash: string;
  /** performance.now() when the run started */
  startedAt: number;
  timedOut: boolean;
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function swarmResult(r: ResultInput): SwarmResult {
  const s = r.scenario;
  const leechers = r.members.filter((m) => m.role === 'leecher');
  const downloads = leechers.map((m) => (m.download > 0 ? m.download : Infinity));
  const boundInput = {
    fileBytes: r.fileBytes,
    peers: leechers.length,
    serverUpload: s.server.upload,
    minDownload: Math.min(...downloads),
    peersUpload: leechers.reduce((sum, m) => sum + (m.freeRider ? 0 : m.upload), 0),
  };
  const name = (id: string): string | undefined => r.byId.get(id)?.name;
  const fromLeechers = new Map<string, number>();
  const slots = new Map<string, number>();
  let rounds = 0;
  for (const m of leechers) {
    rounds += m.peer.slots.leechingRounds;
    for (const [id, n] of m.peer.slots.regularSlots) {
      const to = name(id);
      if (to) slots.set(to, (slots.get(to) ?? 0) + n);
    }
  }
  for (const m of leechers) {
    for (const [id, bytes] of m.peer.uploadedWhileLeeching) {
      const to = name(id);
      if (to) fromLeechers.set(to, (fromLeechers.get(to) ?? 0) + bytes);
    }
  }
  const peers = r.members.map((m) => {
    const completedAt = m.peer.completedAt === null ? null : round((m.peer.completedAt - r.startedAt) / 1000);
    const totals = m.peer.totals();
    return {
      name: m.peer.name,
      role: m.role,
      joinAt: m.joinAt,
      completedAt,
      completionTime: completedAt === null ? null : round(completedAt - (m.role === 'server' ? 0 : m.joinAt)),
      upload: m.upload,
      download: m.download,
      freeRider: m.freeRider,
      churned: m.churned,
      uploaded: totals.up,
      downloaded: totals.down,
      fromLeechers: fromLeechers.get(m.peer.name) ?? 0,
      regularShare: rounds ? round((slots.get(m.peer.name) ?? 0) / rounds) : 0,
      badPieces: m.peer.badPieces,
      hashOk: m.peer.completedAt === null ? null : m.peer.dataSha1() === r.fileSha1,
      host: m.peer.host,
      toOutside: [...m.peer.uploadedTo].reduce((n, [id, bytes]) => n + (r.byId.has(id) ? 0 : bytes), 0),
    };
  });
  const contributors = leechers.filter((m) => !m.freeRider);
  const meanUpload = contributors.length ? contributors.reduce((n, m) => n + m.upload, 0) / contributors.length : s.server.upload / 10;
  const curve = boundCurve(r.fileBytes, s.server.upload, meanUpload, boundInput.minDownload, Math.max(30, 2 * leechers.length)).map((p) => ({
    n: p.n,
    clientServer: round(p.clientServer),
    p2p: round(p.p2p),
  }));
  const finishers = peers.filter((p) => p.role === 'leecher' && !p.churned);
  const distributionTime = finishers.every((p) => p.completedAt !== null) ? Math.max(0, ...finishers.map((p) => p.completedAt ?? 0)) : null;
  return {
    name: s.name,
    fileBytes: r.fileBytes,
    chunkBytes: s.file.chunkSize,
    pieces: r.pieces,
    n: leechers.length,
    serverUpload: s.server.upload,
    distributionTime,
    bounds: { clientServer: round(clientServerBound(boundInput)), p2p: round(p2pBound(boundInput)) },
    peers,
    timedOut: r.timedOut,
    fileSha1: r.fileSha1,
    infoHash: r.infoHash,
    fOverU: round(r.fileBytes / meanUpload),
    curve,
  };
}
