import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runError } from '../../src-renderer/src/components/scenarios/runErrors';
import { run } from '../helpers/proc';

/** Run a broken program with the real interpreter and return what it printed on stderr. */
async function stderrOf(name: string, source: string, cmd: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'netlab-runerr-'));
  const file = path.join(dir, name);
  await fs.writeFile(file, source);
  const out = await run(cmd, [file]);
  expect(out.code).not.toBe(0);
  return out.stderr;
}

describe('the error of a run, at its line', () => {
  it("python3's SyntaxError", async () => {
    const err = await stderrOf('udp-client.py', 'from socket import *\nserverName = "localhost"\nprint("a"\nx = = 2\n', 'python3');
    const at = runError(err, 'udp-client.py');
    expect(at?.line).toBeGreaterThanOrEqual(3);
    expect(at?.line).toBeLessThanOrEqual(4);
    expect(at?.message).toMatch(/^SyntaxError: /);
  });

  it("python3's runtime error through the socket library points at the program's own line", async () => {
    const err = await stderrOf('udp-client.py', 'from socket import *\ns = socket(AF_INET, SOCK_DGRAM)\n\ns.sendto(b"x", ("localhost", 99999))\n', 'python3');
    expect(runError(err, 'udp-client.py')).toEqual({ line: 4, message: expect.stringMatching(/^OverflowError: /) });
  });

  it("node's SyntaxError in an .mjs program", async () => {
    const err = await stderrOf('udp-client.mjs', "import dgram from 'node:dgram';\nconst a = 1;\nconst b = = 2;\n", process.execPath);
    expect(runError(err, 'udp-client.mjs')).toEqual({ line: 3, message: expect.stringMatching(/^SyntaxError: /) });
  });

  it('nothing when the error is in another file or there is none', () => {
    expect(runError('  File "/usr/lib/python3/socket.py", line 12\nOSError: x\n', 'udp-client.py')).toBeNull();
    expect(runError('', 'udp-client.py')).toBeNull();
  });
});
