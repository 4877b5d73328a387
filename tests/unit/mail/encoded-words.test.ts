/**
 * The mailbox list decodes RFC 2047 encoded words the way Python's email package writes them
 * (a real sender: smtplib users, Thunderbird and the compose pane all fold non-ASCII subjects
 * into =?charset?B|Q?…?= words): UTF-8, GB18030 and GBK, base64 and quoted-printable, long subjects
 * split into adjacent words; what does not decode stays as written.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeWords } from '../../../src-main/lab/mail/encoded-words';

/** the header as Python's email.header writes it */
function python(text: string, charset: string): string {
  const script = 'import sys\nfrom email.header import Header\nprint(Header(sys.argv[1], sys.argv[2]).encode(), end="")';
  return execFileSync('/usr/bin/python3', ['-c', script, text, charset], { encoding: 'utf8' });
}

describe('RFC 2047 encoded words', () => {
  it.each([
    ['番茄酱 i18n ketchup', 'utf-8'],
    ['你喜欢番茄酱吗？', 'gb18030'],
    ['你喜欢番茄酱吗？', 'gbk'],
    ['Grüße aus Köln', 'iso-8859-1'],
    ['Grüße aus Köln', 'utf-8'],
    ['一封很长的主题：' + '计算机网络自顶向下方法'.repeat(6), 'utf-8'],
  ])('%s in %s', (text, charset) => {
    const encoded = python(text, charset);
    expect(encoded).toMatch(/^=\?/); // Python did encode it
    expect(decodeWords(encoded.replace(/\n/g, ''))).toBe(text);
  });

  it('Q encoding with underscores and =XX, between plain words', () => {
    expect(decodeWords('Re: =?ISO-8859-1?Q?Caf=E9_cr=E8me?= tonight')).toBe('Re: Café crème tonight');
  });

  it('leaves plain text, broken words and unknown charsets as they are', () => {
    expect(decodeWords('Do you like ketchup?')).toBe('Do you like ketchup?');
    expect(decodeWords('=?utf-8?B?not base64!?=')).toBe('=?utf-8?B?not base64!?=');
    expect(decodeWords('=?x-no-such-charset?B?YWJj?=')).toBe('=?x-no-such-charset?B?YWJj?=');
    expect(decodeWords('=?utf-8?B?/w==?=')).toBe('=?utf-8?B?/w==?='); // 0xFF is no UTF-8
  });
});
