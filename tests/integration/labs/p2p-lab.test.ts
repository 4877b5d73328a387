/**
 * p2p.yaml done start to finish through `netlab lab run`: the bounds worked out from the
 * textbook's formulas (§2.5.1), then the shipped textbook swarm run in the lab, its
 * distribution time against D_P2P.
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
  it('the bounds answered, a wrong one kept open, and a swarm within 3×D_P2P', async () => {
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
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 180_000);
});
