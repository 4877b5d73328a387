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

  // the client-server baseline (N·F/u_s = 4 × 512 KiB at 256 KiB/s ≈ 8 s) outlasts the swarm
  const withBaseline = small.replace('upload: 2 MiB/s', 'upload: 256 KiB/s').replace('capture: true', 'baseline: true');

  it('after the swarm, the client-server baseline is reported running with its progress, and a new run is refused until its result', async () => {
    const snaps: SwarmSnapshot[] = [];
    let result: SwarmResult | null = null;
    const off1 = lab.on('swarm.snapshot', (s) => snaps.push(s));
    const off2 = lab.on('swarm.result', (r) => (result = r));
    await lab['swarm.start'](withBaseline);
    await waitFor(() => snaps.some((s) => s.phase === 'baseline'), 'the swarm to end with the baseline still running', 20_000);
    const during = await lab['swarm.state']();
    expect(during).toMatchObject({ running: false, phase: 'baseline', result: null });
    expect(during.snapshot!.baseline).toMatchObject({ state: 'running', clients: 4 });
    await expect(lab['swarm.start'](small)).rejects.toThrow(/client-server baseline of the last run is still running \(\d+%\): Run again when its result is in/);
    await waitFor(() => result, 'the result with the baseline', 30_000);
    off1();
    off2();
    const progress = snaps.filter((s) => s.phase === 'baseline').map((s) => s.baseline!.progress);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!).toBeGreaterThan(progress[0]);
    expect(snaps.at(-1)).toMatchObject({ phase: 'done', baseline: { state: 'done', progress: 1, clientsDone: 4 } });
    expect((result as unknown as SwarmResult).baseline!.distributionTime).toBeGreaterThan(0);
    expect(await lab['swarm.state']()).toMatchObject({ running: false, phase: 'done' });
  }, 60_000);

  it('Stop during the baseline ends it: the result comes without it, and Run works again', async () => {
    let result: SwarmResult | null = null;
    const off = lab.on('swarm.result', (r) => (result = r));
    await lab['swarm.start'](withBaseline);
    await waitFor(async () => (await lab['swarm.state']()).phase === 'baseline', 'the baseline phase', 20_000);
    await lab['swarm.stop']();
    await waitFor(() => result, 'the result', 5000);
    off();
    expect((result as unknown as SwarmResult).baseline).toBeUndefined();
    expect((result as unknown as SwarmResult).distributionTime).not.toBeNull();
    expect((await lab['swarm.start'](small)).running).toBe(true);
    await lab['swarm.stop']();
  }, 60_000);

  it('netlab swarm FILE --json parses', () => {
    expect(parseCli(['swarm', 'x.yaml', '--json'])).toEqual({ command: 'swarm', file: 'x.yaml', json: true });
    expect(parseCli(['swarm'])).toMatchObject({ command: 'error' });
  });
});
