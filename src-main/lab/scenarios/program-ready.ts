/**
 * Has a server program the user just started bound its port yet? The relay in front of it
 * starts only then, so a client that connects early is refused (ECONNREFUSED) as by any
 * server not yet up, never accepted and closed at once.
 *
 * On Linux the kernel's socket tables say it without touching the program: a TCP socket in
 * LISTEN (state 0A) or a UDP socket bound to the port, in /proc/net/{tcp,udp}{,6}. Elsewhere
 * a TCP connect probe answers (the program sees one empty connection); UDP waits a moment.
 */
import fs from 'node:fs/promises';
import net from 'node:net';

const POLL_MS = 40;
const TCP_LISTEN = '0A';

/** true when /proc lists a socket of this transport bound (TCP: listening) at this port */
export async function boundInProc(transport: 'tcp' | 'udp', port: number): Promise<boolean | null> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  let seen = false;
  for (const file of [`/proc/net/${transport}`, `/proc/net/${transport}6`]) {
    let text: string;
    try {
      text = await fs.readFile(file, 'latin1');
    } catch {
      continue;
    }
    seen = true;
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || !cols[1].endsWith(`:${hex}`)) continue;
      if (transport === 'udp' || cols[3] === TCP_LISTEN) return true;
    }
  }
  return seen ? false : null;
}

function tcpAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * Wait until the program has bound `port` (resolves true), or it exited / `ms` passed (false).
 * `alive` says whether the program is still running.
 */
export async function waitUntilBound(transport: 'tcp' | 'udp', port: number, alive: () => boolean, ms = 15_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (alive() && Date.now() < until) {
    const proc = await boundInProc(transport, port);
    if (proc === true) return true;
    if (proc === null) {
      if (transport === 'tcp' && (await tcpAnswers(port))) return true;
      if (transport === 'udp') {
        await new Promise((r) => setTimeout(r, 300));
        return alive();
      }
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return false;
}
