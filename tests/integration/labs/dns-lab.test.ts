/**
 * dns.yaml done start to finish through `netlab lab run` with dig, and nslookup typed in the
 * lab terminal (an outside dig of the same question does not pass it): a query, the iterative walk
 * with RD=0 from the root down, the local server's recursion, its cache's TTL, and the
 * registration of networkutopia.com in the zones. Answers are read from dig's own output.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, labRun, passedChecks, ROOT, type LabRun } from '../../helpers/lab-run';
import { run } from '../../helpers/proc';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

async function dig(lab: LabRun, server: string, ...args: string[]): Promise<string> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(lab.ports[server]), '+tries=1', '+time=5', ...args]);
  return r.stdout;
}

/** the records of a section of dig's output: [name, ttl, class, type, data] */
function section(out: string, name: 'ANSWER' | 'AUTHORITY'): string[][] {
  const part = out.split(`;; ${name} SECTION:\n`)[1]?.split('\n\n')[0] ?? '';
  return part.split('\n').filter(Boolean).map((l) => l.split(/\s+/));
}

describe('DNS lab through netlab lab run', () => {
  it('every check passes with dig and the zone saves', async () => {
    lab = await labRun('dns.yaml');
    // the nslookup task's question asked from outside (a shell's dig): not the lab terminal, it stays open
    const outside = section(await dig(lab, 'dns-local', 'hamburger.edu', 'MX'), 'ANSWER');
    expect(outside[0][3]).toBe('MX');
    // 1. a query to the local server
    const a = section(await dig(lab, 'dns-local', 'gaia.cs.umass.edu', 'A'), 'ANSWER');
    expect(a[0][3]).toBe('A');
    await lab.passed('dig', 'query');
    const open = (await lab.command('status')).status.tasks.find((t: { id: string }) => t.id === 'nslookup');
    expect(open.checks.find((c: { id: string }) => c.id === 'mx-query').passed).toBe(false);
    expect(await lab.command(`answer nslookup mail-server ${outside[0][5]}`)).toMatchObject({ correct: false });

    // 1b. nslookup typed in the lab terminal
    const from = lab.lines.length;
    lab.terminal('nslookup -type=MX hamburger.edu');
    await lab.waitLine((l) => typeof l.terminal === 'string' && lab!.lines.slice(from).some((x) => /mail exchanger = \d+ \S/.test(x.terminal ?? '')), 'nslookup\'s answer');
    const printed = lab.lines.slice(from).map((l) => l.terminal ?? '').join('');
    const exchanger = /mail exchanger = \d+ (\S+?)\.?\s/.exec(printed)![1];
    await lab.passed('nslookup', 'mx-query');
    expect(await lab.command('answer nslookup mail-server dns.hamburger.edu')).toMatchObject({ correct: false });
    expect(await lab.command(`answer nslookup mail-server ${exchanger}`)).toMatchObject({ correct: true });
    expect(await lab.command('answer dig address 10.0.0.1')).toMatchObject({ correct: false });
    expect(await lab.command(`answer dig address ${a[0][4]}`)).toMatchObject({ correct: true });

    // 2. iterative: root, edu, umass, each with RD=0
    const referral = section(await dig(lab, 'dns-root', '+norecurse', 'gaia.cs.umass.edu'), 'AUTHORITY');
    const eduServer = referral.find((r) => r[3] === 'NS')![4].replace(/\.$/, '');
    await lab.passed('iterative', 'root');
    await dig(lab, 'dns-edu', '+norecurse', 'gaia.cs.umass.edu');
    await lab.passed('iterative', 'tld');
    const auth = await dig(lab, 'dns-umass', '+norecurse', 'gaia.cs.umass.edu');
    expect(auth).toMatch(/flags: qr aa/);
    await lab.passed('iterative', 'authoritative');
    expect(await lab.command(`answer iterative edu-server ${eduServer}`)).toMatchObject({ correct: true });

    // 3. recursion by the local server (its cache was flushed when the lab started)
    const first = section(await dig(lab, 'dns-local', 'www.someschool.edu'), 'ANSWER');
    await lab.passed('recursive', 'walked');
    expect(await lab.command(`answer recursive someschool-address ${first[0][4]}`)).toMatchObject({ correct: true });

    // 4. the cache: the same question later, a smaller TTL
    await new Promise((r) => setTimeout(r, 2100));
    const second = section(await dig(lab, 'dns-local', 'www.someschool.edu'), 'ANSWER');
    expect(Number(second[0][1])).toBeLessThan(Number(first[0][1]));
    await lab.passed('caching', 'asked-twice');
    expect(await lab.command(`answer caching ttl ${first[0][1]}`)).toMatchObject({ correct: false });
    expect(await lab.command(`answer caching ttl ${second[0][1]}`)).toMatchObject({ correct: true });

    // 5. registration: the zones as the textbook's finished registration has them
    const before = await dig(lab, 'dns-local', 'www.networkutopia.com');
    expect(section(before, 'ANSWER')).toEqual([]);
    const zones = path.join(ROOT, 'resources', 'zones');
    expect(await lab.command(`zone com ${path.join(zones, 'com.zone')}`)).toMatchObject({ ok: true });
    await lab.passed('register', 'ns');
    await lab.passed('register', 'glue');
    expect(await lab.command(`zone networkutopia.com ${path.join(zones, 'networkutopia.com.zone')}`)).toMatchObject({ ok: true });
    await lab.passed('register', 'www');
    const after = section(await dig(lab, 'dns-local', 'www.networkutopia.com'), 'ANSWER');
    expect(after[0][4]).toBe('212.212.212.4');
    await lab.passed('register', 'resolved');
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 90_000);
});
