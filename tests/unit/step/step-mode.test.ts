/**
 * Step mode's pure parts: the pace of the playback from the captured timing, and the
 * resolution figure's steps read from captured rows (a walk through the local server, and a
 * query asked of one server directly).
 */
import { describe, expect, it } from 'vitest';
import type { CaptureSummary, DnsServerInfo } from '../../../src-main/lab/api';
import { HIERARCHY, LOCAL_SERVER } from '../../../src-main/lab/dns/hierarchy';
import { resolutionAround } from '../../../src-renderer/src/components/step/captureResolution';
import { MAX_GAP_MS, playDelay } from '../../../src-renderer/src/components/step/stepPace';

const servers: DnsServerInfo[] = [LOCAL_SERVER, ...HIERARCHY].map((s) => ({ id: s.id, role: s.role, host: s.host, addresses: s.addresses, zones: s.zones, port: 1, state: 'running', description: '' }));

let nextId = 1;
function row(service: string, conn: number, dir: 'c2s' | 's2c', t: number, protocol = 'dns'): CaptureSummary {
  return { id: nextId++, t, service, protocol, conn, transport: 'udp', dir, kind: 'message', size: 40, summary: `${service} ${dir}` };
}

describe('playDelay', () => {
  const a = row('http', 1, 'c2s', 100, 'http');
  const b = row('http', 1, 's2c', 300, 'http');
  it('divides the captured gap by the speed', () => {
    expect(playDelay(a, b, '1x')).toBe(200);
    expect(playDelay(a, b, '2x')).toBe(100);
    expect(playDelay(a, b, '0.5x')).toBe(400);
  });
  it('plays one message a second whatever the gap, and shortens a long idle time', () => {
    expect(playDelay(a, b, '1ps')).toBe(1000);
    expect(playDelay(a, { ...b, t: 100 + 60_000 }, '1x')).toBe(MAX_GAP_MS);
  });
});

describe('resolutionAround', () => {
  const walk = [
    row('dns-local', 1, 'c2s', 0),
    row('dns-root', 2, 'c2s', 1),
    row('dns-root', 2, 's2c', 2),
    row('http', 9, 'c2s', 2.5, 'http'),
    row('dns-edu', 3, 'c2s', 3),
    row('dns-edu', 3, 's2c', 4),
    row('dns-umass', 4, 'c2s', 5),
    row('dns-umass', 4, 's2c', 6),
    row('dns-local', 1, 's2c', 7),
  ];
  const direct = [row('dns-root', 5, 'c2s', 20), row('dns-root', 5, 's2c', 21)];
  const rows = [...walk, ...direct];

  it('numbers the walk as the textbook does, from the host to the local server and back', () => {
    const steps = resolutionAround(rows, walk[4], servers)!;
    expect(steps.map((s) => `${s.n} ${s.from} → ${s.to}`)).toEqual([
      '1 requesting host → local DNS server',
      '2 local DNS server → a.root-servers.net',
      '3 a.root-servers.net → local DNS server',
      '4 local DNS server → a.edu-servers.net',
      '5 a.edu-servers.net → local DNS server',
      '6 local DNS server → dns.umass.edu',
      '7 dns.umass.edu → local DNS server',
      '8 local DNS server → requesting host',
    ]);
    expect(steps.find((s) => s.message === walk[4].id)?.n).toBe(4);
    // the same figure from its last message
    expect(resolutionAround(rows, walk[8], servers)).toEqual(steps);
  });

  it('draws a query asked of the root directly as the host and the root, and nothing for HTTP', () => {
    const steps = resolutionAround(rows, direct[1], servers)!;
    expect(steps.map((s) => `${s.n} ${s.from} → ${s.to}`)).toEqual(['1 requesting host → a.root-servers.net', '2 a.root-servers.net → requesting host']);
    expect(resolutionAround(rows, walk[3], servers)).toBeNull();
  });
});
