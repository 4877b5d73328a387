import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileUnder } from '../../src-main/static-path';

describe('serving files under one folder', () => {
  const root = path.resolve('/srv/ui');
  it('maps / to index.html and paths to files below the root', () => {
    expect(fileUnder(root, '/')).toBe(path.join(root, 'index.html'));
    expect(fileUnder(root, '/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
  });
  it('never leaves the root, encoded or not', () => {
    for (const p of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x', '/..%2f..%2fx']) {
      const f = fileUnder(root, p);
      expect(f === null || f.startsWith(root + path.sep), p).toBe(true);
    }
    expect(fileUnder(root, '/%E0%A4%A')).toBeNull();
  });
});
