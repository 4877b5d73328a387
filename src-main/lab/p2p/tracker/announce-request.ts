/** What a lab peer asks its tracker in an announce, over HTTP or UDP, and what it hears back. */
export interface AnnounceRequest {
  url: string;
  infoHash: Buffer;
  peerId: Buffer;
  port: number;
  /** the loopback address the peer listens on (sent as ip=, and the request's source) */
  host: string;
  left: number;
  uploaded: number;
  downloaded: number;
  event: '' | 'started' | 'completed' | 'stopped';
  numwant: number;
}

export type AnnounceReply = { peers: { ip: string; port: number }[] } | { failure: string };
