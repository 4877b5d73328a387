/**
 * `netlab serve --pcapng FILE` (issue 14): the capture written as it happens, so tshark reads
 * the file mid-run and finds each exchange once its batch is out; Ctrl-C leaves a whole file.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../src-main/cli-args';
import { tempDir, waitFor } from '../helpers/lab';
import { run } from '../helpers/proc';
import { serve, type Served } from '../helpers/serve';
import { tsharkComplaints, tsharkFields } from '../helpers/tshark';

let lab: Served;
let file: string;
beforeAll(async () => {
  file = path.join(await tempDir('netlab-live-'), 'live.pcapng');
  lab = await serve({ args: ['--pcapng', file] });
}, 30_000);
afterAll(async () => {
  await lab.stop();
});

const port = (id: string): number => lab.ports[id] as number;

describe('netlab serve --pcapng', () => {
  it('says where it writes, and the file is a valid empty trace before any traffic', async () => {
    expect(lab.output()).toContain(`Writing the capture to ${file}`);
    const r = await run('tshark', ['-r', file]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('has each exchange in the file while the lab runs: a GET, then a DNS query after it', async () => {
    const curl = await run('curl', ['-s', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port('http')}/`]);
    expect(curl.code, curl.stderr).toBe(0);
    const gets = await waitFor(async () => {
      const rows = await tsharkFields(file, 'http.request.method == "GET"', ['ip.dst', 'tcp.dstport', 'http.host']);
      return rows.length > 0 && rows;
    }, 'the GET in the live file', 15_000);
    expect(gets).toEqual([['128.119.40.205', '80', 'gaia.cs.umass.edu']]);

    const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=5', 'www.networkutopia.com', 'A']);
    expect(dig.stdout).toContain('212.212.212.4');
    await waitFor(async () => (await tsharkFields(file, 'dns.a == 212.212.212.4', ['dns.qry.name'])).length > 0, 'the DNS answer in the live file', 15_000);
    expect(await tsharkComplaints(file)).toBe('');
  });

  it('a file that cannot be written is a clear error before the lab starts', async () => {
    const r = await run(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'netlab.mjs'), 'serve', '--no-open', '--ui-port', '0', '--pcapng', '/nonexistent-dir/x.pcapng']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pcapng \/nonexistent-dir\/x\.pcapng: cannot write the file/);
    expect(parseCli(['serve', '--pcapng', ''])).toMatchObject({ command: 'error' });
    expect(parseCli(['serve', '--pcapng', 'a.pcapng'])).toMatchObject({ command: 'serve', pcapng: 'a.pcapng' });
  });

  it('on Ctrl-C writes the FIN/ACKs of a connection still open, and leaves the file whole', async () => {
    const echo = lab.echoPort;
    const socket = net.connect(echo, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const synOf = `tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.srcport == ${socket.localPort}`;
    const finOf = `tcp.flags.fin == 1 && tcp.port == ${socket.localPort}`;
    await waitFor(async () => (await tsharkFields(file, synOf, ['tcp.dstport'])).length === 1, 'the open connection\'s SYN in the live file', 15_000);
    expect(await tsharkFields(file, finOf, ['tcp.srcport'])).toEqual([]);
    await lab.stop();
    socket.destroy();
    const bytes = await fs.readFile(file);
    // the last block ends on its trailing length, equal to the length at its start
    const last = bytes.readUInt32LE(bytes.length - 4);
    expect(bytes.readUInt32LE(bytes.length - last + 4)).toBe(last);
    expect((await tsharkFields(file, finOf, ['tcp.srcport'])).length).toBe(2);
    expect(await tsharkComplaints(file)).toBe('');
  });
});
