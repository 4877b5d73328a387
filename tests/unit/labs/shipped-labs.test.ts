/** Every shipped lab file parses: a mistake in one is caught here at its line, before a student meets it. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLabFile } from '../../../src-main/lab/labs/lab-file';

const DIR = path.resolve(__dirname, '..', '..', '..', 'resources', 'labs');

describe('shipped labs', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  it('are the six of issue 12 (at least)', () => {
    expect(files).toEqual(expect.arrayContaining(['sockets.yaml', 'http.yaml', 'web-caching.yaml', 'mail-by-hand.yaml', 'dns.yaml', 'p2p.yaml', 'overlays.yaml']));
  });
  for (const f of files) {
    it(`${f} parses`, () => {
      const r = checkLabFile(fs.readFileSync(path.join(DIR, f), 'utf8'));
      expect(r.ok ? 'ok' : `line ${r.error.line}: ${r.error.message}`).toBe('ok');
    });
  }
});
