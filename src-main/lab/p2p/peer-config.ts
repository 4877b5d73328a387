/** What a lab peer is told when it is made: its torrent, its access link, its behaviour. */
import type { TapContext } from '../capture/tcp-tap';
import type { ConnectionOwner } from './connection';
import type { PickStrategy } from './picker';
import type { TorrentMeta } from './torrent';

export interface PeerConfig {
  name: string;
  meta: TorrentMeta;
  /** the whole file, for a peer that starts as a seed */
  data?: Buffer;
  uploadRate: number;
  downloadRate: number;
  strategy: PickStrategy;
  freeRider: boolean;
  afterComplete: 'stay' | 'leave';
  timeFactor: number;
  random: () => number;
  /** sends pieces with flipped bytes (to show that SHA-1 catches them) */
  corrupt?: boolean;
  slots?: number;
  /** neighbours it dials at most (it accepts twice that): fewer than the usual 30 in a swarm so
   *  big that 30 each would use more descriptors than the process may open */
  maxConnections?: number;
  port?: number;
  /** the loopback address this peer listens, dials and announces on (127.0.0.1 unless given:
   *  clients such as Transmission tell peers apart by address, and Linux routes all of 127/8) */
  host?: string;
  /** its peer id (a new random one unless given: a swarm run draws them before spreading peers over threads) */
  peerId?: Buffer;
  events?: PeerEvents;
  wire?: ConnectionOwner['onWire'];
  /** for a connection this peer dials: a tap context when the other end is outside the lab
   *  (no lab peer accepts it, so the capture happens here, client-side), else null */
  dialTap?(host: string, port: number): TapContext | null;
}

/** the peer an event is about, as a listener sees it (LabPeer is one; naming it here would make
 *  this file and peer.ts import each other) */
export interface EventPeer {
  readonly config: PeerConfig;
  readonly peerId: Buffer;
}

export interface PeerEvents {
  complete?(peer: EventPeer): void;
  badPiece?(peer: EventPeer, index: number, from: string): void;
  dropped?(peer: EventPeer, remote: string, reason: string): void;
  log?(peer: EventPeer, text: string): void;
}

