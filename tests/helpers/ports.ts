/** Free ports for a test's lab: one per service, defaults taken from the lab itself. */
import dgram from 'node:dgram';
import net from 'node:net';
import { Lab } from '../../src-main/lab/lab';
import { RESOURCES, tempDir } from './lab';

// Every port this test file was handed: the system may hand out a port it has just handed out
// (nobody bound it yet), and two services given the same port fail in ways far from the cause
// (a proxy port that is also the web server's answers curl at once, without the proxy's delay).
const handedOut = new Set<number>();

/** A free TCP port on 127.0.0.1, never one handed out before in this test file. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

let defaults: Promise<Map<string, number>> | undefined;

/**
 * Every service a scenario can name, with its default port, from a Lab that is built but
 * never started: the services of the rail and the program relays (the same list the lab
 * checks a scenario's service ids against), so a service added later is covered at once.
 */
export function labDefaultPorts(): Promise<Map<string, number>> {
  defaults ??= (async () => {
    const lab = new Lab({ dataDir: await tempDir('netlab-ids-'), resourcesDir: RESOURCES, shell: 'browser' });
    return new Map(lab['allServices']().map((s) => [s.id, s.port]));
  })();
  return defaults;
}

/**
 * `fixed` completed with a free port for every other service. Services sharing a default
 * port (echo TCP and UDP on 12000, the tracker's HTTP and UDP on 6969) share their free one,
 * free for TCP and UDP alike.
 */
export async function labPorts(fixed: Record<string, number | false> = {}): Promise<Record<string, number | false>> {
  const byDefault = new Map<number, number>();
  const all: Record<string, number | false> = {};
  // the system may hand out a port it has just handed out (nobody bound it yet): never twice here
  const taken = new Set(Object.values(fixed).filter((p): p is number => typeof p === 'number'));
  for (const [id, port] of await labDefaultPorts()) {
    if (id in fixed) {
      all[id] = fixed[id];
      continue;
    }
    let free = byDefault.get(port);
    if (free === undefined) {
      do free = await freeTcpUdpPort();
      while (taken.has(free));
      taken.add(free);
      byDefault.set(port, free);
    }
    all[id] = free;
  }
  return { ...fixed, ...all };
}

/** A port nobody holds for TCP nor for UDP on 127.0.0.1 (a DNS or echo service binds both). */
export async function freeTcpUdpPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const free = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

