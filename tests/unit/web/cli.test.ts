/** `netlab experiment ...` arguments. */
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../src-main/cli-args';

describe('netlab experiment', () => {
  it('parses the two experiments and their numbers', () => {
    expect(parseCli(['experiment', 'persistence', '--rtt', '50', '--json'])).toEqual({ command: 'experiment', name: 'persistence', rttMs: 50, delayMs: undefined, requests: undefined, parallel: undefined, largeKB: undefined, rateKbps: undefined, json: true });
    expect(parseCli(['experiment', 'persistence', '--parallel', '3', '--large', '100', '--rate', '8000'])).toMatchObject({ parallel: 3, largeKB: 100, rateKbps: 8000 });
    expect(parseCli(['experiment', 'caching', '--delay', '2000', '--requests', '20'])).toMatchObject({ command: 'experiment', name: 'caching', delayMs: 2000, requests: 20, json: false });
  });

  it('explains what is wrong', () => {
    expect(parseCli(['experiment'])).toMatchObject({ command: 'error', message: /persistence, caching/ });
    expect(parseCli(['experiment', 'persistence', '--rtt', '-5'])).toMatchObject({ command: 'error' });
    expect(parseCli(['experiment', 'persistence', '--rtt', '99999'])).toMatchObject({ command: 'error', message: /from 0 to 2000/ });
    expect(parseCli(['experiment', 'caching', '--requests', '0'])).toMatchObject({ command: 'error' });
    expect(parseCli(['experiment', 'persistence', '--parallel', '0'])).toMatchObject({ command: 'error', message: /at least 1/ });
    expect(parseCli(['experiment', 'persistence', '--parallel', '99'])).toMatchObject({ command: 'error', message: /from 0 to 20/ });
  });
});
