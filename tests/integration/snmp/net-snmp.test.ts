/**
 * The lab's SNMP agents against net-snmp's own tools (Debian `snmp`, `snmptrapd`): each lab
 * host's system group, the interfaces table whose counters move with real lab traffic, SET
 * on a link's delay changing the link, SET on a service's state, the v1 and v2c errors, and
 * the SNMPv2-Trap when a service stops, received by snmptrapd.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { labForFile, tempDir, waitFor } from '../../helpers/lab';
import { freePort } from '../../helpers/ports';
import { run } from '../../helpers/proc';

const held = labForFile();
const agent = () => `udp:127.0.0.1:${held.port('snmp')}`;
const snmp = async (tool: string, ...args: string[]) => {
  const r = await run(tool, ['-On', '-t', '1', '-r', '1', ...args]);
  return (r.stdout + r.stderr).trim();
};
const ifIndexOf = (id: string) => held.lab.services.findIndex((s) => s.id === id) + 1;
const NETLAB = '.1.3.6.1.4.1.32473.17';
const counter = (line: string) => Number(/Counter32: (\d+)/.exec(line)?.[1]);

describe('net-snmp tools against the lab agents', () => {
  it('answers as each lab host: sysName is the host the community names, in v1 and v2c', async () => {
    const v2 = await snmp('snmpget', '-v2c', '-c', 'public@gaia.cs.umass.edu', agent(), '1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.2.0');
    expect(v2).toContain('.1.3.6.1.2.1.1.5.0 = STRING: "gaia.cs.umass.edu"');
    expect(v2).toContain(`.1.3.6.1.2.1.1.2.0 = OID: ${NETLAB}.1`);
    const v1 = await snmp('snmpget', '-v1', '-c', 'public@mail.crepes.fr', agent(), '1.3.6.1.2.1.1.5.0');
    expect(v1).toBe('.1.3.6.1.2.1.1.5.0 = STRING: "mail.crepes.fr"');
    const walk = await snmp('snmpwalk', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.1');
    expect(walk.split('\n').map((l) => l.split(' = ')[0])).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `.1.3.6.1.2.1.1.${n}.0`));
    // and over IPv6
    expect(await snmp('snmpget', '-v2c', '-c', 'public', `udp6:[::1]:${held.port('snmp')}`, '1.3.6.1.2.1.1.5.0')).toContain('STRING: "localhost"');
  });

  it('walks the interfaces table, one row per lab service, and ifInOctets moves when curl fetches from the web server', async () => {
    const http = ifIndexOf('http');
    const rows = await snmp('snmpbulkwalk', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.2.2.1.2');
    expect(rows.split('\n')).toHaveLength(held.lab.services.length);
    expect(rows).toContain(`.1.3.6.1.2.1.2.2.1.2.${http} = STRING: "http: `);
    const oids = [`1.3.6.1.2.1.2.2.1.10.${http}`, `1.3.6.1.2.1.2.2.1.16.${http}`];
    const [inBefore, outBefore] = (await snmp('snmpget', '-v2c', '-c', 'public', agent(), ...oids)).split('\n').map(counter);
    const page = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{size_download}', `http://127.0.0.1:${held.port('http')}/`]);
    const [inAfter, outAfter] = (await snmp('snmpget', '-v2c', '-c', 'public', agent(), ...oids)).split('\n').map(counter);
    expect(inAfter).toBeGreaterThan(inBefore);
    expect(outAfter - outBefore).toBeGreaterThanOrEqual(Number(page.stdout));
  });

  it('with the capture off the counters still move: nothing is recorded, but the bytes crossed the wire', async () => {
    const http = ifIndexOf('http');
    const oids = [`1.3.6.1.2.1.2.2.1.10.${http}`, `1.3.6.1.2.1.2.2.1.16.${http}`];
    held.lab.store.configure({ enabled: false });
    try {
      const [inBefore, outBefore] = (await snmp('snmpget', '-v2c', '-c', 'public', agent(), ...oids)).split('\n').map(counter);
      const page = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{size_download}', `http://127.0.0.1:${held.port('http')}/`]);
      const [inAfter, outAfter] = (await snmp('snmpget', '-v2c', '-c', 'public', agent(), ...oids)).split('\n').map(counter);
      expect(inAfter).toBeGreaterThan(inBefore);
      expect(outAfter - outBefore).toBeGreaterThanOrEqual(Number(page.stdout));
    } finally {
      held.lab.store.configure({ enabled: true });
    }
  });

  it('lists an open TCP connection in tcpConnTable at once, established', async () => {
    const echo = held.port('echo-tcp');
    const socket = net.connect(echo, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    try {
      const local = socket.localPort!;
      await waitFor(() => held.lab.store.openConnections().some((c) => c.client.port === local), 'the lab to see the connection');
      const walk = await snmp('snmpwalk', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.6.13.1.1');
      expect(walk).toContain(`.1.3.6.1.2.1.6.13.1.1.127.0.0.1.${echo}.127.0.0.1.${local} = INTEGER: 5`);
      expect(Number(/Gauge32: (\d+)/.exec(await snmp('snmpget', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.6.9.0'))?.[1])).toBeGreaterThanOrEqual(1);
    } finally {
      socket.destroy();
    }
  });

  it('SET on a link\'s delay changes the link emulation: curl\'s time grows by it', async () => {
    const http = ifIndexOf('http');
    const set = await snmp('snmpset', '-v2c', '-c', 'private', agent(), `${NETLAB}.3.1.2.${http}`, 'i', '300');
    expect(set).toBe(`${NETLAB}.3.1.2.${http} = INTEGER: 300`);
    expect(held.lab.services.find((s) => s.id === 'http')!.link.delayMs).toBe(300);
    const timed = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', `http://127.0.0.1:${held.port('http')}/`]);
    // a request and its response each cross the delayed link once
    expect(Number(timed.stdout)).toBeGreaterThanOrEqual(0.6);
    expect(await snmp('snmpget', '-v2c', '-c', 'public', agent(), `${NETLAB}.3.1.2.${http}`)).toContain('INTEGER: 300');
    await snmp('snmpset', '-v1', '-c', 'private', agent(), `${NETLAB}.3.1.2.${http}`, 'i', '0');
    expect(held.lab.services.find((s) => s.id === 'http')!.link.delayMs).toBe(0);
  });

  it('SET on a link\'s loss makes the UDP echo lose datagrams, counted in ifInDiscards', async () => {
    const echo = ifIndexOf('echo-udp');
    const discards = async () => counter(await snmp('snmpget', '-v2c', '-c', 'public', agent(), `1.3.6.1.2.1.2.2.1.13.${echo}`));
    const before = await discards();
    expect(await snmp('snmpset', '-v2c', '-c', 'private', agent(), `${NETLAB}.3.1.3.${echo}`, 'i', '1000')).toContain('INTEGER: 1000');
    const socket = dgram.createSocket('udp4');
    for (let i = 0; i < 3; i++) socket.send('lost in the lab', held.port('echo-udp'), '127.0.0.1');
    await waitFor(async () => (await discards()) === before + 3, 'three discards counted');
    socket.close();
    await snmp('snmpset', '-v2c', '-c', 'private', agent(), `${NETLAB}.3.1.3.${echo}`, 'i', '0');
    expect(held.lab.services.find((s) => s.id === 'echo-udp')!.link.lossRate).toBe(0);
  });

  it('answers errors as v1 and v2c say: wrongType/badValue, notWritable/readOnly, noAccess for the read community, wrongValue', async () => {
    const http = ifIndexOf('http');
    expect(await snmp('snmpset', '-v2c', '-c', 'private', agent(), `${NETLAB}.3.1.2.${http}`, 's', 'slow')).toContain('Reason: wrongType');
    expect(await snmp('snmpset', '-v1', '-c', 'private', agent(), `${NETLAB}.3.1.2.${http}`, 's', 'slow')).toContain('Reason: (badValue)');
    expect(await snmp('snmpset', '-v2c', '-c', 'private', agent(), '1.3.6.1.2.1.1.5.0', 's', 'x')).toContain('Reason: notWritable');
    expect(await snmp('snmpset', '-v1', '-c', 'private', agent(), '1.3.6.1.2.1.1.5.0', 's', 'x')).toContain('(readOnly)');
    expect(await snmp('snmpset', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.1.6.0', 's', 'x')).toContain('Reason: noAccess');
    expect(await snmp('snmpset', '-v2c', '-c', 'private', agent(), `${NETLAB}.3.1.2.${http}`, 'i', '-5')).toContain('Reason: wrongValue');
    expect(await snmp('snmpget', '-v1', '-c', 'public', agent(), '1.3.6.1.2.1.1.5.1')).toContain('(noSuchName)');
    expect(await snmp('snmpget', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.1.5.1')).toContain('No Such Instance');
    // sysLocation is writable with the write community, reads back, and is that host's alone
    expect(await snmp('snmpset', '-v2c', '-c', 'private@crepes.fr', agent(), '1.3.6.1.2.1.1.6.0', 's', 'room 101')).toContain('STRING: "room 101"');
    expect(await snmp('snmpget', '-v2c', '-c', 'public@crepes.fr', agent(), '1.3.6.1.2.1.1.6.0')).toContain('STRING: "room 101"');
    expect(await snmp('snmpget', '-v2c', '-c', 'public@hamburger.edu', agent(), '1.3.6.1.2.1.1.6.0')).toContain('STRING: "hamburger.edu, in the NetLab lab internet"');
    const tooLong = await snmp('snmpset', '-v2c', '-c', 'private', agent(), '1.3.6.1.2.1.1.6.0', 's', 'x'.repeat(300));
    expect(tooLong).toContain('Reason: wrongLength');
  });

  it('a wrong community gets no answer and is counted in snmpInBadCommunityNames', async () => {
    const read = async () => counter(await snmp('snmpget', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.11.4.0'));
    const before = await read();
    const r = await run('snmpget', ['-On', '-v2c', '-c', 'secret', '-t', '0.3', '-r', '0', agent(), '1.3.6.1.2.1.1.5.0']);
    expect(r.stderr + r.stdout).toContain('Timeout: No Response');
    expect(await read()).toBe(before + 1);
    const notes = await held.lab['capture.list']({ afterId: 0, limit: 100_000 });
    expect(notes.some((m) => m.kind === 'event' && m.service === 'snmp' && m.summary.includes('unknown community "secret"'))).toBe(true);
  });
});

describe('traps', () => {
  const trapd: { stop?: () => void } = {};
  afterAll(() => trapd.stop?.());

  it('SET of a service\'s state to stopped stops it, and snmptrapd receives the SNMPv2-Trap', async () => {
    const dir = await tempDir('netlab-trapd-');
    const conf = path.join(dir, 'snmptrapd.conf');
    await fs.writeFile(conf, 'disableAuthorization yes\n');
    const port = await freePort();
    const child = spawn('snmptrapd', ['-f', '-Lo', '-C', '-c', conf, '-On', `udp:127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    trapd.stop = () => child.kill();
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await waitFor(() => out.includes('NET-SNMP version'), 'snmptrapd to start');
    await held.lab['scenarios.apply'](`snmp:\n  trapReceiver: "127.0.0.1:${port}"\n`);
    const echo = ifIndexOf('echo-udp');
    expect(await snmp('snmpset', '-v2c', '-c', 'private', agent(), `${NETLAB}.2.1.5.${echo}`, 'i', '2')).toContain('INTEGER: 2');
    await waitFor(() => held.lab.services.find((s) => s.id === 'echo-udp')!.state === 'stopped', 'echo-udp to stop');
    await waitFor(() => out.includes(`${NETLAB}.0.1`), `the trap in snmptrapd's output:\n${out}`);
    expect(out).toContain(`${NETLAB}.2.1.2.${echo} = STRING: "echo-udp"`);
    // the inspector shows the trap
    const rows = await held.lab['capture.list']({ afterId: 0, limit: 100_000 });
    expect(rows.some((m) => m.protocol === 'snmp' && m.summary.startsWith('snmpV2-trap'))).toBe(true);
    // and a SET brings it back
    await snmp('snmpset', '-v2c', '-c', 'private', agent(), `${NETLAB}.2.1.5.${echo}`, 'i', '1');
    await waitFor(() => held.lab.services.find((s) => s.id === 'echo-udp')!.state === 'running', 'echo-udp to run again');
  });
});
