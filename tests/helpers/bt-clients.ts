/**
 * Real BitTorrent clients from Debian for the swarm tests: transmission-cli and ctorrent, each
 * in folders of its own, speaking plain TCP peer wire (no DHT, LPD, PEX, uTP or encryption
 * preference in the way). `start()` when the lab side is ready; `downloaded()` waits for the file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, waitFor } from './lab';
import { freePort } from './ports';

export const HAVE_TRANSMISSION = fs.existsSync('/usr/bin/transmission-cli');
export const HAVE_CTORRENT = fs.existsSync('/usr/bin/ctorrent');

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

export interface RealClient {
  port: number;
  start(): ChildProcess;
  /** wait until the client holds the whole file, byte for byte */
  downloaded(name: string, data: Buffer, ms?: number): Promise<unknown>;
}

function client(downloads: string, port: number, label: string, spawnIt: () => ChildProcess): RealClient {
  return {
    port,
    start(): ChildProcess {
      const child = spawnIt();
      // NETLAB_DEBUG_CLIENTS=1 shows what the client says
      const show = (d: Buffer): void => void (process.env.NETLAB_DEBUG_CLIENTS && console.log(`${label}: ${String(d).trim()}`));
      child.stderr?.on('data', show);
      child.stdout?.on('data', show);
      return child;
    },
    downloaded: (name, data, ms = 40_000) => {
      const out = path.join(downloads, name);
      return waitFor(() => fs.existsSync(out) && fs.statSync(out).size === data.length && sha1(fs.readFileSync(out)) === sha1(data), `${label} to finish the download`, ms);
    },
  };
}

export async function transmission(prefix: string, torrent: Buffer): Promise<RealClient> {
  const dir = await tempDir(prefix);
  const file = path.join(dir, 'lab.torrent');
  fs.writeFileSync(file, torrent);
  const config = path.join(dir, 'config');
  const downloads = path.join(dir, 'downloads');
  fs.mkdirSync(config);
  fs.mkdirSync(downloads);
  const port = await freePort();
  fs.writeFileSync(
    path.join(config, 'settings.json'),
    JSON.stringify({ 'dht-enabled': false, 'lpd-enabled': false, 'pex-enabled': false, 'utp-enabled': false, encryption: 0, 'port-forwarding-enabled': false, 'peer-port': port, 'rpc-enabled': false, 'ratio-limit-enabled': false, 'idle-seeding-limit-enabled': false }),
  );
  const args = ['-g', config, '-w', downloads, '-p', String(port), '-et', '-M', '-D', '-U', file];
  return client(downloads, port, 'transmission', () => spawn('/usr/bin/transmission-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Enhanced CTorrent: saves into its own folder, exits once it has the file (-e 0: seed 0 hours) */
export async function ctorrent(prefix: string, torrent: Buffer, name: string): Promise<RealClient> {
  const dir = await tempDir(prefix);
  const file = path.join(dir, 'lab.torrent');
  fs.writeFileSync(file, torrent);
  const downloads = path.join(dir, 'downloads');
  fs.mkdirSync(downloads);
  const port = await freePort();
  const args = ['-e', '0', '-p', String(port), '-s', path.join(downloads, name), '-M', '50', file];
  return client(downloads, port, 'ctorrent', () => spawn('/usr/bin/ctorrent', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir }));
}
