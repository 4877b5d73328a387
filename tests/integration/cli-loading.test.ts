/**
 * Each `netlab` command loads only the code it uses (issue 19): the built entry imports
 * nothing of the lab before it knows the command, so `netlab --version` and `netlab --help`
 * answer without reading the lab bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/proc';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'out', 'main', 'cli.js');

describe('the netlab command line', () => {
  it('imports only the version and Node built-ins up front; each command its own part on demand', () => {
    const code = fs.readFileSync(CLI, 'utf8');
    const staticImports = [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1]);
    expect(staticImports.filter((s) => !s.startsWith('node:'))).toEqual([expect.stringMatching(/^\.\/chunks\/version-[\w-]+\.js$/)]);
    const onDemand = [...code.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]);
    for (const part of ['serve-cli', 'swarm-cli', 'labs-cli', 'experiment-cli']) expect(onDemand.some((s) => s.includes(part))).toBe(true);
  });

  it('serve listens and prints its address before the lab loads: its first part imports no lab code, no ws, no schemas', () => {
    const chunks = path.join(ROOT, 'out', 'main', 'chunks');
    const serveCli = fs.readdirSync(chunks).find((f) => /^serve-cli-[\w-]+\.js$/.test(f));
    expect(serveCli).toBeDefined();
    // the chunk and every chunk it imports statically, followed through
    const seen = new Set<string>();
    const external = new Set<string>();
    const follow = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = fs.readFileSync(path.join(chunks, file), 'utf8');
      for (const m of code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gm)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith('./')) follow(spec.slice(2));
        else external.add(spec);
      }
    };
    follow(serveCli!);
    expect([...external].filter((s) => !s.startsWith('node:'))).toEqual([]);
    expect([...seen].filter((f) => /^(lab|api|swarm|attach|serve-lab)-/.test(f))).toEqual([]);
    const onDemand = [...fs.readFileSync(path.join(chunks, serveCli!), 'utf8').matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(onDemand.some((s) => s.includes('serve-lab'))).toBe(true);
  });

  it('answers --version and --help, and a wrong command with the usage', async () => {
    const version = await run('node', [path.join(ROOT, 'bin', 'netlab.mjs'), '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await run('node', [path.join(ROOT, 'bin', 'netlab.mjs'), '--help']);
    expect(help.stdout).toContain('Usage: netlab serve');
    const wrong = await run('node', [path.join(ROOT, 'bin', 'netlab.mjs'), 'frobnicate']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Usage: netlab serve');
  });
});
