/**
 * The lab's descriptor budget: the soft limit it reads is the process's, the reserve kept
 * for the lab itself is a quarter of it within 64..1024, and a connection past the budget is
 * refused. And the premise it rests on: Node raises its own soft limit to the hard one when
 * it starts (node.cc's platform init), so `netlab` started from a shell with `ulimit -n 256`
 * still has the hard limit to spend — no launcher needs to re-run it under a higher limit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DescriptorBudget, softDescriptorLimit } from '../../src-main/lab/services/descriptors';

const posix = process.platform !== 'win32';

describe('the descriptor budget', () => {
  it.skipIf(!posix)('reads the soft limit a child shell inherits from this process', () => {
    const shell = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'latin1' }).trim();
    expect(String(softDescriptorLimit())).toBe(shell);
  });

  it('keeps a quarter of the limit, at least 64 and at most 1024, and refuses past the rest', () => {
    expect([256, 1024, 20_000, 65_536].map((n) => new DescriptorBudget(n).budget)).toEqual([192, 768, 18_976, 64_512]);
    const b = new DescriptorBudget(66);
    expect(b.reserve).toBe(64);
    expect([b.open(), b.open(), b.open()]).toEqual([true, true, false]);
    b.closed();
    b.closed();
    expect(b.open()).toBe(true);
    expect(new DescriptorBudget(null).budget).toBe(Infinity);
  });

  it.skipIf(!posix)('a Node process started with a soft limit of 256 runs with its hard limit', () => {
    const hard = execFileSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'latin1' }).trim();
    const script = 'ulimit -Sn 256 && exec "$0" -e "process.stdout.write(require(\'child_process\').execFileSync(\'/bin/sh\', [\'-c\', \'ulimit -n\'], { encoding: \'latin1\' }))"';
    const r = spawnSync('/bin/sh', ['-c', script, process.execPath], { encoding: 'latin1' });
    expect(r.status).toBe(0);
    // a hard limit of "unlimited" (macOS) is met by the highest the system grants: above 256
    if (hard === 'unlimited') expect(Number(r.stdout.trim())).toBeGreaterThan(256);
    else expect(r.stdout.trim()).toBe(hard);
  });
});
