/**
 * The DHT ring of the lab's rail, as a student meets it: `nc -u` typed at a peer, the lab
 * terminal's `dht` command, every message in the capture decoded hop by hop, and bad
 * datagrams (oversized, truncated, unknown, a hop count of 255, a loop) refused with a note
 * while the peer keeps serving and keeps its keys.
 */
import dgram from 'node:dgram';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import type { DhtPeerState } from '../../../src-main/lab/p2p/dht/dht-types';
import { captured, RESOURCES, startLab, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { openTerminal } from '../../helpers/terminal';

let lab: Lab;
let peers: DhtPeerState[];
const at = (id: number): DhtPeerState => peers.find((p) => p.id === id)!;

beforeAll(async () => {
  ({ lab } = await startLab());
  // the ring waits to be started (its pings would fill every lab's inspector)
  expect((await lab['services.list']()).find((s) => s.id === 'dht')).toMatchObject({ state: 'stopped' });
  await lab['services.start']('dht');
  // the shipped textbook scenario: its keys stored and its three lookups run
  await waitFor(async () => (await lab['dht.state']()).lookups.length === 3, 'the textbook lookups');
  peers = (await lab['dht.state']()).peers;
});
afterAll(() => lab?.shutdown());

/** one datagram to a peer, the answer as text ('' when none comes) */
async function ask(peer: DhtPeerState, text: string | Buffer, waitMs = 1500): Promise<string> {
  const s = dgram.createSocket('udp4');
  try {
    return await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve(''), waitMs);
      s.once('message', (b) => (clearTimeout(timer), resolve(b.toString('latin1'))));
      s.bind(0, '127.0.0.1', () => s.send(text, peer.port, peer.address));
    });
  } finally {
    s.close();
  }
}

it('the rail lists the DHT ring; the textbook scenario answered 51 → 60, 60 → 60, 61 → 1', async () => {
  const svc = (await lab['services.list']()).find((s) => s.id === 'dht')!;
  expect(svc).toMatchObject({ state: 'running', transport: 'udp', protocol: 'dht' });
  const state = await lab['dht.state']();
  expect(state.peers.map((p) => p.id)).toEqual([1, 12, 13, 25, 32, 40, 48, 60]);
  expect(state.lookups.map((l) => [l.key, l.responsible])).toEqual([[51, 60], [60, 60], [61, 1]]);
  expect(state.lookups[0].path).toEqual([1, 12, 13, 25, 32, 40, 48, 60]);
  // one address per peer where the system allows it
  if (state.loopback === 'distinct') expect(new Set(state.peers.map((p) => p.address)).size).toBe(8);
});

it('nc -u by hand: LOOKUP, PUT, GET and PING typed at a peer are answered', async () => {
  const p = at(12);
  const nc = async (line: string) => (await run('nc', ['-u', '-w', '1', p.address, String(p.port)], { input: line + '\n' })).stdout.trim();
  // nc -w 1 waits a second for an answer: the independent ones at once
  const [found, stored, pong] = await Promise.all([nc('LOOKUP 51'), nc('PUT 33 hello-from-nc'), nc('ping')]);
  expect(found).toMatch(/^FOUND 51 60@[\d.]+:\d+ 6 [0-9a-f]+$/);
  expect(stored).toMatch(/^STORED 33 40 4 /);
  expect(pong).toMatch(/^PONG 0 12 13@/);
  const [value, succ] = await Promise.all([nc('GET 33'), nc('SUCC?')]);
  expect(value).toMatch(/^VALUE 33 40 \d+ [0-9a-z]+ hello-from-nc$/);
  expect(succ).toMatch(/^SUCC 12 13@[\d.]+:\d+ 25@/);
});

describe('bad input is refused with an ERR and a note; the peer keeps serving', () => {
  it.each([
    ['oversized', Buffer.alloc(600, 'A')],
    ['truncated', 'LOOKUP'],
    ['truncated route', 'LOOKUP 51 3 1@127.0.0.1:9'],
    ['an origin that is not a peer', 'LOOKUP 51 3 127.0.0.1:9 abc'],
    ['unknown command', 'FLY 51'],
    ['binary', Buffer.from([0x4c, 0x00, 0xff, 0x0a])],
    ['a key off the ring', 'LOOKUP 64'],
  ])('%s', async (_what, bad) => {
    const p = at(25);
    expect(await ask(p, bad)).toMatch(/^ERR /);
    expect(await ask(p, 'GET 61')).toMatch(/^VALUE 61 1 .* notes\.pdf/);
  });

  it('a hop count of 255 is dropped as a loop, with a note, and no answer', async () => {
    const p = at(32);
    expect(await ask(p, 'LOOKUP 51 255 1@127.0.0.1:9 abc', 500)).toBe('');
    await waitFor(async () => (await captured(lab)).some((m) => m.kind === 'event' && /hop count 255, a loop/.test(m.summary)), 'the note');
    expect(await ask(p, 'LOOKUP 51')).toMatch(/^FOUND 51 60@/);
  });

  it('a query that comes back round to its origin is dropped as a loop', async () => {
    // peer 40 told that a query for key 10 it started itself has come round (13 is responsible)
    const p = at(40);
    expect(await ask(p, `LOOKUP 10 7 40@${p.address}:${p.port} beef`, 500)).toBe('');
    await waitFor(async () => (await captured(lab)).some((m) => m.kind === 'event' && /came back to its origin/.test(m.summary)), 'the loop note');
    expect((await lab['dht.lookup']('61', 40)).responsible).toBe(1);
  });
});

it('the inspector shows a lookup hop by hop, decoded', async () => {
  const l = await lab['dht.lookup']('51', 13);
  const hops = await waitFor(async () => {
    const all = (await captured(lab)).filter((m) => m.service === 'dht' && /^LOOKUP 51 · hop/.test(m.summary));
    return all.length >= l.hops ? all.slice(-l.hops) : null;
  }, 'the hops in the capture');
  expect(hops.map((m) => Number(/hop (\d+)/.exec(m.summary)![1]))).toEqual([1, 2, 3, 4, 5]);
  const detail = await lab['capture.detail'](hops[0].id);
  const names = JSON.stringify(detail?.fields);
  expect(names).toContain('which peer is responsible for this key?');
  expect(names).toContain('query id');
  const found = (await captured(lab)).filter((m) => /^FOUND 51 → peer 60 · 5 hops, 6 messages/.test(m.summary));
  expect(found.length).toBeGreaterThan(0);
});

it('the lab terminal: dht put, dht get, dht lookup, dht leave, dht join', async () => {
  // the textbook ring again, pinging every 100 ms so a departure is noticed at once
  const text = (await fs.readFile(path.join(RESOURCES, 'scenarios', 'dht-textbook.yaml'), 'utf8')).replace(/^pingInterval: \d+$/m, 'pingInterval: 100');
  expect((await lab['dht.run'](text)).peers).toHaveLength(8);
  const t = await openTerminal(lab);
  await t.expect('netlab>');
  await t.type('dht put 53 value\r');
  await t.expect('key 53 stored at peer 60');
  await t.type('dht get 53\r');
  await t.expect("key 53 value 'value' from peer 60");
  await t.type('dht leave 60\r');
  await t.expect('peer 60 left abruptly');
  await waitFor(async () => (await lab['dht.state']()).peers.find((p) => p.id === 48)?.succ.join() === '1,12', "48's successors 1, 12", 8000);
  // the replica on 1 answers for 60's key
  await t.type('dht get 53\r');
  await t.expect("key 53 value 'value' from peer 1");
  await t.type('dht join 61\r');
  await t.expect('peer 61 joined');
  await t.type('dht lookup 53\r');
  await t.expect('key 53 → peer 61');
  await t.type('dht fly\r');
  await t.expect("unknown action 'fly'");
  await t.close();
});
