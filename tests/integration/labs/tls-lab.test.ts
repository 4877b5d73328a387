/** tls.yaml done start to finish through `netlab lab run`: curl over HTTPS trusting the lab CA, swaks --tls. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, labRun, passedChecks, type LabRun } from '../../helpers/lab-run';
import { run } from '../../helpers/proc';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('TLS lab through netlab lab run', () => {
  it('HTTPS and STARTTLS pass with curl and swaks; the answers are checked', async () => {
    lab = await labRun('tls.yaml');
    const ca = path.join(lab.dataDir, 'tls', 'lab-ca.pem');
    const port = lab.ports.https;
    const curl = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', ca, '--resolve', `gaia.cs.umass.edu:${port}:127.0.0.1`, `https://gaia.cs.umass.edu:${port}/`]);
    expect(curl.stdout, curl.stderr).toBe('200');
    await lab.passed('https', 'get-over-tls');
    expect(await lab.command('answer https sni www.someschool.edu')).toMatchObject({ correct: false });
    expect(await lab.command('answer https sni gaia.cs.umass.edu')).toMatchObject({ correct: true });
    expect(await lab.command('answer https hidden sizes')).toMatchObject({ correct: false });
    expect(await lab.command('answer https hidden path')).toMatchObject({ correct: true });
    const swaks = await run('swaks', ['--server', '127.0.0.1', '--port', String(lab.ports.smtp), '--tls', '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu'], { timeoutMs: 15_000 });
    expect(swaks.code, swaks.stdout).toBe(0);
    await lab.passed('starttls', 'starttls');
    expect(passedChecks(lab).sort()).toEqual(allChecks(lab).sort());
  });
});
