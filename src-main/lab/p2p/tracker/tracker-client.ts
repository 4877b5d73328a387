/**
 * A lab peer's side of the tracker protocol: an HTTP announce (BEP 3, compact peers back),
 * or a UDP one (BEP 15, udp-tracker-client.ts) when the announce URL is udp://.
 */
import http from 'node:http';
import { parseCompactPeers } from './announce';
import { bdecode, bstr, isDict } from '../bencode';
import type { AnnounceReply, AnnounceRequest } from './announce-request';
import { UdpTrackerClient } from './udp-tracker-client';

const MAX_REPLY = 1_000_000;
const pct = (b: Buffer): string => [...b].map((x) => '%' + x.toString(16).padStart(2, '0')).join('');

/** One peer's announcer: HTTP or UDP by the URL's scheme. */
export class TrackerClient {
  private udp: UdpTrackerClient | null = null;

  constructor(
    private localAddress: string,
    private timeFactor: number,
  ) {}

  private pending = 0;

  /** an announce is still waiting for its answer */
  get busy(): boolean {
    return this.pending > 0;
  }

  async announce(r: AnnounceRequest): Promise<AnnounceReply> {
    this.pending++;
    try {
      if (!r.url.startsWith('udp://')) return await announce(r);
      this.udp ??= new UdpTrackerClient(this.localAddress, { timeFactor: this.timeFactor });
      // leaving, a peer tries twice at most rather than keep the swarm waiting (BEP 15 allows 8 retries)
      return await this.udp.announce(r, r.event === 'stopped' ? 1 : undefined);
    } finally {
      this.pending--;
    }
  }

  close(): void {
    this.udp?.close();
  }
}

export async function announce(r: AnnounceRequest): Promise<AnnounceReply> {
  const q =
    `info_hash=${pct(r.infoHash)}&peer_id=${pct(r.peerId)}&port=${r.port}&uploaded=${r.uploaded}&downloaded=${r.downloaded}` +
    `&left=${r.left}&compact=1&numwant=${r.numwant}&ip=${r.host}${r.event ? `&event=${r.event}` : ''}`;
  const v = bdecode(await httpGet(`${r.url}?${q}`, r.host));
  if (!isDict(v)) return { failure: 'the tracker answered something that is not a dictionary' };
  if (v['failure reason']) return { failure: bstr(v['failure reason']) ?? 'failure' };
  return { peers: v.peers instanceof Uint8Array ? parseCompactPeers(v.peers) : [] };
}

function httpGet(url: string, localAddress: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5000, localAddress }, (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > MAX_REPLY) req.destroy(new Error('tracker response too large'));
        else parts.push(d);
      });
      res.on('end', () => resolve(Buffer.concat(parts)));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('tracker timed out')));
    req.on('error', reject);
  });
}
