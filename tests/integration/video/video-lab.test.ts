/**
 * The shipped lab resources/labs/video.yaml done as a student does it: dig for the redirection,
 * curl for the manifest from the cluster, ffprobe on the HLS master playlist, the Video tab's
 * player (its API) for the segments and a slower link. Every check turns ✓ from that real traffic.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LabCheckPassed } from '../../../src-main/lab/api';
import { labForFile, waitFor } from '../../helpers/lab';

const run = promisify(execFile);
const held = labForFile();

describe('the video lab', () => {
  it('turns every check ✓ from a student\'s dig, curl and the player', { timeout: 60_000 }, async () => {
    const { lab, port } = held;
    const passed: LabCheckPassed[] = [];
    lab.on('labs.passed', (p) => passed.push(p));
    const opened = await lab['labs.open']('shipped', 'video.yaml');
    expect(opened.tasks.map((t) => t.id)).toEqual(['redirect', 'manifest', 'hls', 'play', 'squeeze']);
    // the lab's scenario: a client in Europe, a 1500 kbit/s link
    expect((await lab['video.state']()).region).toBe('europe');
    const seen = (check: string) => waitFor(() => passed.find((p) => p.check === check), `the check ${check}`, 15_000);

    const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), 'video.netcinema.com', '+short', '+tries=1', '+time=5']);
    expect(stdout.trim().split('\n')).toEqual(['a1105.kingcdn.com.', '203.0.113.10']);
    await seen('cname');
    await seen('cdn-asked');

    await run('curl', ['-sf', '-o', '/dev/null', '-H', 'Host: video.netcinema.com', `http://127.0.0.1:${port('cdn-a')}/trailer/manifest.mpd`]);
    await seen('mpd');

    // the HLS task: the master playlist from the origin server, as ffprobe (the task's hint) asks for it: with Range: bytes=0-, answered 206
    await run('ffprobe', ['-v', 'error', '-headers', 'Host: video.netcinema.com\r\n', '-show_entries', 'stream=codec_name', `http://127.0.0.1:${port('http')}/trailer/master.m3u8`], { timeout: 30_000 });
    await seen('master');

    await lab['video.play']({ maxBufferSec: 60 });
    await lab.video.finished();
    await seen('segments');
    expect(passed.find((p) => p.check === 'lower')).toBeUndefined();
    await lab['video.configure']({ rateKbps: 400 });
    await lab['video.play']({ maxBufferSec: 60 });
    await seen('lower');
    lab['video.stop']();
    await lab.video.finished();
    const status = await lab['labs.status']();
    expect(status?.tasks.every((t) => t.checks.every((c) => c.passed))).toBe(true);
  });
});
