/**
 * p2p.yaml done start to finish through `netlab lab run`: the bounds worked out from the
 * textbook's formulas (§2.5.1), then the shipped textbook swarm run in the lab, its
 * distribution time against D_P2P, then the free-rider scenario: tit-for-tat gives the peer
 * that uploads nothing fewer slots, and its completion time is answered from the run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, labRun, passedChecks, type LabRun } from '../../helpers/lab-run';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const dcs = (n: number, F: number, us: number, dmin: number): number => Math.max((n * F) / us, F / dmin);
const dp2p = (n: number, F: number, us: number, u: number, dmin: number): number => Math.max(F / us, F / dmin, (n * F) / (us + n * u));

describe('P2P lab through netlab lab run', () => {
  it('the bounds answered, a wrong one kept open, a swarm within 3×D_P2P, and the free-rider left behind by tit-for-tat', async () => {
    lab = await labRun('p2p.yaml');
    const [F, us, u, dmin] = [600, 30, 2, 20];
    // the client-server number given for the P2P bound: wrong, and the reply does not say the right one
    const wrong = await lab.command(`answer bounds dp2p-30 ${dcs(30, F, us, dmin)}`);
    expect(wrong.correct).toBe(false);
    expect(wrong.message).not.toMatch(/200/);
    for (const [id, v] of [
      ['dcs-30', dcs(30, F, us, dmin)],
      ['dp2p-30', dp2p(30, F, us, u, dmin)],
      ['dcs-300', dcs(300, F, us, dmin)],
      ['dp2p-300', dp2p(300, F, us, u, dmin).toFixed(2)],
    ] as const) {
      expect(await lab.command(`answer bounds ${id} ${v}`), id).toMatchObject({ correct: true });
    }
    expect(await lab.command('answer swarm grows d_cs')).toMatchObject({ correct: true });
    expect(await lab.command('swarm swarm-textbook.yaml')).toMatchObject({ running: true });
    await lab.passed('swarm', 'within-bound', 120_000);
    const textbook = await lab.waitLine((l) => l.swarm === 'textbook', 'the textbook run\'s result', 120_000);
    expect(textbook.peers.some((p: { freeRider: boolean }) => p.freeRider)).toBe(false);
    // no free-rider in that run: the tit-for-tat check stays open, and the question has nothing to be answered from
    const before = (await lab.command('status')).status.tasks.find((t: { id: string }) => t.id === 'free-rider');
    expect(before.checks.find((c: { id: string }) => c.id === 'choked').passed).toBe(false);
    expect(await lab.command('answer free-rider rider-time 20')).toMatchObject({ correct: false });

    // the next run may start once the textbook's client-server baseline is done
    const deadline = Date.now() + 120_000;
    while (!(await lab.command('swarm swarm-free-rider.yaml')).running) {
      if (Date.now() > deadline) throw new Error('the free-rider swarm never started');
      await new Promise((r) => setTimeout(r, 200));
    }
    const run = await lab.waitLine((l) => l.swarm === 'free-rider', 'the free-rider run\'s result', 150_000);
    await lab.passed('free-rider', 'choked', 20_000);
    const rider = run.peers.find((p: { freeRider: boolean }) => p.freeRider);
    const givers = run.peers.filter((p: { freeRider: boolean }) => !p.freeRider);
    expect(givers).toHaveLength(8);
    // fewer tit-for-tat slots than the uploaders' median (one of them may be starved on a busy machine)
    const shares = givers.map((p: { regularShare: number }) => p.regularShare).sort((a: number, b: number) => a - b);
    expect(rider.regularShare).toBeLessThan(shares[Math.floor(shares.length / 2)]);
    expect(rider.completionTime).toBeGreaterThan(0);
    const off = await lab.command(`answer free-rider rider-time ${(rider.completionTime + 3).toFixed(2)}`);
    expect(off.correct).toBe(false);
    expect(off.message).not.toContain(rider.completionTime.toFixed(1));
    expect(await lab.command(`answer free-rider rider-time ${rider.completionTime.toFixed(2)}`)).toMatchObject({ correct: true });
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 420_000);
});
