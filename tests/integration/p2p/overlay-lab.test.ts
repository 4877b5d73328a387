/**
 * The search overlays as a student meets them in the lab: started from the rail (they wait,
 * like the DHT ring), the shipped textbook scenario run on the three overlays, `overlay query`
 * typed at the terminal, and the inspector decoding Gnutella descriptors field by field and
 * the Napster index's lines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import type { DecodedField } from '../../../src-main/lab/api';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { openTerminal } from '../../helpers/terminal';
import { tsharkFields, writeTemp } from '../../helpers/tshark';
import { Exchanges, exchangeLabel } from '../../../src-renderer/src/components/inspector/exchanges';

let lab: Lab;
beforeAll(async () => {
  ({ lab } = await startLab());
  expect((await lab['services.list']()).find((s) => s.id === 'overlays')).toMatchObject({ state: 'stopped' });
  await lab['services.start']('overlays');
  await waitFor(async () => (await lab['overlay.state']()).result !== null, 'the textbook scenario\'s queries');
}, 30_000);
afterAll(() => lab?.shutdown());

const flat = (fs: DecodedField[]): DecodedField[] => fs.flatMap((f) => [f, ...flat(f.children ?? [])]);

it('the textbook scenario: 4 queries on each overlay; Napster 2 messages each, Gnutella its flood formula, KaZaA fewer than Gnutella', async () => {
  const r = (await lab['overlay.state']()).result!;
  expect(r.peers).toHaveLength(12);
  expect(r.queries).toHaveLength(12);
  const by = (k: string) => r.queries.filter((q) => q.overlay === k);
  expect(by('napster').map((q) => q.messages)).toEqual([2, 2, 2, 2]);
  // the rare file is found by all three; nobody finds what is not there
  for (const k of ['napster', 'gnutella', 'kazaa']) {
    expect(by(k).find((q) => q.file === 'rare-bootleg')?.found).toBe(true);
    expect(by(k).find((q) => q.file === 'not-there')?.found).toBe(false);
    for (const q of by(k).filter((x) => x.found)) expect(q.downloaded).toBe(20_000);
  }
  for (const q of by('gnutella')) expect(q.queryMessages).toBe(q.formula);
  const mean = (k: string) => by(k).reduce((n, q) => n + q.messages, 0);
  expect(mean('kazaa')).toBeLessThan(mean('gnutella'));
  expect(r.totals.map((t) => t.overlay)).toEqual(['napster', 'gnutella', 'kazaa']);
});

it('`overlay query` at the terminal asks the three overlays and prints how to fetch the file', async () => {
  const t = await openTerminal(lab, { cols: 140, rows: 40 });
  await t.type('overlay query rare-bootleg from 5\r');
  await t.expect(/kazaa +found 1: \d+ messages/);
  const screen = t.screen();
  expect(screen).toMatch(/napster +found 1: 2 messages, 1 hop, busiest index \(1\)/);
  expect(screen).toMatch(/gnutella +found 1: \d+ messages \(formula \d+\)/);
  expect(screen).toMatch(/rare-bootleg\.mp3 at p11 — curl http:\/\/127\.[\d.]+:\d+\/get\/4\/rare-bootleg\.mp3/);
  let m = t.mark();
  await t.type('overlay ping from 0\r');
  await t.expect(/p0 pinged with TTL 7: 11 Pongs, \d+ Pings and \d+ Pongs on the links/, m);
  expect(t.screen().slice(m)).toMatch(/p\d+ +127\.[\d.]+:\d+ +1 hop away, \d+ files/);
  m = t.mark();
  await t.type('overlay bogus\r');
  await t.expect("overlay: unknown action 'bogus'", m);
  await t.close();
  expect((await lab['overlay.state']()).asked.map((q) => q.overlay)).toEqual(['napster', 'gnutella', 'kazaa']);
});

it('the inspector decodes a Query and a QueryHit field by field, and the index\'s SEARCH', async () => {
  const rows = await captured(lab);
  const query = rows.find((r) => r.protocol === 'gnutella' && r.summary.startsWith("Query 'rare-bootleg'"));
  const hit = rows.find((r) => r.protocol === 'gnutella' && r.summary.startsWith('QueryHit rare-bootleg.mp3'));
  expect(query && hit).toBeTruthy();
  const qf = flat((await lab['capture.detail'](query!.id))!.fields);
  expect(qf.find((f) => f.name === 'payload descriptor')?.value).toBe('0x80 (Query)');
  expect(qf.find((f) => f.name === 'search criteria')?.value).toBe('rare-bootleg');
  expect(qf.find((f) => f.name === 'TTL')?.value).toMatch(/^\d+ /);
  const hf = flat((await lab['capture.detail'](hit!.id))!.fields);
  expect(hf.find((f) => f.name === 'payload descriptor')?.value).toBe('0x81 (QueryHit)');
  expect(hf.find((f) => f.name === 'download')?.value).toMatch(/^GET \/get\/4\/rare-bootleg\.mp3 from 127\./);
  const search = rows.find((r) => r.protocol === 'napster' && r.summary === 'SEARCH rare-bootleg');
  expect(search).toBeTruthy();
  const sf = flat((await lab['capture.detail'](search!.id))!.fields);
  expect(sf.find((f) => f.name === 'meaning')?.value).toMatch(/which peers hold/);
  // the inspector pairs each command with its numbered reply; the greeting answers nothing
  const pairs = new Exchanges();
  for (const r of rows) pairs.add(r);
  expect(exchangeLabel(pairs.of(search!.id)!)).toMatchObject({ request: 'SEARCH rare-bootleg', response: '211 1 hits', meta: expect.stringMatching(/^rare-bootleg\.mp3 at 127\.[\d.]+:\d+ · /) });
  const greeting = rows.find((r) => r.protocol === 'napster' && r.summary.startsWith('200 NetLab index'))!;
  expect(pairs.of(greeting.id)).toBeUndefined();
  const login = rows.find((r) => r.protocol === 'napster' && r.summary.startsWith('LOGIN p'))!;
  expect(exchangeLabel(pairs.of(login.id)!).response).toMatch(/^201 welcome p\d+/);
  // each connection's handshake, as the acceptor saw it: CONNECT, 200 OK, 200 OK
  const shake = rows.find((r) => r.protocol === 'gnutella' && r.summary === 'GNUTELLA CONNECT/0.6')!;
  const hs = flat((await lab['capture.detail'](shake.id))!.fields);
  expect(hs.find((f) => f.name === 'Handshake')?.value).toBe('GNUTELLA CONNECT/0.6');
  expect(hs.some((f) => /^Listen-IP: 127\./.test(f.value))).toBe(true);
  expect(rows.filter((r) => r.conn === shake.conn).slice(0, 3).map((r) => r.summary)).toEqual(['GNUTELLA CONNECT/0.6', 'GNUTELLA/0.6 200 OK', 'GNUTELLA/0.6 200 OK']);
});

it('exported to pcapng, Wireshark\'s own Gnutella dissector reads the same Queries and QueryHits', async () => {
  const file = await writeTemp('overlays.pcapng', Buffer.from(await lab['capture.exportPcapng']({ service: 'overlays' }), 'base64'));
  const queries = await tsharkFields(file, 'gnutella.query.search == "rare-bootleg"', ['gnutella.header.payload', 'gnutella.header.ttl', 'gnutella.header.hops']);
  expect(queries.length).toBeGreaterThan(0);
  for (const [payload] of queries) expect(payload.split(',')).toContain('128');
  const hits = await tsharkFields(file, 'gnutella.queryhit.hit.name == "rare-bootleg.mp3"', ['gnutella.queryhit.hit.index', 'gnutella.queryhit.hit.size']);
  expect(hits.length).toBeGreaterThan(0);
  expect(hits[0][0].split(',')[0]).toBe('4');
  expect(hits[0][1].split(',')[0]).toBe('20000');
});

it('the rail\'s link delay holds every hop of a flood: a Gnutella query and its QueryHit cross 2 × hops links', async () => {
  await lab['services.configure']('overlays', { link: { delayMs: 30 } });
  const [q] = await lab['overlay.query']('rare-bootleg', 3, 'gnutella');
  expect(q.found).toBe(true);
  expect(q.ms).toBeGreaterThanOrEqual(2 * q.hops * 30);
  await lab['services.configure']('overlays', { link: { delayMs: 0 } });
});
