/** The traffic matcher: sequences per connection, who the client is, headers, DNS flags, counts. */
import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import type { CountsCheck, TrafficCheck } from '../../../src-main/lab/labs/lab-file';
import { CountMatcher, SequenceMatcher } from '../../../src-main/lab/labs/traffic-matcher';
import { clientKind } from '../../../src-main/lab/labs/client-kind';
import { exchange, msg } from './fake-messages';

const SMTP: TrafficCheck = {
  kind: 'traffic',
  id: 'session',
  label: 'the textbook session',
  service: 'smtp-hamburger',
  client: ['terminal', 'outside'],
  steps: [
    { pattern: '^HELO', reply: { pattern: '^250' } },
    { pattern: '^MAIL FROM', reply: { pattern: '^250' } },
    { pattern: '^QUIT', reply: { pattern: '^221' } },
  ],
};

const feed = (m: SequenceMatcher, msgs: ReturnType<typeof exchange>) => msgs.map((x) => m.offer(x)).find(Boolean) ?? null;

describe('sequence matcher', () => {
  it('with `transport: tcp` takes a SIP call only over TCP: the same INVITE and 100 Trying over UDP do not pass it', () => {
    const check: TrafficCheck = { kind: 'traffic', id: 'tcp-call', label: 'a call over TCP', service: 'sip', transport: 'tcp', steps: [{ pattern: '^INVITE ', reply: { pattern: '^100 Trying' } }] };
    const call = (conn: number, transport: string) => exchange(conn, ['INVITE sip:bob@hamburger.edu SIP/2.0', 'SIP/2.0 100 Trying'], { service: 'sip' }).map((m) => ({ ...m, transport, summary: m.summary.replace(/^SIP\/2\.0 /, '') }));
    expect(feed(new SequenceMatcher(check), call(41, 'udp'))).toBeNull();
    expect(feed(new SequenceMatcher(check), call(42, 'tcp'))).not.toBeNull();
    expect(feed(new SequenceMatcher({ ...check, transport: 'udp' }), call(43, 'udp'))).not.toBeNull();
  });

  it('passes on the steps in order, each answered, and gives the messages as evidence', () => {
    const msgs = exchange(1, ['helo crepes.fr', '250 hello', 'MAIL FROM:<a@b>', '250 ok', 'QUIT', '221 bye']);
    expect(feed(new SequenceMatcher(SMTP), msgs)?.evidence).toEqual(msgs.map((m) => m.id));
  });

  it('lets other commands pass between the steps, and a refused command wait for its retry', () => {
    const m = new SequenceMatcher(SMTP);
    const msgs = exchange(2, ['HELO x', '250 hi', 'NOOP', '250 ok', 'MAIL FROM:<bad', '501 syntax', 'MAIL FROM:<a@b>', '250 ok', 'QUIT', '221 bye']);
    const r = feed(m, msgs);
    expect(r?.evidence).toEqual([msgs[0], msgs[1], msgs[6], msgs[7], msgs[8], msgs[9]].map((x) => x.id));
  });

  it('does not pass when a step is missing or answered with another code', () => {
    expect(feed(new SequenceMatcher(SMTP), exchange(3, ['HELO x', '250 hi', 'QUIT', '221 bye']))).toBeNull();
    expect(feed(new SequenceMatcher(SMTP), exchange(4, ['HELO x', '250 hi', 'MAIL FROM:<a@b>', '550 no', 'QUIT', '221 bye']))).toBeNull();
  });

  it('keeps connections apart: steps on two connections do not add up', () => {
    const m = new SequenceMatcher(SMTP);
    const a = exchange(5, ['HELO x', '250 hi', 'MAIL FROM:<a@b>', '250 ok']);
    const b = exchange(6, ['QUIT', '221 bye']);
    expect(feed(m, [...a, ...b])).toBeNull();
  });

  it('knows the client: Compose, the relay and the terminal by the names the lab gives them', () => {
    const lines = ['HELO x', '250 hi', 'MAIL FROM:<a@b>', '250 ok', 'QUIT', '221 bye'];
    expect(feed(new SequenceMatcher(SMTP), exchange(7, lines, { clientName: "alice's user agent" }))).toBeNull();
    expect(feed(new SequenceMatcher(SMTP), exchange(8, lines, { clientName: 'crepes.fr (relay)' }))).toBeNull();
    expect(feed(new SequenceMatcher(SMTP), exchange(9, lines, { clientName: 'terminal 2' }))).not.toBeNull();
    expect(feed(new SequenceMatcher(SMTP), exchange(10, lines, { service: 'smtp' }))).toBeNull();
    expect(clientKind({ client: { address: '', port: 1, name: 'local DNS server' } })).toBe('resolver');
    expect(clientKind({ client: { address: '', port: 1, name: 'proxy cache' } })).toBe('proxy');
    expect(clientKind({ client: { address: '', port: 1 } })).toBe('outside');
  });

  it('checks HTTP headers present and absent, case-insensitively by name', () => {
    const check: TrafficCheck = {
      kind: 'traffic',
      id: 'c',
      label: 'conditional',
      service: 'http',
      steps: [{ pattern: '^GET /x', headers: { present: ['If-Modified-Since'], absent: ['Authorization'] }, reply: { pattern: ' 304' } }],
    };
    const get = (headers: string) => msg({ service: 'http', conn: 11, text: `GET /x HTTP/1.1\r\nHost: a\r\n${headers}\r\n` });
    const reply = () => msg({ service: 'http', conn: 11, dir: 's2c', text: 'HTTP/1.1 304 Not Modified\r\n\r\n' });
    const m = new SequenceMatcher(check);
    expect(m.offer(get('if-modified-since: Tue, 01 Jan 2030 00:00:00 GMT\r\nAuthorization: Basic eA==\r\n'))).toBeNull();
    expect(m.offer(reply())).toBeNull();
    expect(m.offer(get('If-Modified-Since: Tue, 01 Jan 2030 00:00:00 GMT\r\n'))).toBeNull();
    expect(m.offer(reply())).not.toBeNull();
  });

  it('reads the DNS header: RD=0 to the root, and not a query with recursion desired', () => {
    const check: TrafficCheck = { kind: 'traffic', id: 'rd0', label: 'RD=0', service: 'dns-root', steps: [{ dns: { rd: false, qr: false, name: 'gaia.cs.umass.edu' }, reply: { dns: { qr: true } } }] };
    const query = (rd: boolean, conn: number) =>
      msg({ service: 'dns-root', transport: 'udp', conn, summary: 'Standard query', raw: dnsPacket.encode({ type: 'query', id: 1, flags: rd ? dnsPacket.RECURSION_DESIRED : 0, questions: [{ type: 'A', name: 'gaia.cs.umass.edu' }] }) });
    const response = (conn: number) => msg({ service: 'dns-root', transport: 'udp', conn, dir: 's2c', summary: 'Standard query response', raw: dnsPacket.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'gaia.cs.umass.edu' }] }) });
    const m = new SequenceMatcher(check);
    expect(m.offer(query(true, 20))).toBeNull();
    expect(m.offer(response(20))).toBeNull();
    expect(m.offer(query(false, 21))).toBeNull();
    expect(m.offer(response(21))?.evidence.length).toBe(2);
  });

  it('a case-sensitive pattern tells capitals from small letters', () => {
    const check: TrafficCheck = { kind: 'traffic', id: 'up', label: 'upper', service: 'echo-tcp', steps: [{ pattern: '[a-z]', caseSensitive: true, reply: { pattern: '^[^a-z]*$', caseSensitive: true } }] };
    const m = new SequenceMatcher(check);
    expect(feed(m, exchange(30, ['hello', 'hello'], { service: 'echo-tcp' }))).toBeNull();
    expect(feed(m, exchange(31, ['hello', 'HELLO'], { service: 'echo-tcp' }))).not.toBeNull();
  });
});

describe('count matcher', () => {
  const counts = (over: Partial<CountsCheck>): CountMatcher => new CountMatcher({ kind: 'counts', id: 'n', label: 'n', service: 'echo-udp', dir: 'c2s', ...over });
  it('at least N matching messages, in the right direction only', () => {
    const m = counts({ atLeast: 2 });
    expect(m.offer(msg({ service: 'echo-udp', text: 'a' }))).toBeNull();
    expect(m.offer(msg({ service: 'echo-udp', dir: 's2c', text: 'A' }))).toBeNull();
    expect(m.offer(msg({ service: 'echo-udp', text: 'b' }))?.evidence.length).toBe(2);
  });
  it('at most N: satisfied up to N, no longer past it', () => {
    const m = counts({ atMost: 1 });
    expect(m.offer(msg({ service: 'echo-udp', text: 'a' }))).not.toBeNull();
    expect(m.offer(msg({ service: 'echo-udp', text: 'b' }))).toBeNull();
    expect(m.verdict()).toBeNull();
  });
});
