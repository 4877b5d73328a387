import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import type { SwarmResult, SwarmSnapshot } from '../../../src-main/lab/p2p/swarm-types';
import { parseCli } from '../../../src-main/cli-args';
import { captured, startLab, waitFor } from '../../helpers/lab';

let lab: Lab;
beforeAll(async () => {
  ({ lab } = await startLab());
});
afterAll(async () => lab?.shutdown());

const small = `name: api
file: { size: 512 KiB, chunkSize: 64 KiB }
server: { upload: 2 MiB/s }
peers:
  - { count: 4, upload: 512 KiB/s }
timeFactor: 20
capture: true
timeout: 20
`;

describe('the Swarm tab through the lab API', () => {
  it('lists the shipped textbook swarm and validates with line numbers', async () => {
    const files = await lab['swarm.files']();
    expect(files.map((f) => f.name)).toContain('swarm-textbook.yaml');
    for (const f of files.filter((x) => x.shipped)) expect(await lab['swarm.validate'](f.text), f.name).toEqual({ ok: true });
    expect(files.map((f) => f.name)).toContain('swarm-udp-tracker.yaml');
    expect(await lab['swarm.validate']('file: {size: 1 MiB}\nserver: {upload: 1 MiB/s}\npeers:\n  - {count: 0, upload: 1}\n')).toMatchObject({ ok: false, line: 4 });
  });

  it('runs a swarm against the lab tracker, with snapshots, a result, and the wire in the capture', async () => {
    const snaps: SwarmSnapshot[] = [];
    let result: SwarmResult | null = null;
    const off1 = lab.on('swarm.snapshot', (s) => snaps.push(s));
    const off2 = lab.on('swarm.result', (r) => (result = r));
    const state = await lab['swarm.start'](small);
    expect(state.running).toBe(true);
    await expect(lab['swarm.start'](small)).rejects.toThrow(/already running/);
    await waitFor(() => result, 'the swarm result', 20_000);
    off1();
    off2();
    const r = result as unknown as SwarmResult;
    expect(r.distributionTime).not.toBeNull();
    expect(r.peers.filter((p) => p.role === 'leecher').every((p) => p.hashOk)).toBe(true);
    expect(r.curve.length).toBeGreaterThanOrEqual(30);
    expect(snaps.some((s) => s.edges.length > 0 && s.availability.length === 8)).toBe(true);
    const after = await lab['swarm.state']();
    expect(after.running).toBe(false);
    expect(after.history).toHaveLength(1);
    const msgs = await captured(lab);
    expect(msgs.some((m) => m.protocol === 'bittorrent' && m.summary === 'handshake')).toBe(true);
    expect(msgs.some((m) => m.protocol === 'bittorrent-tracker' && /event started/.test(m.summary))).toBe(true);
  });

  it('can be stopped mid-run', async () => {
    let result: SwarmResult | null = null;
    const off = lab.on('swarm.result', (r) => (result = r));
    await lab['swarm.start'](small.replace('upload: 2 MiB/s', 'upload: 64 KiB/s').replace('upload: 512 KiB/s', 'upload: 32 KiB/s'));
    await new Promise((r) => setTimeout(r, 300));
    const state = await lab['swarm.stop']();
    expect(state.running).toBe(false);
    await waitFor(() => result, 'the partial result', 5000);
    off();
    expect((result as unknown as SwarmResult).distributionTime).toBeNull();
  });

  it('netlab swarm FILE --json parses', () => {
    expect(parseCli(['swarm', 'x.yaml', '--json'])).toEqual({ command: 'swarm', file: 'x.yaml', json: true });
    expect(parseCli(['swarm'])).toMatchObject({ command: 'error' });
  });
});
