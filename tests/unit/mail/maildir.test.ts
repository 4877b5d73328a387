/** Maildir store: delivery through tmp/ into new/, and listings in delivery order. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MaildirStore } from '../../../src-main/lab/mail/maildir';
import { toDisk, toWire, wireSize } from '../../../src-main/lab/mail/maildir-lines';
import { tempDir } from '../../helpers/lab';

const stores: MaildirStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

describe('MaildirStore', () => {
  it('lists oldest first with numbers compared as numbers, new/ and cur/ together, nothing left in tmp/', async () => {
    const root = await tempDir('netlab-maildir-');
    const store = new MaildirStore(root);
    stores.push(store);
    const bases = ['1795306279.N1Q10R1.netlab', '1795306279.N1Q9R1.netlab', '999999999.N1Q1R1.netlab', '1795306279.N1Q100R1.netlab'];
    // the file holds LF (4 bytes), the wire CRLF (5): Dovecot's S= and W= tags say both
    const uids = bases.map((b) => `${b},S=4,W=5`);
    for (const base of bases) await store.deliver('hamburger.edu', 'bob', base, [Buffer.from('hi\r\n'), Buffer.from('x')]);
    // a message a mail reader has seen moves to cur/ with its flags
    const box = store.boxDir('hamburger.edu', 'bob');
    await fs.rename(path.join(box, 'new', uids[0]), path.join(box, 'cur', `${uids[0]}:2,S`));
    const listed = await store.list('hamburger.edu', 'bob');
    expect(listed.map((f) => f.uid)).toEqual([uids[2], uids[1], uids[0], uids[3]]);
    expect(listed.map((f) => f.size)).toEqual([4, 4, 4, 4]);
    expect(listed.map((f) => f.wireSize)).toEqual([5, 5, 5, 5]);
    expect(await fs.readdir(path.join(box, 'tmp'))).toEqual([]);
    expect(await fs.readFile(path.join(box, 'new', uids[1]), 'latin1')).toBe('hi\nx');
    expect((await store.read(listed[2])).toString()).toBe('hi\r\nx');
  });

  it('never delivers through a mailbox that is a symbolic link out of the mail folder', async () => {
    const dataDir = await tempDir('netlab-maildir-');
    const outside = await tempDir('netlab-outside-');
    const root = path.join(dataDir, 'mail');
    await fs.mkdir(path.join(root, 'crepes.fr'), { recursive: true });
    await fs.symlink(outside, path.join(root, 'crepes.fr', 'alice'));
    const store = new MaildirStore(root, dataDir);
    stores.push(store);
    await expect(store.deliver('crepes.fr', 'alice', '1700000000.M1P1.netlab', [Buffer.from('hi')])).rejects.toThrow(/symbolic link/);
    await expect(store.list('crepes.fr', 'alice')).rejects.toThrow(/symbolic link/);
    expect(await fs.readdir(outside)).toEqual([]);
  });
});

describe('Maildir line ends (LF on disk, CRLF on the wire)', () => {
  const cases = [
    'Subject: x\r\n\r\nbody\r\n',
    '.dot\r\n..dots\r\n',
    'bare\rCR inside\r\n',
    'a bare CR before the line end\r\r\n',
    'CR CR LF LF\r\r\n\r\n\r\n',
    '\r',
    '\r\n',
    'no line end',
    '',
  ];
  it('the round trip is exact for every text without a bare LF, bare CRs included', () => {
    for (const c of cases) {
      const wire = Buffer.from(c, 'latin1');
      const disk = toDisk(wire);
      expect(toWire(disk).toString('latin1'), JSON.stringify(c)).toBe(c);
      expect(wireSize(disk)).toBe(wire.length);
    }
    expect(toDisk(Buffer.from('a\r\nb\rc\r\r\n')).toString()).toBe('a\nb\rc\r\n');
  });
});
