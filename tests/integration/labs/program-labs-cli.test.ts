/**
 * The program labs done start to finish through `netlab lab run --json --free-ports`, as a
 * script does them: real clients (nc, swaks, curl) for the tasks by hand, the reference
 * solutions (tests/fixtures/programs) as the student's saved programs, `program TASK CHECK`
 * on stdin for the program checks. Every check must pass. Needs the build (out/).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, labRun, passedChecks, type LabRun } from '../../helpers/lab-run';
import { run } from '../../helpers/proc';
import { programCheck, reference, saveProgram } from '../../helpers/program-lab';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('the program labs through netlab lab run', () => {
  it('udp-pinger.yaml: datagrams by hand through the lossy link, then the reference pinger', async () => {
    lab = await labRun('resources/labs/udp-pinger.yaml');
    await saveProgram(lab, 'UDPPinger.py', await reference('UDPPinger.py'));
    // 30 % loss each way: keep sending until a sentence comes back
    const cameBack = lab.passed('lossy-echo', 'came-back', 30_000);
    for (let i = 0; i < 15 && !passedChecks(lab).includes('lossy-echo/came-back'); i++) {
      await run('nc', ['-u', '-w1', '127.0.0.1', String(lab.ports['echo-udp'])], { input: `hello pinger ${i}\n`, timeoutMs: 5000 });
    }
    await cameBack;
    let answer = await programCheck(lab, 'pinger', 'pinger-check');
    // a run in which the link drops none of 10 pings (odds under 1 in 1,000) is reported, not passed: try again
    if (!answer.passed && /lost none of them/.test(answer.detail)) answer = await programCheck(lab, 'pinger', 'pinger-check');
    expect(answer.detail).toMatch(/your program printed "Request timed out" for exactly those/);
    expect(answer.passed).toBe(true);
    await lab.passed('pinger', 'pinger-check');
    await lab.passed('pinger', 'first-ping');
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 120_000);

  it('smtp-client.yaml: HELO by hand with swaks, then the reference client delivers to bob', async () => {
    lab = await labRun('resources/labs/smtp-client.yaml');
    await saveProgram(lab, 'SMTPClient.py', await reference('SMTPClient.py'));
    const swaks = await run('swaks', ['--server', `127.0.0.1:${lab.ports['smtp-hamburger']}`, '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--helo', 'alice'], { timeoutMs: 20_000 });
    expect(swaks.stdout).toMatch(/<-\s+250/);
    await lab.passed('greeting', 'helo');
    const answer = await programCheck(lab, 'client', 'delivered');
    expect(answer.detail).toMatch(/DATA → 354, message → 250, QUIT → 221\. bob@hamburger\.edu's mailbox received the message/);
    expect(answer.passed).toBe(true);
    await lab.passed('client', 'delivered');
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 120_000);

  it('web-proxy.yaml: the object by hand with curl, then the reference proxy caches it', async () => {
    lab = await labRun('resources/labs/web-proxy.yaml');
    await saveProgram(lab, 'ProxyServer.py', await reference('ProxyServer.py'));
    const curl = await run('curl', ['-s', '-i', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${lab.ports.http}/wireshark-labs/HTTP-wireshark-file1.html`]);
    expect(curl.stdout).toMatch(/^HTTP\/1\.1 200/);
    await lab.passed('origin', 'fetched');
    const answer = await programCheck(lab, 'proxy', 'cached');
    expect(answer.detail).toContain('the origin saw one request');
    expect(answer.passed).toBe(true);
    await lab.passed('proxy', 'cached');
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 120_000);

  it('web-proxy.yaml: a proxy that forwards every request stays open, and says why', async () => {
    lab = await labRun('resources/labs/web-proxy.yaml');
    await saveProgram(lab, 'ProxyServer.py', (await reference('ProxyServer.py')).replace('if url in cache:', 'if False:'));
    const answer = await programCheck(lab, 'proxy', 'cached');
    expect(answer.passed).toBe(false);
    expect(answer.detail).toMatch(/saw 2 requests for it/);
    expect(passedChecks(lab)).not.toContain('proxy/cached');
    // the checker's own fetch from the origin is the lab's, not the student's by hand
    expect(passedChecks(lab)).not.toContain('origin/fetched');
  }, 120_000);
});
