/**
 * The inspector's Statistics over real traffic: curl (a 200 and a 404), dig through the
 * local DNS server (its walk of the hierarchy behind it), swaks submitting a message. The
 * counts are exact, the bytes are what curl says it sent and received, the DNS times are
 * plausible (no speed thresholds: the machine is shared).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/lab/api';
import type { Lab } from '../../src-main/lab/lab';
import { startLab, waitFor } from '../helpers/lab';
import { run } from '../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
/** what curl reported: bytes of the request, of the response's head and of its body */
const sent: { request: number; response: number }[] = [];

async function curl(path: string): Promise<number> {
  const r = await run('curl', ['-s', '-o', '/dev/null', '--max-time', '10', '-H', 'Host: www.someschool.edu', '-w', '%{http_code} %{size_request} %{size_header} %{size_download}', `http://127.0.0.1:${port('http')}${path}`]);
  const [code, request, header, body] = r.stdout.trim().split(' ').map(Number);
  sent.push({ request, response: header + body });
  return code;
}

beforeAll(async () => {
  ({ lab, port } = await startLab());
  expect(await curl('/someDepartment/home.index')).toBe(200);
  expect(await curl('/no/such/page.html')).toBe(404);
  const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=5', 'gaia.cs.umass.edu']);
  expect(dig.stdout).toContain('128.119.40.205');
  const swaks = await run(
    'swaks',
    ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--helo', 'alice-pc', '--to', 'bob@hamburger.edu', '--header', 'Subject: statistics'],
    { timeoutMs: 15_000 },
  );
  expect(swaks.code, swaks.stdout + swaks.stderr).toBe(0);
  // the relay looks up hamburger.edu's MX through the local server too: let it finish
  await waitFor(async () => (await lab['mail.mailbox']('bob@hamburger.edu')).some((m) => m.subject === 'statistics'), 'the relayed message', 10_000);
}, 60_000);
afterAll(() => lab?.shutdown());

describe('capture.statistics', () => {
  it('counts HTTP methods and statuses, and the web conversation byte for byte', async () => {
    const s = await lab['capture.statistics']({ service: 'http' });
    expect(s.httpMethods).toEqual([{ key: 'GET', count: 2 }]);
    expect(s.httpStatuses).toEqual([
      { key: '200 OK', count: 1 },
      { key: '404 Not Found', count: 1 },
    ]);
    expect(s.conversations).toHaveLength(1);
    const c = s.conversations[0];
    expect(c.connections).toBe(2);
    // curl dialled 127.0.0.1 with Host: www.someschool.edu: the lab host it reached
    expect(c.server).toMatchObject({ label: 'www.someschool.edu', name: 'www.someschool.edu', address: '127.0.0.1', port: port('http') });
    expect(c.server.virtualAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(c.messages).toBe(4);
    expect(c.bytesC2s).toBe(sent[0].request + sent[1].request);
    expect(c.bytesS2c).toBe(sent[0].response + sent[1].response);
    expect(c.durationMs).toBeGreaterThan(0);
    expect(s.protocols).toEqual([{ protocol: 'http', service: 'http', transport: 'tcp', messages: 4, bytes: c.bytesC2s + c.bytesS2c, share: 1 }]);
    // the Chunks / Messages view does not change what was counted
    expect(await lab['capture.statistics']({ service: 'http', kind: 'message' })).toEqual(s);
  });

  it('times DNS queries per server: the local server and the walk behind it', async () => {
    // the filter follows dig's name: the relay's MX lookups are left out
    const s = await lab['capture.statistics']({ text: 'gaia.cs.umass.edu' });
    const by = new Map(s.dnsServers.map((d) => [d.service, d]));
    const local = by.get('dns-local')!;
    expect(local).toMatchObject({ answered: 1, unanswered: 0 });
    expect(local.medianMs).toBe(local.maxMs);
    // the local server answered after asking the root, .edu and umass.edu servers in turn
    for (const id of ['dns-root', 'dns-edu', 'dns-umass']) {
      const d = by.get(id)!;
      expect(d.answered, id).toBe(1);
      expect(d.unanswered, id).toBe(0);
      expect(d.medianMs).toBeGreaterThan(0);
      expect(d.maxMs).toBeLessThan(local.maxMs);
    }
    const dig = s.conversations.find((c) => c.service === 'dns-local')!;
    expect(dig).toMatchObject({ transport: 'udp', messages: 2 });
    expect(dig.bytesC2s).toBeGreaterThan(20);
    expect(dig.bytesS2c).toBeGreaterThan(dig.bytesC2s);
  });

  it('pairs a query over TCP with its response too (RFC 1035 §4.2.2 length prefix)', async () => {
    const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tcp', '+tries=1', '+time=5', 'networkutopia.com', 'MX']);
    expect(dig.stdout).toContain('ANSWER SECTION');
    const s = await lab['capture.statistics']({ service: 'dns-local', text: 'networkutopia.com' });
    expect(s.dnsServers).toMatchObject([{ service: 'dns-local', answered: 1, unanswered: 0 }]);
    expect(s.conversations).toMatchObject([{ transport: 'tcp', connections: 1, messages: 2 }]);
  });

  it('counts SMTP replies by code on the submission server', async () => {
    const s = await lab['capture.statistics']({ service: 'smtp' });
    // greeting, EHLO, MAIL, RCPT, DATA's go-ahead, the message accepted, QUIT
    expect(s.smtpReplies).toEqual([
      { key: '220', count: 1 },
      { key: '221', count: 1 },
      { key: '250', count: 4 },
      { key: '354', count: 1 },
    ]);
  });

  it('builds a protocol hierarchy whose shares add up, with lab names on the conversations', async () => {
    const s = await lab['capture.statistics']({});
    const protocols = new Set(s.protocols.map((p) => p.protocol));
    for (const p of ['http', 'dns', 'smtp']) expect(protocols).toContain(p);
    expect(s.protocols.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 6);
    expect(s.protocols.reduce((a, p) => a + p.bytes, 0)).toBe(s.bytes);
    // unfiltered, the relay's lookups count too: dig's two queries (UDP, TCP), then MX and A for hamburger.edu
    expect(s.dnsServers.find((d) => d.service === 'dns-local')).toMatchObject({ answered: 4, unanswered: 0 });
    expect(s.conversations.reduce((a, c) => a + c.bytesC2s + c.bytesS2c, 0)).toBe(s.bytes);
    const root = s.conversations.find((c) => c.service === 'dns-root')!;
    expect(root.server.virtualAddress ?? root.server.name).toBeTruthy();
    // a text filter narrows the figures to what it shows
    const only404 = await lab['capture.statistics']({ service: 'http', text: '404' });
    expect(only404.httpStatuses).toEqual([{ key: '404 Not Found', count: 1 }]);
    expect(only404.httpMethods).toEqual([]);
  });

  it('refuses a malformed query and keeps counting', async () => {
    await expect(dispatch(lab, 'capture.statistics', [{ service: 'http', colour: 'red' }])).rejects.toThrow(/bad argument 0/);
    await expect(dispatch(lab, 'capture.statistics', [{ text: 'x'.repeat(201) }])).rejects.toThrow(/bad argument 0\.text/);
    expect(await curl('/someDepartment/home.index')).toBe(200);
    const s = (await dispatch(lab, 'capture.statistics', [{ service: 'http' }])) as Awaited<ReturnType<Lab['capture.statistics']>>;
    expect(s.httpStatuses).toEqual([
      { key: '200 OK', count: 2 },
      { key: '404 Not Found', count: 1 },
    ]);
  });
});
