/**
 * Symbolic links planted in the data directory, outside the web sites: zone files, scenario
 * copies, echo programs, Maildir messages and mailboxes. Each is refused with a clear API
 * error (and POP3's -ERR), never followed: nothing outside the data directory is read or
 * written.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { runProgramCheck } from '../../src-main/lab/labs/program-check';
import { startLab, tempDir } from '../helpers/lab';
import { run } from '../helpers/proc';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;
let outside: string;
const SECRET = 'outside the data directory';

beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
  outside = await tempDir('netlab-outside-');
  await fs.writeFile(path.join(outside, 'secret.txt'), SECRET);
});
afterAll(() => lab.shutdown());

const outsideNames = () => fs.readdir(outside).then((n) => n.sort());
const secretKept = async () => {
  expect(await outsideNames()).toEqual(['secret.txt']);
  expect(await fs.readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe(SECRET);
};

async function plant(target: string, link: string): Promise<void> {
  await fs.mkdir(path.dirname(link), { recursive: true });
  await fs.symlink(target, link);
}

describe('symbolic links in the data directory are refused, not followed', () => {
  it('a zone file link: reading and saving the zone are refused; reset removes only the link', async () => {
    await plant(path.join(outside, 'secret.txt'), path.join(dataDir, 'zones', 'com.zone'));
    await expect(lab['dns.readZone']('com')).rejects.toThrow(/symbolic link/);
    const shipped = (await lab['dns.readZone']('edu')).text;
    await expect(lab['dns.saveZone']('com', shipped.replaceAll('edu.', 'com.'))).rejects.toThrow(/symbolic link/);
    await secretKept();
    await lab['dns.resetZone']('com');
    expect((await lab['dns.readZone']('com')).modified).toBe(false);
    await secretKept();
  });

  it('a scenarios folder link: saving a copy is refused, files outside are not listed', async () => {
    await fs.writeFile(path.join(outside, 'evil.yaml'), 'name: from outside\n');
    await plant(outside, path.join(dataDir, 'scenarios'));
    await expect(lab['scenarios.save']('mine.yaml', 'name: mine\n')).rejects.toThrow(/symbolic link/);
    expect((await lab['scenarios.files']()).map((f) => f.name)).not.toContain('evil.yaml');
    await fs.rm(path.join(outside, 'evil.yaml'));
    await fs.unlink(path.join(dataDir, 'scenarios'));
    await secretKept();
  });

  it("an echo program's user copy that is a link: read, run and save refused; reset removes the link only", async () => {
    await plant(path.join(outside, 'secret.txt'), path.join(dataDir, 'programs', 'python', 'UDPClient.py'));
    await expect(lab['programs.read']('udp-client', 'python')).rejects.toThrow(/symbolic link/);
    await expect(lab['programs.run']('udp-client', 'python')).rejects.toThrow(/symbolic link/);
    await expect(lab['programs.save']('udp-client', 'python', 'print("x")\n')).rejects.toThrow(/symbolic link/);
    await secretKept();
    await lab['programs.reset']('udp-client', 'python');
    expect((await lab['programs.read']('udp-client', 'python')).modified).toBe(false);
    await secretKept();
  });

  it('a Maildir message that is a link: POP3 RETR says -ERR and the mail view refuses it', async () => {
    const uid = '1700000000.M1P1.netlab,S=26';
    await plant(path.join(outside, 'secret.txt'), path.join(dataDir, 'mail', 'hamburger.edu', 'bob', 'new', uid));
    const script = [
      'import poplib',
      `p = poplib.POP3('127.0.0.1', ${port('pop3')}); p.user('bob'); p.pass_('hungry')`,
      'try:',
      '    print(b"\\n".join(p.retr(1)[1]).decode())',
      'except poplib.error_proto as e:',
      '    print(e)',
      'p.quit()',
    ].join('\n');
    const pop = await run('python3', ['-c', script]);
    expect(pop.stdout).not.toContain(SECRET);
    expect(pop.stdout).toMatch(/^b?'?-ERR/);
    await expect(lab['mail.message']('bob@hamburger.edu', uid)).rejects.toThrow(/symbolic link/);
    expect((await lab['mail.mailbox']('bob@hamburger.edu')).map((m) => m.uid)).not.toContain(uid);
  });

  it('an IMAP folder that is a link out of the Maildir: not listed, SELECT says NO, the message that is a link is not given out', async () => {
    const box = path.join(dataDir, 'mail', 'hamburger.edu', 'carol');
    await fs.mkdir(path.join(outside, 'cur'), { recursive: true });
    await fs.writeFile(path.join(outside, 'cur', '1700000000.M2P2.netlab,S=26'), SECRET);
    await plant(outside, path.join(box, '.Stolen'));
    await plant(path.join(outside, 'secret.txt'), path.join(box, 'new', '1700000001.M3P3.netlab,S=26'));
    const script = [
      'import imaplib',
      `m = imaplib.IMAP4('127.0.0.1', ${port('imap')}); m.login('carol', 'pickles')`,
      'print(m.list()[1])',
      "print(m.select('Stolen'))",
      "print(m.select('INBOX')[0], m.fetch('1', '(BODY.PEEK[])'))",
      'm.logout()',
    ].join('\n');
    const out = await run('python3', ['-c', script]);
    expect(out.stdout).not.toContain(SECRET);
    expect(out.stdout).toContain(`[b'(\\\\HasNoChildren) "." "INBOX"']`);
    expect(out.stdout).toMatch(/\('NO', \[b'the server could not do that/);
    expect(out.stdout).toMatch(/OK \('NO', \[b'1 message\(s\) could not be read: removed by another client, or a link out of the Maildir'\]\)/);
    await fs.unlink(path.join(box, '.Stolen'));
    await fs.unlink(path.join(box, 'new', '1700000001.M3P3.netlab,S=26'));
    await fs.rm(path.join(outside, 'cur'), { recursive: true });
    await secretKept();
  });

  it('a mailbox that is a link to another folder: the mail view refuses it, the user list still answers', async () => {
    await fs.writeFile(path.join(outside, 'stolen,S=26'), SECRET);
    const box = path.join(dataDir, 'mail', 'crepes.fr', 'pierre');
    await fs.rm(path.join(box, 'new'), { recursive: true, force: true });
    await plant(outside, path.join(box, 'new'));
    await expect(lab['mail.mailbox']('pierre@crepes.fr')).rejects.toThrow(/symbolic link/);
    const users = await lab['mail.users']();
    expect(users.find((u) => u.address === 'pierre@crepes.fr')?.messages).toBe(0);
    await fs.rm(path.join(outside, 'stolen,S=26'));
  });

  it('a programs/www that leads out: the web server check writes nothing through it and says why', async () => {
    await fs.mkdir(path.join(dataDir, 'programs'), { recursive: true });
    await fs.rm(path.join(dataDir, 'programs', 'www'), { recursive: true, force: true });
    await fs.symlink(outside, path.join(dataDir, 'programs', 'www'));
    const r = await runProgramCheck(lab, { kind: 'program', id: 'w', assignment: 'web-server' });
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/symbolic link/);
    await secretKept();
    await fs.unlink(path.join(dataDir, 'programs', 'www'));
  });
});
