/** The web area's scenario keys: `web.server` and `web.proxy`, validated with the line that is wrong. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../../helpers/lab';
import { parseScenario } from '../../../src-main/lab/scenarios/scenario-file';

describe('web scenario keys', () => {
  it('accepts the web server and proxy switches', () => {
    const s = parseScenario(
      [
        'name: web',
        'web:',
        '  server: { forceNonPersistent: true, maxAgeSec: 60, headerTimeoutMs: 2000, idleTimeoutMs: 5000 }',
        '  proxy:',
        '    cacheEnabled: false',
        '    accessKbps: 15000',
        '    internetDelayMs: 2000',
        '',
      ].join('\n'),
    );
    expect(s.web?.server).toEqual({ forceNonPersistent: true, maxAgeSec: 60, headerTimeoutMs: 2000, idleTimeoutMs: 5000 });
    expect(s.web?.proxy).toEqual({ cacheEnabled: false, accessKbps: 15000, internetDelayMs: 2000 });
  });

  it('names the line of a wrong value, a misspelt key or a wrong type', () => {
    expect(() => parseScenario('name: x\nweb:\n  server:\n    forceNonPersistent: yes please\n')).toThrow(/^line 4: web\.server\.forceNonPersistent: /);
    expect(() => parseScenario('web:\n  proxy:\n    cacheEnabled: true\n    internetDelayMs: 20000\n')).toThrow(/^line 4: web\.proxy\.internetDelayMs: .*10000/);
    expect(() => parseScenario('web:\n  server:\n    maxAgeSec: -1\n')).toThrow(/^line 3: web\.server\.maxAgeSec/);
    expect(() => parseScenario('web:\n  server:\n    headerTimeoutMs: 10\n')).toThrow(/^line 3: web\.server\.headerTimeoutMs/);
    // a key the schema does not know is named, at the line of its map
    expect(() => parseScenario('web:\n  proxy:\n    cache: true\n')).toThrow(/^line 3: web\.proxy: Unrecognized key.*cache/);
    expect(() => parseScenario('web:\n  cache: {}\n')).toThrow(/^line 2: web: Unrecognized key.*cache/);
    expect(() => parseScenario('web: 3\n')).toThrow(/^line 1: web: /);
  });
});

describe('shipped web scenarios', () => {
  const read = (f: string) => fs.readFileSync(path.join(RESOURCES, 'scenarios', f), 'utf8');
  it('web-caching.yaml: the textbook example (2 s Internet delay, 15 Mbps access link, cache on)', () => {
    const s = parseScenario(read('web-caching.yaml'));
    expect(s.web?.proxy).toEqual({ cacheEnabled: true, accessKbps: 15000, internetDelayMs: 2000 });
  });
  it('web-non-persistent.yaml forces Connection: close', () => {
    expect(parseScenario(read('web-non-persistent.yaml')).web?.server?.forceNonPersistent).toBe(true);
  });
});
