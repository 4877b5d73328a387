/// <reference types="vite/client" />
/**
 * No UI string outside the catalogues (issue: a second language): every .vue file and script of
 * the renderer is scanned (scan.ts says what counts as a UI string). A string that must stay as
 * it is (a protocol's own word, a host name, an example command) is either inside an element
 * marked translate="no" or listed in an exempt-*.ts file with the reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanScript, scanVue, type Exemption, type Finding } from './scan';

const root = resolve(__dirname, '../../../src-renderer/src');

const exemptFiles = import.meta.glob<{ default: Exemption[] }>('./exempt-*.ts', { eager: true });
const exempt = Object.values(exemptFiles).flatMap((m) => m.default);
/** files not yet converted, by area: each list shrinks to empty and its file is deleted */
const pendingFiles = import.meta.glob<{ default: string[] }>('./pending-*.ts', { eager: true });
const pending = new Set(Object.values(pendingFiles).flatMap((m) => m.default));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'i18n' ? [] : sources(p);
    return /\.(vue|ts)$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

const all = sources(root).map((p) => relative(root, p));

function findings(rel: string): Finding[] {
  const p = join(root, rel);
  const raw = rel.endsWith('.vue') ? scanVue(p) : scanScript(p, readFileSync(p, 'utf8'));
  return raw.filter((f) => !exempt.some((e) => e.file === rel && e.text === f.text)).map((f) => ({ ...f, file: rel }));
}

describe('every UI string is in the catalogues', () => {
  it.each(all.filter((f) => !pending.has(f)))('%s', (rel) => {
    expect(findings(rel).map((f) => `${rel}:${f.line} ${JSON.stringify(f.text)}`)).toEqual([]);
  });

  it('every exemption still matches a string in its file and says why', () => {
    for (const e of exempt) {
      expect(all, `exempt file ${e.file}`).toContain(e.file);
      expect(e.why.length, `${e.file} ${e.text}`).toBeGreaterThan(8);
      const p = join(root, e.file);
      const raw = e.file.endsWith('.vue') ? scanVue(p) : scanScript(p, readFileSync(p, 'utf8'));
      expect(raw.some((f) => f.text === e.text), `${e.file}: ${JSON.stringify(e.text)} is no longer there`).toBe(true);
    }
  });

  it('a pending file still has strings to move (else take it off the pending list)', () => {
    for (const rel of pending) {
      expect(all, rel).toContain(rel);
      expect(findings(rel).length, `${rel} is done: take it off its pending list`).toBeGreaterThan(0);
    }
  });
});
