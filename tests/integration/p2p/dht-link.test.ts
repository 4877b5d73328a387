/**
 * The DHT ring's link profile, set in the rail like any service's, acts on its datagrams: each
 * hop of a lookup is delayed by the one-way delay, and a lossy link drops datagrams with a note
 * in the capture (the lookup then has no answer).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, RESOURCES, startLab, waitFor } from '../../helpers/lab';

let lab: Lab;
beforeAll(async () => {
  ({ lab } = await startLab());
  // the textbook ring with quick pings, so a lookup with no answer gives up within a second
  const text = (await fs.readFile(path.join(RESOURCES, 'scenarios', 'dht-textbook.yaml'), 'utf8')).replace('pingInterval: 2000', 'pingInterval: 100');
  await lab['dht.run'](text);
  await waitFor(async () => (await lab['dht.state']()).lookups.length === 3, 'the textbook lookups');
});
afterAll(() => lab?.shutdown());

it('a 20 ms one-way delay: key 51 from peer 1 takes 7 hops and the answer, each at least 20 ms', async () => {
  const quick = await lab['dht.lookup']('51', 1);
  expect(quick).toMatchObject({ responsible: 60, hops: 7, messages: 8 });
  await lab['services.configure']('dht', { link: { delayMs: 20 } });
  const slow = await lab['dht.lookup']('51', 1);
  expect(slow).toMatchObject({ responsible: 60, hops: 7, messages: 8 });
  // eight datagrams one after another, each held 20 ms by the link
  expect(slow.ms).toBeGreaterThanOrEqual(8 * 20);
  await lab['services.configure']('dht', { link: { delayMs: 0 } });
});

it('a link that loses every datagram: the lookup gets no answer, the capture says why', async () => {
  await lab['services.configure']('dht', { link: { lossRate: 1 } });
  const lost = await lab['dht.lookup']('51', 1);
  expect(lost.ok).toBe(false);
  const notes = (await captured(lab)).filter((r) => r.service === 'dht' && r.kind === 'event').map((r) => r.summary);
  expect(notes.some((t) => /^datagram to peer \d+ lost by link emulation \(loss 100%\)/.test(t))).toBe(true);
  await lab['services.configure']('dht', { link: { lossRate: 0 } });
});
