/**
 * The capture exported as pcapng (issue 14): real clients (curl, swaks, curl's pop3:// and imap://, dig) against a lab,
 * the file read by the real tshark. It must decode HTTP, SMTP, POP3, IMAP and DNS by port alone, show
 * the lab's virtual addresses, and find nothing malformed and no TCP analysis complaint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/lab/api';
import type { Lab } from '../../src-main/lab/lab';
import { startLab, waitFor } from '../helpers/lab';
import { run } from '../helpers/proc';
import { tsharkComplaints, tsharkFields, writeTemp } from '../helpers/tshark';

let lab: Lab;
let port: (id: string) => number;
let file: string;

beforeAll(async () => {
  ({ lab, port } = await startLab());
  const curl = await run('curl', ['-s', '--max-time', '10', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port('http')}/`]);
  expect(curl.code, curl.stderr).toBe(0);
  // the same page through the proxy cache (K&R §2.2.5): a second leg, the proxy to gaia
  const proxied = await run('curl', ['-s', '--max-time', '10', '-x', `http://127.0.0.1:${port('proxy')}`, 'http://gaia.cs.umass.edu/kurose_ross/interactive/index.php']);
  expect(proxied.code, proxied.stderr).toBe(0);
  const swaks = await run(
    'swaks',
    ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--helo', 'alice-pc', '--header', 'Subject: pcap', '--body', 'Over the wire.'],
    { timeoutMs: 15_000 },
  );
  expect(swaks.code, swaks.stdout + swaks.stderr).toBe(0);
  const pop = await run('curl', ['-sS', '--max-time', '10', '-u', 'bob:hungry', `pop3://127.0.0.1:${port('pop3')}/`]);
  expect(pop.code, pop.stderr).toBe(0);
  const imap = await run('curl', ['-sS', '--max-time', '10', '-u', 'bob:hungry', `imap://127.0.0.1:${port('imap')}/INBOX?ALL`]);
  expect(imap.code, imap.stderr).toBe(0);
  const dig = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=5', 'gaia.cs.umass.edu', 'A']);
  expect(dig.stdout).toContain('128.119.40.205');
  const dig6 = await run('dig', ['@::1', '-p', String(port('dns-local')), '+tries=1', '+time=5', 'www.networkutopia.com', 'A']);
  expect(dig6.stdout).toContain('212.212.212.4');
  // the three connections have closed in the capture (the server side sees the FIN last)
  await waitFor(async () => (await lab['capture.connections']()).filter((c) => c.transport === 'tcp' && c.service !== 'swarm').every((c) => c.closed !== undefined), 'closed connections', 10_000);
  file = await writeTemp('lab.pcapng', Buffer.from(await lab['capture.exportPcapng']({}), 'base64'));
}, 60_000);
afterAll(() => lab.shutdown());

describe('pcapng export read by tshark', () => {
  it('decodes the GET at gaia\'s virtual address on port 80, and its 200 response', async () => {
    const gets = await tsharkFields(file, 'http.request.method == "GET" && tcp.dstport == 80', ['ip.dst', 'http.host', 'http.request.uri']);
    expect(gets[0]).toEqual(['128.119.40.205', 'gaia.cs.umass.edu', '/']);
    const responses = await tsharkFields(file, 'http.response && tcp.srcport == 80', ['ip.src']);
    expect(responses[0]).toEqual(['128.119.40.205']);
  });

  it('shows the proxied GET twice: to the proxy on 3128 with the absolute URI, and from the proxy to gaia on 80', async () => {
    const toProxy = await tsharkFields(file, 'http.request && tcp.dstport == 3128', ['http.request.uri']);
    expect(toProxy).toEqual([['http://gaia.cs.umass.edu/kurose_ross/interactive/index.php']]);
    const toOrigin = await tsharkFields(file, 'http.request && tcp.dstport == 80', ['ip.dst', 'http.request.uri']);
    expect(toOrigin.map((r) => r.join(' '))).toContain('128.119.40.205 /kurose_ross/interactive/index.php');
  });

  it('decodes the SMTP session command by command on port 25', async () => {
    const commands = (await tsharkFields(file, 'smtp.req.command && tcp.dstport == 25', ['smtp.req.command'])).map((r) => r[0]);
    expect(commands).toEqual(expect.arrayContaining(['EHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT']));
    const imf = await tsharkFields(file, 'imf', ['imf.subject']);
    expect(imf.map((r) => r[0])).toContain('pcap');
  });

  it('names the host each service stands for: mail.crepes.fr at 192.0.2.21 for swaks, the local DNS server for dig, the proxy cache for curl -x', async () => {
    // swaks dialled 127.0.0.1: the submission server is mail.crepes.fr, in the inspector and the trace
    const ehlo = await tsharkFields(file, 'smtp.req.command == "EHLO"', ['ip.dst', 'tcp.dstport']);
    expect(ehlo[0]).toEqual(['192.0.2.21', '25']);
    const conns = await lab['capture.connections']();
    const from = (service: string) => conns.filter((c) => c.service === service && !c.client.name).map((c) => c.server);
    expect(from('smtp')[0]).toMatchObject({ name: 'mail.crepes.fr', virtualAddress: '192.0.2.21', address: '127.0.0.1', port: port('smtp') });
    expect(from('dns-local').map((e) => e.name)).toEqual(['local DNS server', 'local DNS server']);
    expect(from('proxy')[0]).toMatchObject({ name: 'proxy cache', address: '127.0.0.1' });
    const comments = (await tsharkFields(file, 'frame.comment contains "service dns-local"', ['frame.comment'])).map((r) => r[0]);
    expect(comments[0]).toMatch(/→ server local DNS server \(real 127\.0\.0\.1:\d+\)/);
  });

  it('decodes the POP3 commands on port 110', async () => {
    const commands = (await tsharkFields(file, 'pop.request.command', ['pop.request.command'])).map((r) => r[0]);
    expect(commands).toEqual(['CAPA', 'APOP', 'LIST', 'QUIT']); // curl logs in with APOP when the greeting offers it
  });

  it('decodes the IMAP commands on port 143', async () => {
    const commands = (await tsharkFields(file, 'imap.request && tcp.dstport == 143', ['imap.request.command'])).map((r) => r[0].toUpperCase());
    expect(commands).toEqual(expect.arrayContaining(['CAPABILITY', 'AUTHENTICATE', 'SELECT', 'SEARCH', 'LOGOUT']));
  });

  it('decodes the DNS query and its answer on port 53', async () => {
    const queries = await tsharkFields(file, 'dns.flags.response == 0 && udp.dstport == 53', ['dns.qry.name']);
    expect(queries.map((r) => r[0])).toContain('gaia.cs.umass.edu');
    const answers = await tsharkFields(file, 'dns.a == 128.119.40.205', ['dns.qry.name']);
    expect(answers.length).toBeGreaterThan(0);
  });

  it('shows a query over ::1 as IPv6 from and to ::1', async () => {
    const rows = await tsharkFields(file, 'ipv6 && dns.flags.response == 0', ['ipv6.src', 'ipv6.dst', 'udp.dstport', 'dns.qry.name']);
    expect(rows).toEqual([['::1', '::1', '53', 'www.networkutopia.com']]);
  });

  it('refuses a malformed query with a clear error, and exports again after it', async () => {
    await expect(dispatch(lab, 'capture.exportPcapng', [{ kind: 'packet' }])).rejects.toThrow(/capture\.exportPcapng: bad argument 0\.kind/);
    await expect(dispatch(lab, 'capture.exportPcapng', [{ conn: -1 }])).rejects.toThrow(/bad argument 0\.conn/);
    const again = Buffer.from((await dispatch(lab, 'capture.exportPcapng', [{ service: 'smtp' }])) as string, 'base64');
    expect(again.readUInt32LE(0)).toBe(0x0a0d0d0a); // a Section Header Block
  });

  it('synthesizes each TCP handshake and close: one SYN, SYN/ACK and FIN pair per connection', async () => {
    const syns = await tsharkFields(file, 'tcp.flags.syn == 1 && tcp.flags.ack == 0', ['tcp.stream']);
    const synAcks = await tsharkFields(file, 'tcp.flags.syn == 1 && tcp.flags.ack == 1', ['tcp.stream']);
    const fins = await tsharkFields(file, 'tcp.flags.fin == 1', ['tcp.stream']);
    expect(syns.length).toBeGreaterThanOrEqual(2);
    expect(synAcks.length).toBe(syns.length);
    expect(fins.length).toBe(2 * syns.length);
  });

  it('has nothing malformed, no expert error and no TCP analysis flag', async () => {
    expect(await tsharkComplaints(file)).toBe('');
  });

  it('says in its section header that the transport headers are synthesized, and keeps the real endpoints in comments', async () => {
    const info = await run('capinfos', [file]);
    expect(info.stdout).toMatch(/synthesized from that socket-level capture/);
    const comments = (await tsharkFields(file, 'frame.comment', ['frame.comment'])).map((r) => r[0]).join('\n');
    expect(comments).toMatch(/real 127\.0\.0\.1:\d+/);
  });
});
