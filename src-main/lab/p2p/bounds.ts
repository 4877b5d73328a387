/**
 * The textbook's distribution-time bounds (Kurose & Ross §2.5.1), in seconds, for a file of
 * F bytes, a server upload rate u_s and peers' rates in bytes per second:
 *   client-server  D_cs  = max{ N·F/u_s , F/d_min }
 *   P2P            D_P2P = max{ F/u_s , F/d_min , N·F/(u_s + Σu_i) }
 */
export interface BoundInput {
  fileBytes: number;
  peers: number;
  serverUpload: number;
  minDownload: number;
  /** Σ u_i over the N peers (free-riders count 0) */
  peersUpload: number;
}

export function clientServerBound(b: BoundInput): number {
  return Math.max((b.peers * b.fileBytes) / b.serverUpload, b.fileBytes / b.minDownload);
}

export function p2pBound(b: BoundInput): number {
  return Math.max(b.fileBytes / b.serverUpload, b.fileBytes / b.minDownload, (b.peers * b.fileBytes) / (b.serverUpload + b.peersUpload));
}

export interface CurvePoint {
  n: number;
  clientServer: number;
  p2p: number;
}

/** The textbook's figure: every peer uploads u, the server u_s, downloads d (Infinity: no limit). */
export function boundCurve(fileBytes: number, serverUpload: number, peerUpload: number, download: number, maxN: number): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (let n = 1; n <= maxN; n++) {
    const b = { fileBytes, peers: n, serverUpload, minDownload: download, peersUpload: n * peerUpload };
    out.push({ n, clientServer: clientServerBound(b), p2p: p2pBound(b) });
  }
  return out;
}
