/**
 * overlays.yaml done start to finish through `netlab lab run`: Napster's index typed with nc
 * (the lab's own peers logging in do not pass it), the found file fetched with curl from the
 * peer that holds it, the flood counts worked out, and the comparison answered.
 */
import { afterEach, expect, it } from 'vitest';
import { labRun, passedChecks, type LabRun } from '../../helpers/lab-run';
import { run } from '../../helpers/proc';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

it('Napster by hand with nc, the file with curl, the flood formula, the busiest node', async () => {
  lab = await labRun('overlays.yaml');
  const port = lab.ports.overlays;
  expect(port).toBeGreaterThan(0);
  // the twelve peers registered with the index already: that is not the student typing
  const before = (await lab.command('status')).status.tasks.find((t: { id: string }) => t.id === 'napster');
  expect(before.checks[0].passed).toBe(false);
  const nc = await run('nc', ['-q', '1', '127.0.0.1', String(port)], { input: 'LOGIN student 9999\r\nADD 1 4000 my-song.mp3\r\nSEARCH rare-bootleg\r\nQUIT\r\n', timeoutMs: 10_000 });
  const hit = /^210 rare-bootleg\.mp3 (\d+) ([\d.]+):(\d+) (\d+) (p\d+)\r?$/m.exec(nc.stdout);
  expect(hit, nc.stdout).toBeTruthy();
  await lab.passed('napster', 'by-hand', 10_000);
  const [, size, address, peerPort, index] = hit!;
  const curl = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', `http://${address}:${peerPort}/get/${index}/rare-bootleg.mp3`]);
  expect(curl.stdout).toBe(`200 ${size}`);
  await lab.passed('download', 'get', 10_000);
  expect(await lab.command('answer flooding tree 30')).toMatchObject({ correct: false });
  for (const [id, v] of [['tree', 14], ['ring', 8], ['complete', 9]] as const) expect(await lab.command(`answer flooding ${id} ${v}`), id).toMatchObject({ correct: true });
  expect(await lab.command('answer compare busiest napster')).toMatchObject({ correct: true });
  expect(passedChecks(lab)).toEqual(expect.arrayContaining(['napster/by-hand', 'download/get', 'flooding/tree', 'flooding/ring', 'flooding/complete', 'compare/busiest']));
});
