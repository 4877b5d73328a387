/** Reading a pcapng file with the real tshark, as a student's Wireshark would. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from './lab';
import { run } from './proc';

/** tshark's fields of every frame a display filter selects, one array per frame. */
export async function tsharkFields(file: string, filter: string, fields: string[]): Promise<string[][]> {
  const r = await run('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`tshark -Y ${filter}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

/** tshark checks every checksum it can (Wireshark's defaults leave IP, TCP and UDP unchecked) */
const CHECK_CHECKSUMS = ['ip.check_checksum', 'tcp.check_checksum', 'udp.check_checksum'].flatMap((o) => ['-o', `${o}:TRUE`]);

/** What tshark finds wrong: malformed packets, expert errors (a bad checksum is one), TCP analysis flags. */
export async function tsharkComplaints(file: string): Promise<string> {
  const r = await run('tshark', ['-n', '-r', file, ...CHECK_CHECKSUMS, '-Y', '_ws.malformed || _ws.expert.severity >= error || tcp.analysis.flags'], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`tshark: ${r.stderr}`);
  return r.stdout;
}

export async function writeTemp(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(await tempDir('netlab-pcap-'), name);
  await fs.writeFile(file, bytes);
  return file;
}
