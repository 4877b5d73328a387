/** FTP (RFC 959, RFC 2428) with real clients: curl passive and active, python's ftplib both modes, lftp. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, tempDir } from '../../helpers/lab';
import { PYTHON, run } from '../../helpers/proc';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;
let url: string;

beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
  url = `ftp://127.0.0.1:${port('ftp')}`;
});
afterAll(() => lab.shutdown());

const home = (user: string): string => path.join(dataDir, 'ftp', 'home', user);

describe('curl', () => {
  it('lists and downloads the public area anonymously, passive with EPSV and with PASV', async () => {
    const list = await run('curl', ['-sS', `${url}/`]);
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(/^-r--r--r-- 1 ftp ftp +\d+ \w{3} [ \d]\d [\d:]+ README\.txt\r?$/m);
    expect(list.stdout).toMatch(/^dr-xr-xr-x .* rfc\r?$/m);
    const pasv = await run('curl', ['-sS', '--disable-epsv', `${url}/rfc/rfc959-abstract.txt`]);
    expect(pasv.stdout).toContain('RFC 959 FILE TRANSFER PROTOCOL');
    expect(pasv.stdout).toBe(await fs.readFile(path.join(dataDir, 'ftp', 'pub', 'rfc', 'rfc959-abstract.txt'), 'utf8'));
  });

  it('uploads and downloads a binary file as a lab user, passive and active (--ftp-port -)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'blob.bin');
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 255));
    await fs.writeFile(file, bytes);
    for (const active of [false, true]) {
      const mode = active ? ['--ftp-port', '-'] : [];
      const name = active ? 'active.bin' : 'passive.bin';
      const up = await run('curl', ['-sS', ...mode, '-T', file, `ftp://alice:hungry@127.0.0.1:${port('ftp')}/${name}`]);
      expect(up.stderr).toBe('');
      // compared as bytes (toEqual walks 300,000 elements one by one)
      expect((await fs.readFile(path.join(home('alice@crepes.fr'), name))).equals(bytes)).toBe(true);
      const down = await run('curl', ['-sS', ...mode, '-o', path.join(dir, `got-${name}`), `ftp://alice:hungry@127.0.0.1:${port('ftp')}/${name}`]);
      expect(down.stderr).toBe('');
      expect((await fs.readFile(path.join(dir, `got-${name}`))).equals(bytes)).toBe(true);
    }
  });

  it('answers on ::1 too: EPSV over IPv6 (PASV is IPv4 only)', async () => {
    const r = await run('curl', ['-sS', `ftp://[::1]:${port('ftp')}/README.txt`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Welcome to the NetLab FTP server');
  });

  it('says 530 for a wrong password', async () => {
    const r = await run('curl', ['-sS', `ftp://alice:wrong@127.0.0.1:${port('ftp')}/`]);
    expect(r.code).toBe(67); // CURLE_LOGIN_DENIED
    expect(r.stderr).toMatch(/530/);
  });
});

const FTPLIB = String.raw`
import ftplib, io, sys
port, passive = int(sys.argv[1]), sys.argv[2] == 'passive'
out = []
f = ftplib.FTP()
out.append(f.connect('127.0.0.1', port))
f.set_pasv(passive)
out.append(f.login('bob', 'hungry'))
out.append(f.pwd())
out.append(f.mkd('notes'))
out.append(f.cwd('notes'))
data = bytes(range(256)) * 400
out.append(f.storbinary('STOR data.bin', io.BytesIO(data)))
out.append(f.storlines('STOR poem.txt', io.BytesIO(b'line one\r\nline two\r\n')))
out.append('NLST ' + ','.join(sorted(f.nlst())))
lines = []
f.retrlines('LIST', lines.append)
out.append('LIST ' + str(len(lines)))
out.append('MLSD ' + ','.join(sorted(n + ':' + facts['type'] + ':' + facts.get('size', '') for n, facts in f.mlsd())))
got = io.BytesIO()
out.append(f.retrbinary('RETR data.bin', got.write))
out.append('same' if got.getvalue() == data else 'DIFFERENT')
out.append('SIZE ' + str(f.size('data.bin')))
out.append(f.sendcmd('MDTM data.bin'))
out.append(f.rename('data.bin', 'renamed.bin'))
out.append(f.delete('poem.txt'))
out.append('NLST ' + ','.join(sorted(f.nlst())))
out.append(f.cwd('..'))
try:
    f.rmd('notes')
except ftplib.error_perm as e:
    out.append('RMD ' + str(e))
out.append(f.quit())
print('\n'.join(out))
`;

describe('python ftplib', () => {
  for (const mode of ['passive', 'active'] as const) {
    it(`uploads, lists, downloads, renames and deletes (${mode})`, async () => {
      await fs.rm(home('bob@hamburger.edu'), { recursive: true, force: true });
      const r = await run(PYTHON, ['-c', FTPLIB, String(port('ftp')), mode]);
      expect(r.stderr).toBe('');
      const out = r.stdout.split('\n');
      expect(out[0]).toMatch(/^220 /);
      expect(out).toContain('230 User logged in, proceed.');
      expect(out).toContain('/');
      expect(out).toContain('/notes');
      expect(out).toContain('NLST data.bin,poem.txt');
      expect(out).toContain('LIST 2');
      expect(out).toContain('MLSD data.bin:file:102400,poem.txt:file:18');
      expect(out.filter((l) => l.startsWith('226 '))).toHaveLength(3);
      expect(out).toContain('same');
      expect(out).toContain('SIZE 102400');
      expect(out.find((l) => l.startsWith('213 '))).toMatch(/^213 \d{14}$/);
      expect(out).toContain('NLST renamed.bin');
      expect(out.find((l) => l.startsWith('RMD '))).toMatch(/^RMD 550 /);
      expect(out[out.length - 2]).toMatch(/^221 /);
      // on disk: the upload in ASCII mode stored with the system's line ends
      const dir = path.join(home('bob@hamburger.edu'), 'notes');
      expect((await fs.readdir(dir)).sort()).toEqual(['renamed.bin']);
      expect((await fs.readFile(path.join(dir, 'renamed.bin'))).length).toBe(102400);
    });
  }
});

describe('lftp', () => {
  it('mirrors a folder up and gets a file back', async () => {
    const which = await run('sh', ['-c', 'command -v lftp']);
    if (which.code !== 0) return; // lftp is not installed here: the other clients cover the protocol
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'up'));
    await fs.writeFile(path.join(dir, 'up', 'a.txt'), 'alpha\n');
    await fs.writeFile(path.join(dir, 'up', 'b.txt'), 'beta\n');
    const script = `set cmd:fail-exit yes; set net:max-retries 1; open -u carol,pickles ftp://127.0.0.1:${port('ftp')}; mirror -R ${path.join(dir, 'up')} up; cls -1 up; get /up/b.txt -o ${path.join(dir, 'b-back.txt')}; bye`;
    const r = await run('lftp', ['-c', script], { timeoutMs: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('up/a.txt');
    expect(await fs.readFile(path.join(dir, 'b-back.txt'), 'utf8')).toBe('beta\n');
    expect(await fs.readFile(path.join(home('carol@hamburger.edu'), 'up', 'a.txt'), 'utf8')).toBe('alpha\n');
  });
});
