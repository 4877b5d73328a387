/** FTP's wire format and the capture's framing of it (pure). */
import { describe, expect, it } from 'vitest';
import { formatEpsv, formatHostPort, formatReply, parseCommand, parseEprt, parseHostPort, passivePort } from '../../../src-main/lab/ftp/ftp-codec';
import { FtpFramer } from '../../../src-main/lab/ftp/ftp-framer';
import { ftpDecoder } from '../../../src-main/lab/ftp/ftp-decoder';
import { listLines, mlsdLines } from '../../../src-main/lab/ftp/ftp-listing';

describe('FTP codec', () => {
  it('splits a command into an upper-cased verb and its argument, spaces kept', () => {
    expect(parseCommand('retr my file.txt')).toEqual({ verb: 'RETR', arg: 'my file.txt' });
    expect(parseCommand('PWD')).toEqual({ verb: 'PWD', arg: '' });
  });

  it('formats single and multi-line replies as RFC 959 §4.2 says', () => {
    expect(formatReply(331, 'User name okay, need password.')).toBe('331 User name okay, need password.\r\n');
    expect(formatReply(211, ['Features:', 'EPSV', 'End'])).toBe('211-Features:\r\n EPSV\r\n211 End\r\n');
  });

  it('round-trips PORT/PASV host-port and EPSV, and reads the port back from either reply', () => {
    const text = formatHostPort('127.0.0.1', 50_000);
    expect(text).toBe('127,0,0,1,195,80');
    expect(parseHostPort(text)).toEqual({ host: '127.0.0.1', port: 50_000 });
    expect(passivePort(`227 Entering Passive Mode (${text}).`)).toEqual({ host: '127.0.0.1', port: 50_000 });
    expect(passivePort(`229 ${formatEpsv(40_001)}`)).toEqual({ port: 40_001 });
    expect(passivePort('200 PORT command successful.')).toBeNull();
  });

  it('refuses malformed PORT and EPRT arguments', () => {
    for (const bad of ['1,2,3,4,5', '256,0,0,1,1,1', '1,2,3,4,5,x', '']) expect(parseHostPort(bad), bad).toBeNull();
    expect(parseEprt('|1|127.0.0.1|6275|')).toEqual({ family: 1, host: '127.0.0.1', port: 6275 });
    expect(parseEprt('|2|::1|6275|')).toEqual({ family: 2, host: '::1', port: 6275 });
    expect(parseEprt('|3|x|1|')).toEqual({ error: 'family' });
    for (const bad of ['|1|127.0.0.1|0|', '|1|127.0.0.1|99999|', '1|127.0.0.1|5|', '|1|127.0.0.1|']) expect(parseEprt(bad), bad).toBeNull();
  });

  it('lists as ls -l and as RFC 3659 facts', () => {
    const when = new Date(Date.UTC(2026, 11, 6, 1, 40));
    const entries = [{ name: 'a.txt', dir: false, size: 12, mtime: when }, { name: 'docs', dir: true, size: 4096, mtime: when }];
    expect(listLines(entries, true, when)).toBe('-rw-r--r-- 1 ftp ftp         12 Dec  6 01:40 a.txt\r\ndrwxr-xr-x 1 ftp ftp       4096 Dec  6 01:40 docs\r\n');
    expect(mlsdLines(entries, false)).toBe('type=file;size=12;modify=20261206014000;perm=r; a.txt\r\ntype=dir;size=4096;modify=20261206014000;perm=el; docs\r\n');
  });
});

describe('FTP capture framing', () => {
  it('frames a multi-line reply as one message and names the command each reply answers', () => {
    const f = new FtpFramer();
    const s = (text: string) => f.push('s2c', Buffer.from(text)).map((x) => x.summary);
    const c = (text: string) => f.push('c2s', Buffer.from(text)).map((x) => x.bytes.toString());
    expect(s('220 ready\r\n')).toEqual(['220 ready (greeting)']);
    expect(c('FEAT\r\nPASS secret\r\n')).toEqual(['FEAT\r\n', 'PASS secret\r\n']);
    expect(s('211-Features:\r\n EPSV\r\n')).toEqual([]);
    expect(s('211 End\r\n530 Login incorrect.\r\n')).toEqual(['211-Features: ← FEAT', '530 Login incorrect. ← PASS']);
    c('RETR a.txt\r\n');
    expect(s('150 Opening\r\n')).toEqual(['150 Opening ← RETR a.txt']);
    expect(s('226 Transfer complete\r\n')).toEqual(['226 Transfer complete ← RETR a.txt']);
  });

  it('decodes a PASV reply\'s data port and hides the password', () => {
    const reply = ftpDecoder.decode('message', 's2c', Buffer.from('227 Entering Passive Mode (127,0,0,1,195,80).\r\n'));
    expect(reply[0].children?.find((x) => x.name === 'Data port')?.value).toBe('127.0.0.1:50000 (p1·256 + p2)');
    expect(reply[0].children?.find((x) => x.name === 'Kind')?.value).toBe('positive completion');
    expect(ftpDecoder.summarize('message', 'c2s', Buffer.from('PASS hungry\r\n'))).toBe('PASS ****');
    const pass = ftpDecoder.decode('message', 'c2s', Buffer.from('PASS hungry\r\n'));
    expect(JSON.stringify(pass)).not.toContain('hungry');
  });
});
