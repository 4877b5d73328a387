/**
 * One loopback address per lab peer. Real clients tell peers apart by IP address
 * (Transmission keeps one connection per address; ctorrent takes a peer on its own address
 * for itself), so a swarm whose peers all sit on 127.0.0.1 looks to them like one peer.
 * Linux routes all of 127.0.0.0/8 to the loopback interface (RFC 1122 §3.2.1.3 reserves the
 * whole block), so each peer listens, dials and announces on 127.0.0.2, 127.0.0.3, …
 * macOS answers only 127.0.0.1 unless aliases are added (`sudo ifconfig lo0 alias 127.0.0.2 up`,
 * one per address), and other systems may too: one bind to 127.0.0.2 tells, and where it fails
 * the peers share 127.0.0.1 and differ by port only (the Swarm view says so).
 */
import net from 'node:net';

export type LoopbackMode = 'distinct' | 'shared';

let probed: Promise<LoopbackMode> | null = null;

/** Whether this machine lets a socket bind 127.0.0.2 (tried once, then remembered);
 *  NETLAB_SWARM_LOOPBACK=shared puts every peer on 127.0.0.1 anyway, as on macOS. */
export function loopbackMode(): Promise<LoopbackMode> {
  if (process.env.NETLAB_SWARM_LOOPBACK === 'shared') return Promise.resolve('shared');
  probed ??= new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve('shared'));
    s.listen(0, '127.0.0.2', () => s.close(() => resolve('distinct')));
  });
  return probed;
}

/** The address of the i-th lab peer of a swarm (0: the server): 127.0.0.2 up, skipping
 *  127.0.0.1 (the lab's services and the tracker) and the .0/.255 of each /24. */
export function peerAddress(i: number, mode: LoopbackMode): string {
  if (mode === 'shared') return '127.0.0.1';
  const k = i + 1;
  return `127.${Math.floor(k / 254 / 256) % 256}.${Math.floor(k / 254) % 256}.${(k % 254) + 1}`;
}

