/** web-caching.yaml done start to finish through `netlab lab run` with curl through the lab proxy: miss, hit, revalidation. */
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, labRun, passedChecks, type LabRun } from '../../helpers/lab-run';
import { run } from '../../helpers/proc';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const URL_ = 'http://www.someschool.edu/someDepartment/home.index';

async function viaProxy(lab: LabRun): Promise<string> {
  const r = await run('curl', ['-s', '-i', '-x', `http://127.0.0.1:${lab.ports.proxy}`, URL_], { timeoutMs: 20_000 });
  return /^X-Cache: (\w+)/im.exec(r.stdout)?.[1] ?? `no X-Cache in ${r.stdout.slice(0, 200)}`;
}

describe('web caching lab through netlab lab run', () => {
  it('a miss, a hit and a revalidation pass; the origin saw one request before the revalidation', async () => {
    lab = await labRun('web-caching.yaml');
    expect(await viaProxy(lab)).toBe('MISS');
    const miss = await lab.passed('miss', 'miss');
    // the cache check points at curl's request through the proxy and its response
    const stored = await lab.passed('miss', 'stored');
    expect(stored.evidence).toEqual(expect.arrayContaining(miss.evidence));
    expect(await viaProxy(lab)).toBe('HIT');
    await lab.passed('hit', 'hit');
    const wrong = await lab.command('answer hit origin-requests 2');
    expect(wrong.correct).toBe(false);
    expect(await lab.command('answer hit origin-requests 1')).toMatchObject({ correct: true });
    // the copy is fresh for 5 s (the lab's max-age): after that the proxy revalidates
    await new Promise((r) => setTimeout(r, 6500));
    expect(await viaProxy(lab)).toBe('REVALIDATED');
    await lab.passed('revalidate', 'conditional-get');
    await lab.passed('revalidate', 'revalidated');
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 90_000);
});
