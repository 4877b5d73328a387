import { describe, expect, it } from 'vitest';
import type { CaptureSummary, ConnectionInfo } from '../../src-main/lab/api-types';
import { FlowBuilder, layoutFlow, PAUSE_MS } from '../../src-renderer/src/components/inspector/flowLayout';

/** The lab's own endpoint records for a page load through the proxy (as `capture.connections` gives them). */
const CONNS: ConnectionInfo[] = [
  { id: 1, transport: 'tcp', service: 'proxy', protocol: 'http', client: { address: '127.0.0.1', port: 40000 }, server: { address: '127.0.0.1', port: 3128, name: 'proxy cache' }, opened: 0 },
  { id: 2, transport: 'udp', service: 'dns-local', protocol: 'dns', client: { address: '127.0.0.1', port: 40001, name: 'resolver (stub)' }, server: { address: '127.0.0.1', port: 1053, name: 'local DNS server' }, opened: 1 },
  { id: 3, transport: 'tcp', service: 'http', protocol: 'http', client: { address: '127.0.0.1', port: 40002, name: 'proxy cache' }, server: { address: '127.0.0.1', port: 8080, name: 'gaia.cs.umass.edu', virtualAddress: '128.119.40.205', virtualPort: 80 }, opened: 2 },
  { id: 4, transport: 'tcp', service: 'smtp-hamburger', protocol: 'smtp', client: { address: '127.0.0.1', port: 40003, name: 'mail.crepes.fr (relay)' }, server: { address: '127.0.0.1', port: 2527, name: 'mail.hamburger.edu', virtualAddress: '192.0.2.31', virtualPort: 25 }, opened: 3 },
];
const conn = (id: number) => CONNS.find((c) => c.id === id);
const naming = { addressOf: (name: string) => ({ 'mail.crepes.fr': '192.0.2.21' })[name], serviceName: () => undefined };

let nextId = 1;
function msg(conn: number, dir: CaptureSummary['dir'], t: number, summary: string, kind: CaptureSummary['kind'] = 'message'): CaptureSummary {
  return { id: nextId++, t, service: conn === 1 ? 'proxy' : 'x', protocol: conn === 2 ? 'dns' : conn === 4 ? 'smtp' : 'http', conn, transport: conn === 2 ? 'udp' : 'tcp', dir, kind, size: 10, summary };
}
const MESSAGES = [
  msg(1, 'none', 0, 'connection opened', 'event'),
  msg(1, 'c2s', 1, 'GET http://gaia.cs.umass.edu/ HTTP/1.1 · Host: gaia.cs.umass.edu'),
  msg(2, 'c2s', 2, 'Standard query 0x1f73 A gaia.cs.umass.edu'),
  msg(2, 's2c', 3, 'Standard query response 0x1f73 A gaia.cs.umass.edu A 128.119.40.205'),
  msg(3, 'c2s', 4, 'GET / HTTP/1.1 · Host: gaia.cs.umass.edu'),
  msg(3, 's2c', 5, 'HTTP/1.1 200 OK · text/html · 975 B'),
  msg(1, 's2c', 6, 'HTTP/1.1 200 OK · text/html · 975 B · X-Cache: MISS'),
  msg(4, 's2c', 6 + PAUSE_MS + 500, '220 hamburger.edu\\r\\n'),
  msg(4, 'c2s', 6 + PAUSE_MS + 501, 'EHLO mail.crepes.fr\\r\\n'),
];

describe('flow graph layout', () => {
  const g = layoutFlow(MESSAGES, conn, naming);

  it('gives each host one column, both sides of the proxy and the relay included', () => {
    expect(g.hosts.map((h) => `${h.name} ${h.address}`)).toEqual([
      'client 127.0.0.1',
      'proxy cache 127.0.0.1',
      'resolver (stub) 127.0.0.1',
      'local DNS server 127.0.0.1',
      'gaia.cs.umass.edu 128.119.40.205',
      'mail.crepes.fr 192.0.2.21',
      'mail.hamburger.edu 192.0.2.31',
    ]);
  });

  it('draws each message from its sender to its receiver, in capture order, marking a long pause', () => {
    const drawn = g.rows.map((r) => (r.kind === 'pause' ? `pause ${r.ms} ms` : `${g.hosts[r.from].name} → ${g.hosts[r.to].name}`));
    expect(drawn).toEqual([
      'client → proxy cache',
      'resolver (stub) → local DNS server',
      'local DNS server → resolver (stub)',
      'proxy cache → gaia.cs.umass.edu',
      'gaia.cs.umass.edu → proxy cache',
      'proxy cache → client',
      `pause ${PAUSE_MS + 500} ms`,
      'mail.hamburger.edu → mail.crepes.fr',
      'mail.crepes.fr → mail.hamburger.edu',
    ]);
    // the connection's note is not a message between hosts
    expect(g.rowOf.has(MESSAGES[0].id)).toBe(false);
    expect(g.rowOf.get(MESSAGES[8].id)).toBe(8);
  });

  it('laid out batch by batch (live capture) gives the same graph as all at once', () => {
    const b = new FlowBuilder(conn, naming);
    const source: CaptureSummary[] = [];
    for (let i = 0; i < MESSAGES.length; i += 2) {
      const from = source.length;
      source.push(...MESSAGES.slice(i, i + 2));
      b.add(source, from);
    }
    const live = b.graph();
    expect(live.hosts).toEqual(g.hosts);
    expect(live.rows).toEqual(g.rows);
    expect([...live.rowOf]).toEqual([...g.rowOf]);
  });

  it("with TCP flows on, draws each connection's open and close as its segments (SYN, SYN/ACK, ACK; FIN/ACKs, the last ACK)", () => {
    const web: ConnectionInfo = { id: 5, transport: 'tcp', service: 'http', protocol: 'http', client: { address: '127.0.0.1', port: 40005 }, server: { address: '127.0.0.1', port: 8080 }, opened: 0 };
    const conns = (id: number) => (id === 5 ? web : conn(id));
    const named = { ...naming, addressOf: (name: string) => ({ 'mail.crepes.fr': '192.0.2.21', 'gaia.cs.umass.edu': '128.119.40.205' })[name] };
    const m = [
      msg(4, 'none', 0, 'connection opened: 127.0.0.1:40003 → 127.0.0.1:2527', 'event'),
      msg(5, 'none', 1, 'connection opened: 127.0.0.1:40005 → 127.0.0.1:8080', 'event'),
      msg(4, 's2c', 2, '220 hamburger.edu\\r\\n'),
      // the web server is named by the request's Host: its handshake waits for it
      msg(5, 'c2s', 3, 'GET / HTTP/1.1 · Host: gaia.cs.umass.edu'),
      msg(4, 's2c', 4, 'server closed its side (FIN)', 'event'),
      msg(4, 'none', 5, 'connection closed', 'event'),
      msg(2, 'none', 6, 'connection closed', 'event'),
      // a connection none of whose messages is drawn (filtered out): no SYN, no FIN
      msg(1, 'none', 7, 'connection opened: 127.0.0.1:40000 → 127.0.0.1:3128', 'event'),
      msg(1, 'c2s', 8, 'client closed its side (FIN)', 'event'),
      msg(1, 'none', 9, 'connection closed', 'event'),
    ];
    const g = layoutFlow(m, conns, named, false, true);
    const drawn = g.rows.map((r) => (r.kind === 'arrow' ? `${g.hosts[r.from].name} → ${g.hosts[r.to].name}: ${r.tcp ?? r.m.summary}` : 'pause'));
    expect(drawn).toEqual([
      'mail.crepes.fr → mail.hamburger.edu: SYN',
      'mail.hamburger.edu → mail.crepes.fr: SYN, ACK',
      'mail.crepes.fr → mail.hamburger.edu: ACK',
      'mail.hamburger.edu → mail.crepes.fr: 220 hamburger.edu\\r\\n',
      'client → gaia.cs.umass.edu: SYN',
      'gaia.cs.umass.edu → client: SYN, ACK',
      'client → gaia.cs.umass.edu: ACK',
      'client → gaia.cs.umass.edu: GET / HTTP/1.1 · Host: gaia.cs.umass.edu',
      'mail.hamburger.edu → mail.crepes.fr: FIN, ACK',
      'mail.crepes.fr → mail.hamburger.edu: FIN, ACK',
      'mail.hamburger.edu → mail.crepes.fr: ACK',
    ]);
    // a click on a SYN opens the connection's note; the message rows keep their own index
    expect(g.rowOf.get(m[0].id)).toBe(0);
    expect(g.rowOf.get(m[3].id)).toBe(7);
    expect(g.hosts.map((h) => h.name)).not.toContain('proxy cache');
    // off (the default): the notes are not drawn
    expect(layoutFlow(m, conns, named).rows).toHaveLength(2);
  });
});
