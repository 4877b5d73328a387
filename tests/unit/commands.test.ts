import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src-main/lab/terminal/commands';
import { resolveLabHost } from '../../src-main/lab/internet/hosts';

describe('terminal commands', () => {
  it('parses telnet with and without a port', () => {
    expect(parseCommand('telnet localhost 12000')).toMatchObject({ kind: 'connect', tool: 'telnet', host: 'localhost', port: 12000, crlf: true, udp: false });
    expect(parseCommand('telnet gaia.cs.umass.edu')).toMatchObject({ port: 23 });
  });

  it('parses nc, nc -u and nc -C', () => {
    expect(parseCommand('nc -u 127.0.0.1 12000')).toMatchObject({ tool: 'nc', udp: true, crlf: false });
    expect(parseCommand('nc -C localhost 25')).toMatchObject({ tool: 'nc', udp: false, crlf: true });
  });

  it('explains bad ports, unknown options and unknown commands', () => {
    expect(parseCommand('telnet localhost 99999')).toEqual({ kind: 'error', message: "telnet: bad port '99999': a port is a number from 1 to 65535" });
    expect(parseCommand('telnet localhost http')).toMatchObject({ kind: 'error' });
    expect(parseCommand('nc -z localhost 1')).toMatchObject({ kind: 'error', message: expect.stringContaining('-z') });
    expect(parseCommand('nc localhost')).toMatchObject({ kind: 'error', message: 'usage: nc [-u] [-C] HOST PORT' });
    expect(parseCommand('ssh host')).toMatchObject({ kind: 'error', message: expect.stringContaining('command not found') });
  });

  it('resolves lab names and virtual addresses to loopback, and refuses the outside world', () => {
    expect(resolveLabHost('gaia.cs.umass.edu')).toMatchObject({ ok: true, address: '127.0.0.1', virtualAddress: '128.119.40.205' });
    expect(resolveLabHost('128.119.40.205')).toMatchObject({ ok: true, address: '127.0.0.1', name: 'gaia.cs.umass.edu' });
    expect(resolveLabHost('GAIA.cs.umass.edu.')).toMatchObject({ ok: true });
    expect(resolveLabHost('127.0.0.2')).toMatchObject({ ok: true, address: '127.0.0.2' });
    expect(resolveLabHost('8.8.8.8')).toMatchObject({ ok: false, error: expect.stringContaining('outside the lab') });
    expect(resolveLabHost('example.com')).toMatchObject({ ok: false, error: expect.stringContaining('could not resolve example.com') });
  });
});
