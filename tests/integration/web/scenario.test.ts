/**
 * Loading a scenario with `web:` keys changes what real clients see: the shipped
 * non-persistent scenario puts `Connection: close` on every response (curl opens a
 * connection per URL); the shipped caching scenario puts the 2 s Internet delay between
 * the proxy and the origin, and a repeat is a fast HIT.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from '../../../src-main/lab/lab';
import { RESOURCES, tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.shutdown();
  lab = undefined;
});

async function labWith(scenarioFile: string): Promise<{ lab: Lab; port: (id: string) => number }> {
  const l = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser', ports: new Proxy({}, { get: () => 0 }) });
  lab = l;
  await l.start(await l.scenarios.load(path.join(RESOURCES, 'scenarios', scenarioFile)));
  const port = (id: string): number => l.services.find((s) => s.id === id)!.port;
  return { lab: l, port };
}

describe('web scenarios, loaded', () => {
  it('web-non-persistent.yaml: Connection: close on every response, one connection per URL', async () => {
    const { lab, port } = await labWith('web-non-persistent.yaml');
    expect((await lab['web.settings']()).forceNonPersistent).toBe(true);
    const base = `http://127.0.0.1:${port('http')}`;
    const r = await run('curl', ['-sv', '--max-time', '10', '-o', '/dev/null', '-o', '/dev/null', `${base}/`, `${base}/someDepartment/home.index`]);
    const responses = r.stderr.match(/^< HTTP\/1\.1 \d{3}/gm) ?? [];
    expect(responses).toHaveLength(2);
    expect(r.stderr.match(/^< Connection: close/gim) ?? []).toHaveLength(2);
    // curl could not reuse the first connection: it connected twice
    expect(r.stderr.match(/^\* Connected to/gm)?.length ?? 0).toBe(2);
    expect(r.stderr).not.toMatch(/Re-using existing connection/);
  });

  it('web-caching.yaml: a MISS pays the 2 s Internet delay, the repeat is a HIT fresh for an hour', async () => {
    const { lab, port } = await labWith('web-caching.yaml');
    const st = await lab['web.proxyStatus']();
    expect(st).toMatchObject({ cacheEnabled: true, internetDelayMs: 2000, accessKbps: 15000 });
    const fetch = () =>
      run('curl', ['-s', '-i', '--max-time', '15', '-w', '\\n%{time_total}', '-x', `http://127.0.0.1:${port('proxy')}`, 'http://www.someschool.edu/someDepartment/home.index'], {
        timeoutMs: 20_000,
      });
    const miss = await fetch();
    expect(miss.stdout).toMatch(/X-Cache: MISS/);
    expect(miss.stdout).toMatch(/Cache-Control: max-age=3600/i);
    expect(Number(miss.stdout.trim().split('\n').pop())).toBeGreaterThanOrEqual(1.9);
    const hit = await fetch();
    expect(hit.stdout).toMatch(/X-Cache: HIT/);
  }, 30_000);
});
