/** The mail spool: its journal's records read back (checksums, torn tails, damage, the zero fill) and the journal on disk. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptRecord, doneRecord, readJournal, type DoneRecord, type SpoolEntry } from '../../../src-main/lab/mail/journal';
import { Spool } from '../../../src-main/lab/mail/spool';
import { tempDir } from '../../helpers/lab';

describe('spool journal', () => {
  it('replays a journal an earlier NetLab wrote (no checksums) and stops quietly at a torn tail', () => {
    const meta = Buffer.from(JSON.stringify({ id: 'a1', from: 'alice@crepes.fr', rcpts: ['bob@hamburger.edu'], received: 1 }));
    const data = Buffer.from('Subject: hi\r\n\r\nbody\r\n');
    const rec = Buffer.concat([Buffer.from(`A a1 ${meta.length} ${data.length}\n`), meta, data, Buffer.from('\n')]);
    const done = Buffer.from('D a1/hamburger.edu {"files":["x"],"outcome":"delivered"}\n');
    const torn = rec.subarray(0, rec.length - 5);
    const accepted = new Map<string, SpoolEntry>();
    const dones: DoneRecord[] = [];
    const read = readJournal(Buffer.concat([rec, done, torn]), { accepted, done: dones });
    expect(accepted.get('a1')?.data.toString()).toBe(data.toString());
    expect(dones).toEqual([{ key: 'a1/hamburger.edu', files: ['x'], outcome: 'delivered' }]);
    expect(read.torn).toBe(true);
    expect(read.damaged).toEqual([]);
  });

  const entry = (i: number): SpoolEntry => ({ id: `m${i}`, from: 'alice@crepes.fr', rcpts: ['bob@hamburger.edu'], received: i, data: Buffer.from(`Subject: ${i}\r\n\r\nline\nA m99 1 1 00000000\nD x 00000000 {}\n`) });
  const journal = (n: number): { buf: Buffer; starts: number[] } => {
    const parts: Buffer[] = [Buffer.from('NETLAB-SPOOL 2\n')];
    const starts: number[] = [];
    let at = parts[0].length;
    for (let i = 1; i <= n; i++) {
      const rec = Buffer.concat([...acceptRecord(entry(i)), doneRecord({ key: `m${i}/x.edu`, files: [], outcome: 'relayed' })]);
      starts.push(at);
      parts.push(rec);
      at += rec.length;
    }
    return { buf: Buffer.concat(parts), starts };
  };

  it('round-trips its records, and a torn last record is not damage', () => {
    const { buf } = journal(10);
    const all = readJournal(buf);
    expect([...all.accepted.keys()]).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
    expect(all.accepted.get('m4')?.data.equals(entry(4).data)).toBe(true);
    expect(all.done).toHaveLength(10);
    expect(all.damaged).toEqual([]);
    const cut = readJournal(buf.subarray(0, buf.length - 30));
    expect(cut.torn).toBe(true);
    expect(cut.done).toHaveLength(9);
    expect(cut.accepted.size).toBe(10);
    expect(cut.damaged).toEqual([]);
  });

  it('the zeros the spool fills ahead are not part of the journal; a record cut short before them is a torn tail', () => {
    const { buf } = journal(5);
    const zeros = Buffer.alloc(100_000);
    const filled = readJournal(Buffer.concat([buf, zeros]));
    expect(filled.accepted.size).toBe(5);
    expect(filled.done).toHaveLength(5);
    expect(filled.damaged).toEqual([]);
    expect(filled.torn).toBe(false);
    const cut = readJournal(Buffer.concat([buf.subarray(0, buf.length - 30), zeros]));
    expect(cut.torn).toBe(true);
    expect(cut.done).toHaveLength(4);
    expect(cut.damaged).toEqual([]);
  });

  it('one changed byte costs exactly its record: the rest is read and the damage is reported', () => {
    for (const where of ['head', 'meta', 'data'] as const) {
      const { buf, starts } = journal(10);
      const at = starts[2] + (where === 'head' ? 4 : where === 'meta' ? 40 : 120);
      buf[at] ^= 0x01;
      const read = readJournal(buf);
      expect([...read.accepted.keys()].sort(), where).toEqual(['m1', 'm10', 'm2', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
      expect(read.done).toHaveLength(10);
      expect(read.damaged).toHaveLength(1);
      expect(read.damaged[0].offset).toBe(starts[2]);
    }
  });

  it('a damaged length that runs past the end is damage, not a torn tail', () => {
    const { buf, starts } = journal(3);
    const nl = buf.indexOf(0x0a, starts[1]);
    const fields = buf.subarray(starts[1], nl).toString('latin1').split(' ');
    fields[3] = '9'.repeat(fields[3].length);
    const damaged = Buffer.concat([buf.subarray(0, starts[1]), Buffer.from(fields.join(' ')), buf.subarray(nl)]);
    const read = readJournal(damaged);
    expect(read.accepted.has('m1') && read.accepted.has('m3') && !read.accepted.has('m2')).toBe(true);
    expect(read.damaged.length).toBe(1);
  });
});

describe('spool on disk', () => {
  it('group-commits, rolls its journal, replays what is not done, and drops rolled files', async () => {
    const dir = await tempDir('netlab-spool-');
    const spool = new Spool(dir, 2000);
    await spool.open();
    const entry = (i: number) => ({ id: `m${i}`, from: 'alice@crepes.fr', rcpts: ['bob@hamburger.edu'], received: i, data: Buffer.alloc(500, 0x61) });
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => spool.append(entry(i))));
    for (const i of [1, 2, 3]) spool.done({ key: `m${i}/hamburger.edu`, files: [], outcome: 'delivered' });
    await spool.append(entry(7));
    expect(spool.rolled.length).toBeGreaterThan(0);
    await spool.close();
    const again = new Spool(dir, 2000);
    const { pending, older } = await again.open();
    expect(pending.map((e) => e.id).sort()).toEqual(['m4', 'm5', 'm6', 'm7']);
    expect(older.length).toBeGreaterThan(1);
    await again.close();
    const files = await fs.readdir(dir);
    expect(files.length).toBeGreaterThan(1);
  });

  it('writes its records into a zero-filled journal (the file does not grow per commit), and reads them all back', async () => {
    const dir = await tempDir('netlab-spool-');
    const spool = new Spool(dir);
    await spool.open();
    const entry = (i: number) => ({ id: `z${i}`, from: 'alice@crepes.fr', rcpts: ['bob@hamburger.edu'], received: i, data: Buffer.alloc(1000, 0x62) });
    await spool.append(entry(0));
    const file = path.join(dir, (await fs.readdir(dir)).find((n) => n.startsWith('journal-')) ?? '');
    const first = (await fs.stat(file)).size;
    for (let i = 1; i <= 20; i++) await spool.append(entry(i));
    expect((await fs.stat(file)).size).toBe(first);
    await spool.close();
    const bytes = await fs.readFile(file);
    expect(bytes[bytes.length - 1]).toBe(0);
    expect(bytes.subarray(0, 15).toString()).toBe('NETLAB-SPOOL 2\n');
    const again = new Spool(dir);
    const { pending, damaged } = await again.open();
    expect(pending.map((e) => e.id)).toEqual(Array.from({ length: 21 }, (_, i) => `z${i}`));
    expect(pending[20].data.equals(entry(20).data)).toBe(true);
    expect(damaged).toEqual([]);
    await again.close();
  });
});
