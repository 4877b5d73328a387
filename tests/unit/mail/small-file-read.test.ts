/**
 * The synchronous read IMAP's FETCH uses for message files: the same confinement as the
 * promise API (a link out of the Maildir is refused, at the last step or in a folder on the
 * way), the bytes whole, and a file over the size bound left to the asynchronous read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutsideRootError, readFileConfined, readSmallFileConfinedSync } from '../../../src-main/lab/confined-fs';

let base = '';
let outside = '';

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-small-read-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-small-outside-'));
  fs.mkdirSync(path.join(base, 'cur'));
  fs.writeFileSync(path.join(outside, 'secret'), 'not mail');
});

afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('readSmallFileConfinedSync', () => {
  it('reads a small file whole, the same bytes as the promise API', async () => {
    const file = path.join(base, 'cur', '1.M1P1.lab:2,S');
    const bytes = Buffer.from('Subject: hello\n\nbody\n'.repeat(100));
    fs.writeFileSync(file, bytes);
    const got = readSmallFileConfinedSync(file, { base }, 64 * 1024);
    expect(got?.equals(bytes)).toBe(true);
    expect(got?.equals(await readFileConfined(file, { base }))).toBe(true);
  });

  it('leaves a file over the bound to the asynchronous read', () => {
    const file = path.join(base, 'cur', 'big');
    fs.writeFileSync(file, Buffer.alloc(5000, 0x61));
    expect(readSmallFileConfinedSync(file, { base }, 4096)).toBeNull();
    expect(readSmallFileConfinedSync(file, { base }, 5000)?.length).toBe(5000);
  });

  it('refuses a link out of its scope, as a file or as a folder on the way', () => {
    fs.symlinkSync(path.join(outside, 'secret'), path.join(base, 'cur', 'linked'));
    expect(() => readSmallFileConfinedSync(path.join(base, 'cur', 'linked'), { base }, 4096)).toThrow(OutsideRootError);
    fs.symlinkSync(outside, path.join(base, 'new'));
    expect(() => readSmallFileConfinedSync(path.join(base, 'new', 'secret'), { base }, 4096)).toThrow(OutsideRootError);
  });

  it('says ENOENT for a file that is not there and EISDIR for a folder', () => {
    expect(() => readSmallFileConfinedSync(path.join(base, 'cur', 'gone'), { base }, 4096)).toThrow(/ENOENT/);
    expect(() => readSmallFileConfinedSync(path.join(base, 'cur'), { base }, 4096)).toThrow(/EISDIR/);
  });
});
