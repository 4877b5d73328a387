/**
 * http.yaml done start to finish through `netlab lab run` with curl, as the Wireshark HTTP lab
 * asks: the answers are read from what curl showed, never known beforehand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, labRun, passedChecks, type LabRun } from '../../helpers/lab-run';
import { run } from '../../helpers/proc';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const GAIA = 'http://gaia.cs.umass.edu/wireshark-labs';

async function curl(lab: LabRun, url: string, ...extra: string[]): Promise<{ status: number; headers: Map<string, string> }> {
  const port = lab.ports.http;
  const r = await run('curl', ['-s', '-i', '-o', '-', '--connect-to', `gaia.cs.umass.edu:80:127.0.0.1:${port}`, '--connect-to', `www.someschool.edu:80:127.0.0.1:${port}`, ...extra, url]);
  const head = r.stdout.split('\r\n\r\n')[0].split('\r\n');
  const headers = new Map(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(head[0].split(' ')[1]), headers };
}

describe('HTTP lab through netlab lab run', () => {
  it('the five parts pass with curl, every question answered from the capture', async () => {
    lab = await labRun('http.yaml');
    // 1. basic GET
    const one = await curl(lab, `${GAIA}/HTTP-wireshark-file1.html`);
    expect(one.status).toBe(200);
    await lab.passed('basic', 'get-file1');
    const wrong = await lab.command('answer basic last-modified Mon, 01 Jan 1990 00:00:00 GMT');
    expect(wrong.correct).toBe(false);
    expect(wrong.message).not.toContain(one.headers.get('last-modified'));
    expect(await lab.command(`answer basic status-code ${one.status}`)).toMatchObject({ correct: true });
    expect(await lab.command(`answer basic last-modified ${one.headers.get('last-modified')}`)).toMatchObject({ correct: true });
    expect(await lab.command(`answer basic content-length ${one.headers.get('content-length')}`)).toMatchObject({ correct: true });

    // 2. conditional GET: the second asks If-Modified-Since the first's Last-Modified
    const first = await curl(lab, `${GAIA}/HTTP-wireshark-file2.html`);
    const second = await curl(lab, `${GAIA}/HTTP-wireshark-file2.html`, '-H', `If-Modified-Since: ${first.headers.get('last-modified')}`);
    expect(second.status).toBe(304);
    await lab.passed('conditional', 'conditional-304');
    expect(await lab.command('answer conditional second-status 200')).toMatchObject({ correct: false });
    expect(await lab.command(`answer conditional second-status ${second.status} Not Modified`)).toMatchObject({ correct: true });

    // 3. the long document
    const three = await curl(lab, `${GAIA}/HTTP-wireshark-file3.html`);
    await lab.passed('long', 'get-file3');
    expect(await lab.command(`answer long file3-length ${three.headers.get('content-length')}`)).toMatchObject({ correct: true });

    // 4. embedded objects, fetched as a browser would after reading the page
    const page = await run('curl', ['-s', '--connect-to', `gaia.cs.umass.edu:80:127.0.0.1:${lab.ports.http}`, `${GAIA}/HTTP-wireshark-file4.html`]);
    const images = [...page.stdout.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    expect(images.length).toBe(2);
    for (const src of images) expect((await curl(lab, new URL(src, `${GAIA}/`).href)).status).toBe(200);
    await lab.passed('embedded', 'get-file4');
    await lab.passed('embedded', 'get-pearson');
    await lab.passed('embedded', 'get-pic1');
    expect(await lab.command(`answer embedded image-requests ${images.length}`)).toMatchObject({ correct: true });

    // 5. Basic authentication: 401 first, then with the credentials
    const denied = await curl(lab, `${GAIA}/protected_pages/HTTP-wireshark-file5.html`);
    expect(denied.status).toBe(401);
    expect((await curl(lab, `${GAIA}/protected_pages/HTTP-wireshark-file5.html`, '-u', 'wireshark-students:network')).status).toBe(200);
    await lab.passed('auth', 'unauthorized');
    await lab.passed('auth', 'authorized');
    expect(await lab.command(`answer auth first-status ${denied.status}`)).toMatchObject({ correct: true });

    await lab.waitLine(() => passedChecks(lab!).length === allChecks(lab!).length, 'every check to pass');
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 90_000);
});
