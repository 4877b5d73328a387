/**
 * Opening a trace file in the inspector (issue 14): NetLab's own pcapng export read back
 * gives the same rows, and a capture tshark itself took of loopback (pcapng, and classic
 * pcap) opens with each request beside its response, decoded by the lab's decoders. The live
 * capture goes on untouched. Bad files get a clear error and the lab keeps serving.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CaptureSummary } from '../../src-main/lab/api';
import type { Lab } from '../../src-main/lab/lab';
import { captured, startLab, tempDir, waitFor } from '../helpers/lab';
import { run } from '../helpers/proc';
import { openTrace, tsharkOnLoopback } from '../helpers/trace';

let lab: Lab;
let port: (id: string) => number;
let dir: string;
let live: CaptureSummary[];

/** the rows a user compares: messages (not the chunks they came in, not the notes), in order */
const messages = (rows: CaptureSummary[]): string[] => rows.filter((m) => m.kind === 'message').map((m) => `${m.service} ${m.dir} ${m.summary}`);
const traceRows = (): Promise<CaptureSummary[]> => lab['trace.list']({ afterId: 0, limit: 100_000 });

beforeAll(async () => {
  ({ lab, port } = await startLab());
  dir = process.env.NETLAB_TRACE_DIR ?? (await tempDir('netlab-trace-'));
  const filter = `tcp port ${port('http')} or tcp port ${port('smtp')} or tcp port ${port('pop3')} or udp port ${port('dns-local')}`;
  const ng = await tsharkOnLoopback(path.join(dir, 'lo.pcapng'), filter);
  const classic = await tsharkOnLoopback(path.join(dir, 'lo.pcap'), filter, 'pcap');
  const curl = await run('curl', ['-s', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port('http')}/`]);
  expect(curl.code, curl.stderr).toBe(0);
  const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=5', 'gaia.cs.umass.edu', 'A']);
  expect(dig.stdout).toContain('128.119.40.205');
  const swaks = await run(
    'swaks',
    ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--helo', 'alice-pc', '--header', 'Subject: trace', '--body', 'Read back.'],
    { timeoutMs: 15_000 },
  );
  expect(swaks.code, swaks.stdout + swaks.stderr).toBe(0);
  // the relay delivers to Bob's mailbox in a moment; then POP3 retrieves it (the newest is the last)
  const box = await waitFor(async () => { const b = await lab['mail.mailbox']('bob@hamburger.edu'); return b.some((m) => m.subject === 'trace') && b; }, 'the mail in Bob\'s mailbox', 10_000);
  const index = box.length - box.findIndex((m) => m.subject === 'trace');
  const pop = await run('curl', ['-sS', '--max-time', '10', '-u', 'bob:hungry', `pop3://127.0.0.1:${port('pop3')}/${index}`]);
  expect(pop.stdout).toContain('Subject: trace');
  await waitFor(async () => (await lab['capture.connections']()).filter((c) => c.transport === 'tcp').every((c) => c.closed !== undefined), 'closed connections', 10_000);
  await Promise.all([ng.stop(), classic.stop()]);
  live = await captured(lab);
}, 90_000);
afterAll(() => lab.shutdown());

describe('a trace file opened in the inspector', () => {
  it('reads NetLab\'s own export back as the same messages in the same order, with the real endpoints and services', async () => {
    const exported = Buffer.from(await lab['capture.exportPcapng']({}), 'base64');
    const info = await openTrace(lab, 'netlab-capture.pcapng', exported, 64 * 1024);
    expect(info).toMatchObject({ name: 'netlab-capture.pcapng', format: 'pcapng', netlab: true, warnings: [] });
    const rows = await traceRows();
    expect(messages(rows)).toEqual(messages(live));
    const conns = await lab['trace.connections']();
    const web = conns.find((c) => c.service === 'http')!;
    expect(web.client.address).toBe('127.0.0.1');
    expect(web.server).toMatchObject({ port: port('http'), virtualAddress: '128.119.40.205' });
    expect(conns.filter((c) => c.transport === 'tcp').every((c) => c.closed !== undefined)).toBe(true);
  });

  it('opens tshark\'s own pcapng of loopback: the GET beside its 200, the query beside its answer, the mail session decoded', async () => {
    const info = await openTrace(lab, 'lo.pcapng', await fs.readFile(path.join(dir, 'lo.pcapng')));
    expect(info).toMatchObject({ format: 'pcapng', netlab: false, warnings: [] });
    await expectPairs();
  });

  it('opens a classic pcap tshark wrote (-F pcap) the same way', async () => {
    const info = await openTrace(lab, 'lo.pcap', await fs.readFile(path.join(dir, 'lo.pcap')));
    expect(info).toMatchObject({ format: 'pcap', netlab: false });
    await expectPairs();
  });

  it('refuses a random file, a cut header and an oversize upload with clear errors; the open file, the live capture and the lab stay', async () => {
    const before = await captured(lab);
    const opened = await lab['trace.info']();
    await expect(openTrace(lab, 'noise.bin', Buffer.from('this is not a packet trace at all, just text'))).rejects.toThrow(/noise\.bin: not a pcap or pcapng file: it starts with 74686973/);
    const head = await fs.readFile(path.join(dir, 'lo.pcapng'));
    await expect(openTrace(lab, 'cut.pcapng', head.subarray(0, 20))).rejects.toThrow(/cut\.pcapng: not a whole pcapng file: its section header is cut short/);
    await expect(dispatch(lab, 'trace.begin', ['huge.pcapng', 300 * 1024 * 1024])).rejects.toThrow(/huge\.pcapng is 300\.0 MB: the inspector opens trace files up to 200\.0 MB/);
    const { upload } = (await dispatch(lab, 'trace.begin', ['liar.pcap', 10])) as { upload: number };
    await expect(dispatch(lab, 'trace.piece', [upload, 0, Buffer.alloc(20).toString('base64')])).rejects.toThrow(/more bytes than the 10 announced/);
    expect(await lab['trace.info']()).toEqual(opened);
    const curl = await run('curl', ['-s', '--max-time', '10', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port('http')}/`]);
    expect(curl.stdout).toBe('200');
    const after = await waitFor(async () => { const rows = await captured(lab); return rows.length > before.length && rows; }, 'the new GET in the live capture');
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('opens a file cut mid-packet with the packets before the cut, and says where it ended', async () => {
    const whole = await fs.readFile(path.join(dir, 'lo.pcapng'));
    const info = await openTrace(lab, 'cut.pcapng', whole.subarray(0, whole.length - 30));
    expect(info.warnings.join(' ')).toMatch(/the file is cut short: a block at byte \d+ needs \d+ bytes/);
    expect(messages(await traceRows())).toContain(messages(await traceRows())[0]);
    expect(info.packets).toBeGreaterThan(10);
  });
});

/** The open trace pairs each request with its response on one connection, decoded. */
async function expectPairs(): Promise<void> {
  const rows = (await traceRows()).filter((m) => m.kind === 'message');
  const conns = await lab['trace.connections']();
  // the lab's ports were the system's pick: each connection is known by its first bytes
  const byConn = (protocol: string): CaptureSummary[] => {
    const c = conns.find((x) => x.protocol === protocol);
    expect(c, `a ${protocol} connection`).toBeDefined();
    return rows.filter((m) => m.conn === c!.id);
  };
  const web = byConn('http');
  expect(web.map((m) => m.dir)).toEqual(['c2s', 's2c']);
  expect(web[0].summary).toMatch(/^GET \/ HTTP\/1\.1 · Host: gaia\.cs\.umass\.edu/);
  expect(web[1].summary).toMatch(/^HTTP\/1\.1 200 OK/);
  // the display filter and the statistics read the file's capture too
  expect(await lab['trace.match']({ filter: 'http.status == 200' }, 0)).toEqual([web[1].id]);
  const stats = await lab['trace.statistics']({});
  expect(stats.httpMethods.map((c) => [c.key, c.count])).toEqual([['GET', 1]]);
  expect(stats.httpStatuses.map((c) => c.count)).toEqual([1]);
  const dns = byConn('dns');
  expect(dns.map((m) => m.dir)).toEqual(['c2s', 's2c']);
  expect(dns[0].summary).toMatch(/gaia\.cs\.umass\.edu/);
  expect(dns[1].summary).toMatch(/128\.119\.40\.205/);
  const smtp = byConn('smtp').map((m) => m.summary);
  expect(smtp.join('\n')).toMatch(/EHLO alice-pc[\s\S]*MAIL FROM[\s\S]*RCPT TO[\s\S]*DATA[\s\S]*QUIT/);
  const pop = byConn('pop3').map((m) => m.summary);
  expect(pop.join('\n')).toMatch(/RETR \d+[\s\S]*\+OK/);
  expect(conns.find((c) => c.protocol === 'http')!.closed).toBeDefined();
}
