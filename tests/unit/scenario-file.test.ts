import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../helpers/lab';
import { labDefaultPorts } from '../helpers/ports';
import { parseScenario } from '../../src-main/lab/scenarios/scenario-file';
import { parseCli } from '../../src-main/cli-args';

describe('scenario files', () => {
  it('accepts service settings', () => {
    const s = parseScenario('name: lossy\nservices:\n  echo-udp:\n    link: { lossRate: 0.5 }\n  echo-tcp:\n    mode: persistent\n');
    expect(s.services?.['echo-udp']?.link?.lossRate).toBe(0.5);
    expect(s.services?.['echo-tcp']?.mode).toBe('persistent');
  });

  it('names the line that is wrong', () => {
    expect(() => parseScenario('services:\n  echo-tcp:\n    mode: chatty\n')).toThrow(/^line 3: services\.echo-tcp\.mode/);
    expect(() => parseScenario('services:\n  echo-tcp:\n    port: 70000\n')).toThrow(/^line 3:/);
    expect(() => parseScenario('services: [\n')).toThrow(/^line \d+:/);
    expect(() => parseScenario('colour: blue\n')).toThrow(/colour|Unrecognized/);
    expect(() => parseScenario('services:\n  echo-tcp: {}\n  echo-tpc:\n    port: 1\n', ['echo-tcp', 'echo-udp'])).toThrow(
      /^line 3: services\.echo-tpc: no service called echo-tpc/,
    );
  });
});

describe('shipped scenarios', () => {
  const dir = path.join(RESOURCES, 'scenarios');
  // swarm-*.yaml, dht-*.yaml and overlays-*.yaml have their own schemas (p2p-core.test.ts, p2p/dht-cli.test.ts, p2p/overlay-cli.test.ts)
  it.each(fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.startsWith('swarm-') && !f.startsWith('dht-') && !f.startsWith('overlays-')))('%s is valid', async (file) => {
    // checked against the lab's own service ids, as `netlab serve --scenario` checks it
    const ids = [...(await labDefaultPorts()).keys()];
    expect(parseScenario(fs.readFileSync(path.join(dir, file), 'utf8'), ids).name).toBeTruthy();
  });
});

describe('netlab command line', () => {
  it('parses serve and its options', () => {
    expect(parseCli(['serve', '--no-open', '--ui-port', '7171', '--data-dir', '/tmp/x'])).toEqual({
      command: 'serve',
      open: false,
      uiPort: 7171,
      dataDir: '/tmp/x',
      scenario: undefined,
    });
    expect(parseCli([])).toMatchObject({ command: 'serve', uiPort: 7070, open: true });
  });

  it('explains bad arguments', () => {
    expect(parseCli(['serve', '--ui-port', 'abc'])).toMatchObject({ command: 'error', message: expect.stringContaining('--ui-port abc') });
    expect(parseCli(['launch'])).toMatchObject({ command: 'error', message: "unknown command 'launch'" });
    expect(parseCli(['serve', '--bogus'])).toMatchObject({ command: 'error' });
  });
});
