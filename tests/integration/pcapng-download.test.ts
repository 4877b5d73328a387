/**
 * Export → pcapng in the browser (issue 14): `GET /export/capture.pcapng` on the bridge
 * streams the same trace the API answers with, for the live capture or the open trace file;
 * a bad query or no open file is a clear 400, and the token is still required.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src-main/bridge/server';
import { newToken } from '../../src-main/bridge/auth';
import type { Lab } from '../../src-main/lab/lab';
import { startLab, tempDir, waitFor } from '../helpers/lab';
import { run } from '../helpers/proc';
import { openTrace } from '../helpers/trace';
import { tsharkFields, writeTemp } from '../helpers/tshark';

let lab: Lab;
let bridge: Bridge;
let token: string;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
  token = newToken();
  bridge = await startBridge({ lab, token, rendererDir: await tempDir(), port: 0, downloads: (path, params) => lab.download(path, params) });
  const curl = await run('curl', ['-s', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port('http')}/`]);
  expect(curl.code, curl.stderr).toBe(0);
  const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=5', 'gaia.cs.umass.edu', 'A']);
  expect(dig.stdout).toContain('128.119.40.205');
  await waitFor(async () => (await lab['capture.connections']()).filter((c) => c.transport === 'tcp').every((c) => c.closed !== undefined), 'closed connections', 10_000);
}, 60_000);
afterAll(async () => {
  await bridge.close();
  await lab.shutdown();
});

function get(path: string, withToken = true): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = withToken ? { Cookie: `netlab_token_${bridge.port}=${token}` } : {};
    http
      .get({ host: '127.0.0.1', port: bridge.port, path, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      })
      .on('error', reject);
  });
}

describe('GET /export/capture.pcapng', () => {
  it('streams the same trace as the API, as an attachment tshark decodes', async () => {
    const r = await get('/export/capture.pcapng');
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toBe('attachment; filename="netlab-capture.pcapng"');
    const file = await writeTemp('download.pcapng', r.body);
    const viaApi = await writeTemp('api.pcapng', Buffer.from(await lab['capture.exportPcapng']({}), 'base64'));
    // frame for frame the same (the IP identification field counts on from one export to the next)
    const fields = ['frame.len', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.flags', 'udp.srcport', 'frame.comment'];
    expect(await tsharkFields(file, 'frame', fields)).toEqual(await tsharkFields(viaApi, 'frame', fields));
    expect(await tsharkFields(file, 'http.request', ['ip.dst', 'http.host'])).toEqual([['128.119.40.205', 'gaia.cs.umass.edu']]);
  });

  it('applies the filter of the address: one service, a display filter', async () => {
    const dns = await get('/export/capture.pcapng?service=dns-local');
    const file = await writeTemp('dns.pcapng', dns.body);
    expect(await tsharkFields(file, 'http', ['frame.number'])).toEqual([]);
    expect((await tsharkFields(file, 'dns.flags.response == 0', ['dns.qry.name'])).map((r) => r[0])).toContain('gaia.cs.umass.edu');
    const filtered = await get(`/export/capture.pcapng?filter=${encodeURIComponent('http.status == 200')}`);
    expect(await tsharkFields(await writeTemp('f.pcapng', filtered.body), 'dns', ['frame.number'])).toEqual([]);
  });

  it('exports the open trace file with source=trace, and says so when none is open', async () => {
    const none = await get('/export/capture.pcapng?source=trace');
    expect(none.status).toBe(400);
    expect(none.body.toString()).toMatch(/no trace file is open/);
    const live = await get('/export/capture.pcapng?service=http');
    await openTrace(lab, 'web.pcapng', live.body);
    const again = await get('/export/capture.pcapng?source=trace');
    expect(await tsharkFields(await writeTemp('again.pcapng', again.body), 'http.request', ['http.host'])).toEqual([['gaia.cs.umass.edu']]);
  });

  it('refuses a bad query and a request without the token, and keeps serving', async () => {
    const bad = await get('/export/capture.pcapng?conn=-3');
    expect(bad.status).toBe(400);
    expect(bad.body.toString()).toMatch(/400 Bad Request: bad export query: conn/);
    const badFilter = await get(`/export/capture.pcapng?filter=${encodeURIComponent('http.status == ')}`);
    expect(badFilter.status).toBe(400);
    expect((await get('/export/capture.pcapng', false)).status).toBe(401);
    expect((await get('/export/other.txt')).status).toBe(404);
    expect((await get('/export/capture.pcapng')).status).toBe(200);
  });
});
