/**
 * Display filters on decoded fields against real clients: curl's conditional GET answered
 * 304, dig +norecurse at the authoritative server, swaks sending DATA. Each filter, asked
 * through the capture API, finds exactly the messages the bytes say it should.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import type { CaptureSummary } from '../../src-main/lab/api';
import { captured, startLab, waitFor } from '../helpers/lab';
import { run } from '../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
let rows: CaptureSummary[];
const PAGE = '/wireshark-labs/HTTP-wireshark-file2.html';

async function curl(...args: string[]): Promise<string> {
  return (await run('curl', ['-s', '-i', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', ...args, `http://127.0.0.1:${port('http')}${PAGE}`])).stdout;
}
const match = (filter: string) => lab['capture.match']({ filter }, 0);
const ids = (list: CaptureSummary[]) => list.map((m) => m.id);
const messages = (list: CaptureSummary[]) => list.filter((m) => m.kind === 'message');

beforeAll(async () => {
  ({ lab, port } = await startLab());
  await lab['capture.clear']();
  const first = await curl();
  const lastModified = /Last-Modified: (.+)/.exec(first)![1].trim();
  expect(await curl('-H', `If-Modified-Since: ${lastModified}`)).toMatch(/^HTTP\/1\.1 304/);
  const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-umass')), '+tries=1', '+time=5', '+norecurse', 'gaia.cs.umass.edu', 'A']);
  expect(dig.stdout).toMatch(/flags: qr aa;/);
  const swaks = await run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--helo', 'alice-pc', '--to', 'bob@hamburger.edu', '--header', 'Subject: filters'], { timeoutMs: 15_000 });
  expect(swaks.stdout).toMatch(/250 .*queued|250 /);
  const hash = '%5a'.repeat(20);
  const announce = (peer: string, peerPort: number, extra: string) =>
    run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port('tracker')}/announce?info_hash=${hash}&peer_id=${peer.padEnd(20, 'x')}&port=${peerPort}&uploaded=0&downloaded=0&left=10${extra}`]);
  expect((await announce('-NL0100-aaaa', 26001, '&event=started')).stdout).toBe('200');
  expect((await announce('-NL0100-bbbb', 26002, '')).stdout).toBe('200');
  rows = await waitFor(async () => {
    lab.store.flush();
    const all = await captured(lab);
    // swaks' session with crepes.fr's server, then that server's relay to hamburger.edu's
    return all.filter((m) => m.protocol === 'smtp' && m.dir === 'c2s' && /^QUIT/i.test(m.summary)).length >= 2 && all;
  }, 'the SMTP session and its relay in the capture', 20_000);
}, 60_000);
afterAll(() => lab.shutdown());

describe('display filters over a real lab', () => {
  it('http.status == 304 finds the one Not Modified response', async () => {
    const expected = messages(rows).filter((m) => m.protocol === 'http' && /^HTTP\/1\.1 304 /.test(m.summary));
    expect(expected).toHaveLength(1);
    expect(await match('http.status == 304')).toEqual(ids(expected));
    expect(await match('http.status == 200 || http.status == 304')).toHaveLength(2);
  });

  it('http.method == "GET" finds both requests and no response', async () => {
    const expected = messages(rows).filter((m) => m.protocol === 'http' && m.dir === 'c2s' && /^GET \//.test(m.summary));
    expect(expected).toHaveLength(2);
    expect(await match('http.method == "GET"')).toEqual(ids(expected));
    expect(await match('http.method == "GET" && http.status == 304')).toEqual([]);
  });

  it('dns.flags.rd == 0 finds the messages whose header has RD clear, dig +norecurse\'s among them', async () => {
    const dns = rows.filter((m) => m.protocol === 'dns' && m.kind !== 'event');
    // RD is bit 8 of the flags word (RFC 1035 §4.1.1), read from the stored bytes themselves
    const rdClear = dns.filter((m) => (lab.store.bytes(m.id)!.readUInt16BE(2) & 0x0100) === 0);
    const fromDig = rdClear.filter((m) => m.service === 'dns-umass');
    expect(fromDig.map((m) => m.dir)).toEqual(['c2s', 's2c']);
    expect(await match('dns.flags.rd == 0')).toEqual(ids(rdClear));
    expect(await match('dns.flags.rd == 0 && dns.flags.qr == 0 && dns.qname contains "umass"')).toContain(fromDig[0].id);
    expect(await match('dns.qname contains "umass" && !(dns.flags.rd == 0)')).toEqual(
      ids(dns.filter((m) => !rdClear.includes(m) && /umass/.test(m.summary))),
    );
  });

  it('smtp.command == "DATA" finds the DATA commands of swaks and of the relay; tcp.stream a whole connection', async () => {
    const data = messages(rows).filter((m) => m.protocol === 'smtp' && m.dir === 'c2s' && /^DATA\b/i.test(m.summary));
    expect(data.map((m) => m.service)).toEqual(['smtp', expect.not.stringMatching(/^smtp$/)]);
    expect(await match('smtp.command == "DATA"')).toEqual(ids(data));
    const conn = data[0].conn;
    expect(await match(`tcp.stream == ${conn}`)).toEqual(ids(rows.filter((m) => m.conn === conn)));
    expect(await match(`tcp.stream == ${conn} && smtp.reply == 354`)).toHaveLength(1);
  });

  it('tracker.event == "started" finds the one announce that says so (BEP 3 query string)', async () => {
    const expected = messages(rows).filter((m) => m.service === 'tracker' && m.dir === 'c2s' && /event=started/.test(lab.store.bytes(m.id)!.toString('latin1')));
    expect(expected).toHaveLength(1);
    expect(await match('tracker.event == "started"')).toEqual(ids(expected));
    expect(await match('tracker.port == 26002 && !tracker.event')).toHaveLength(1);
  });

  it('the query path takes the filter too: the export holds what the filter selects', async () => {
    const jsonl = await lab['capture.exportJsonl']({ filter: 'http.status == 304' });
    const lines = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { id: number });
    expect(lines.map((l) => l.id)).toEqual(await match('http.status == 304'));
  });

  it('pcapng export of a field filter holds the matching connections whole, nothing else', async () => {
    const pcap = Buffer.from(await lab['capture.exportPcapng']({ filter: 'smtp.command == "DATA"' }), 'base64');
    expect(pcap.includes('DATA\r\n')).toBe(true);
    expect(pcap.includes('QUIT\r\n')).toBe(true);
    expect(pcap.includes(`GET ${PAGE}`)).toBe(false);
    expect(pcap.includes('umass')).toBe(false);
  });

  it('a mistake comes back with its character, and the capture keeps answering', async () => {
    await expect(match('http.status = 304')).rejects.toThrow(/at character 13/);
    await expect(match('smtp.comand == "DATA"')).rejects.toThrow(/"smtp.comand" is not a field.*at character 1/);
    expect(await match('smtp.command == "DATA"')).toHaveLength(2);
    // plain summary search still works beside it
    const plain = await lab['capture.match']({ text: 'Not Modified' }, 0);
    expect(plain).toEqual(await match('http.status == 304'));
  });
});
