/** The mail area's pure parts: the SMTP stream, paths, MIME compose and tree, trace headers, framers. */
import { describe, expect, it } from 'vitest';
import { SmtpStream, dotStuff, type SmtpEvent } from '../../../src-main/lab/mail/smtp/smtp-stream';
import { parsePath } from '../../../src-main/lab/mail/smtp/smtp-session';
import { SmtpFramer } from '../../../src-main/lab/mail/smtp/smtp-framer';
import { Pop3Framer } from '../../../src-main/lab/mail/pop3/pop3-framer';
import { multiline } from '../../../src-main/lab/mail/pop3/pop3-session';
import { composeMessage, quotedPrintable } from '../../../src-main/lab/mail/mime-compose';
import { mimeTree } from '../../../src-main/lab/mail/mime-tree';
import { parseHops, receivedHeader } from '../../../src-main/lab/mail/trace';
import { ReplyReader } from '../../../src-main/lab/mail/smtp/smtp-client';
import { smtpDecoder } from '../../../src-main/lab/mail/smtp/smtp-decoder';
import { buildBounce, isReport, parseDeliveryStatus, statusOf } from '../../../src-main/lab/mail/bounce';

function drain(s: SmtpStream): SmtpEvent[] {
  const out: SmtpEvent[] = [];
  for (let e = s.next(); e; e = s.next()) out.push(e);
  return out;
}

describe('SmtpStream', () => {
  it('splits command lines (CRLF or LF) and reads DATA up to CRLF.CRLF, undoing dot-stuffing', () => {
    const s = new SmtpStream({ maxLine: 512, maxMessage: 1000 });
    s.push(Buffer.from('HELO crepes.fr\r\nNOOP\nDATA\r\n'));
    const cmds = drain(s);
    expect(cmds.map((e) => (e.type === 'command' ? e.line : e.type))).toEqual(['HELO crepes.fr', 'NOOP', 'DATA']);
    s.startData();
    // the end marker split across reads
    for (const piece of ['Subject: x\r\n\r\n..dot\r\n.', '\r', '\nQUIT\r\n']) s.push(Buffer.from(piece));
    const rest = drain(s);
    expect(rest[0]).toEqual({ type: 'message', data: Buffer.from('Subject: x\r\n\r\n.dot\r\n') });
    expect(rest[1]).toEqual({ type: 'command', line: 'QUIT' });
  });

  it('an over-long command line is one too-long event, and the stream goes on; memory stays bounded', () => {
    const s = new SmtpStream({ maxLine: 512, maxMessage: 1000 });
    for (let i = 0; i < 100; i++) s.push(Buffer.alloc(100_000, 0x41));
    expect(s.pending).toBeLessThan(200_000);
    expect(drain(s)).toEqual([]);
    s.push(Buffer.from('\r\nNOOP\r\n'));
    const ev = drain(s);
    expect(ev[0]).toMatchObject({ type: 'too-long' });
    expect(ev[1]).toEqual({ type: 'command', line: 'NOOP' });
  });

  it('a message over the limit is read to its end and reported too big', () => {
    const s = new SmtpStream({ maxLine: 512, maxMessage: 100 });
    s.startData();
    s.push(Buffer.from(`${'x'.repeat(500)}\r\n.\r\nNOOP\r\n`));
    const ev = drain(s);
    expect(ev[0]).toEqual({ type: 'too-big', size: 502 });
    expect(ev[1]).toEqual({ type: 'command', line: 'NOOP' });
  });

  it('dotStuff is the inverse, and ends with CRLF.CRLF', () => {
    expect(dotStuff(Buffer.from('a\n.b\n.')).toString()).toBe('a\r\n..b\r\n..\r\n.\r\n');
    // a dot after a bare CR does not start a line: stuffing it would leave it doubled at the next hop
    expect(dotStuff(Buffer.from('a\r.b\r\n')).toString()).toBe('a\r.b\r\n.\r\n');
  });
});

describe('SmtpStream: only CRLF.CRLF ends a message (SMTP smuggling)', () => {
  const smuggled = 'MAIL FROM:<admin@crepes.fr>\r\nRCPT TO:<bob@hamburger.edu>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled\r\n';
  const endings = ['\n.\r\n', '\n.\n', '\r\n.\n', '\r.\r\n'];

  function read(mode: 'reject' | 'normalize', text: string, pieces = 1): SmtpEvent[] {
    const s = new SmtpStream({ maxLine: 512, maxMessage: 10_000 }, mode);
    s.startData();
    const bytes = Buffer.from(text);
    const size = Math.ceil(bytes.length / pieces);
    const out: SmtpEvent[] = [];
    for (let i = 0; i < bytes.length; i += size) {
      s.push(bytes.subarray(i, i + size));
      out.push(...drain(s));
    }
    return out;
  }

  it.each(endings)('%j then a second transaction: refused on submission, never two messages on an MX', (ending) => {
    const text = `Subject: first\r\n\r\nhello${ending}${smuggled}.\r\nQUIT\r\n`;
    for (const pieces of [1, 3, text.length]) {
      const rejected = read('reject', text, pieces);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ type: 'bad-line-end', found: ending === '\r.\r\n' ? 'bare <CR>' : 'bare <LF>' });
      const mx = read('normalize', text, pieces);
      if (ending === '\r.\r\n') {
        expect(mx.map((e) => e.type)).toEqual(['message', 'command']);
        // a bare CR ends no line: the "." and the smuggled commands are text of the one message
        expect(mx[0].type).toBe('message');
        const data = mx[0].type === 'message' ? mx[0].data.toString() : '';
        expect(data).toBe(`Subject: first\r\n\r\nhello\r.\r\n${smuggled}`);
      } else expect(mx).toEqual([{ type: 'bad-line-end', found: 'bare <LF>', dotLine: true }]);
    }
  });

  it('normalize keeps a line ending in a bare LF as a CRLF line; reject refuses it at once', () => {
    const text = 'Subject: lf\n\nfrom a script\n..stuffed\r\nend\r\n.\r\n';
    for (const pieces of [1, 7, text.length]) {
      expect(read('normalize', text, pieces)).toEqual([{ type: 'message', data: Buffer.from('Subject: lf\r\n\r\nfrom a script\r\n.stuffed\r\nend\r\n') }]);
      expect(read('reject', text, pieces)).toEqual([{ type: 'bad-line-end', found: 'bare <LF>', dotLine: false }]);
    }
    // what nc without -C sends: the LF-ended "." is never the end, so the client hears why at once
    expect(read('normalize', 'hello\n.\n')).toEqual([{ type: 'bad-line-end', found: 'bare <LF>', dotLine: true }]);
    // an empty message: the DATA command's CRLF is the first one of CRLF.CRLF
    expect(read('reject', '.\r\n')).toEqual([{ type: 'message', data: Buffer.alloc(0) }]);
  });
});

describe('paths', () => {
  it('accepts the textbook spacing, a bare address, parameters, the null sender; refuses junk', () => {
    expect(parsePath('FROM: <alice@crepes.fr>', 'FROM')).toEqual({ address: 'alice@crepes.fr', params: '' });
    expect(parsePath('from:<alice@crepes.fr> SIZE=100 BODY=8BITMIME', 'FROM')?.params).toBe('SIZE=100 BODY=8BITMIME');
    expect(parsePath('TO:bob@hamburger.edu', 'TO')?.address).toBe('bob@hamburger.edu');
    expect(parsePath('FROM:<>', 'FROM')?.address).toBe('');
    expect(parsePath('TO:<>', 'TO')).toBeUndefined();
    expect(parsePath('TO:<no at sign>', 'TO')).toBeUndefined();
    expect(parsePath('<bob@hamburger.edu>', 'TO')).toBeUndefined();
  });
});

describe('MIME', () => {
  it('quoted-printable: non-ASCII, "=", soft breaks at 76', () => {
    const qp = quotedPrintable(`café = ${'x'.repeat(100)}`);
    expect(qp.startsWith('caf=C3=A9 =3D ')).toBe(true);
    expect(qp.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(qp).toContain('=\r\n');
  });

  it('compose with an attachment, and the tree of what was composed', () => {
    const raw = composeMessage({
      from: 'alice@crepes.fr',
      to: ['bob@hamburger.edu'],
      subject: 'Crêpes',
      text: 'hello',
      attachments: [{ filename: 'a.png', contentType: 'image/png', base64: Buffer.alloc(200, 1).toString('base64') }],
    });
    const text = raw.toString();
    expect(text).toContain('Subject: =?UTF-8?B?');
    expect(text).toContain('MIME-Version: 1.0');
    const tree = mimeTree(raw);
    expect(tree.contentType).toBe('multipart/mixed');
    expect(tree.children.map((c) => [c.contentType, c.encoding, c.filename])).toEqual([
      ['text/plain', 'quoted-printable', undefined],
      ['image/png', 'base64', 'a.png'],
    ]);
  });
});

describe('trace headers', () => {
  it('Received: round-trips into hops, oldest first, with the capture connection', () => {
    const date = new Date(Date.UTC(2026, 10, 21, 20, 0, 0));
    const first = receivedHeader({ helo: 'alice-pc', clientAddress: '127.0.0.1', by: 'mail.crepes.fr', esmtp: true, id: 'Q1', conn: 3, date });
    const second = receivedHeader({ helo: 'mail.crepes.fr', clientAddress: '127.0.0.1', by: 'mail.hamburger.edu', esmtp: true, id: 'Q2', conn: 7, for: 'bob@hamburger.edu', date });
    const unfold = (h: string) => h.replace(/^Received: /, '').replace(/\r\n\t/g, ' ').trim();
    const hops = parseHops([unfold(second), unfold(first)]);
    expect(hops.map((h) => [h.by, h.conn, h.with, h.id])).toEqual([
      ['mail.crepes.fr', 3, 'ESMTP', 'Q1'],
      ['mail.hamburger.edu', 7, 'ESMTP', 'Q2'],
    ]);
    expect(hops[0].date).toBe('Sat, 21 Nov 2026 20:00:00 +0000');
  });
});

describe('capture framing and decoding', () => {
  it('SMTP: DATA content is one frame ending at the "." line; commands and replies one line each', () => {
    const f = new SmtpFramer();
    const frames = [
      ...f.push('c2s', Buffer.from('DATA\r\n')),
      ...f.push('s2c', Buffer.from('354 go ahead\r\n')),
      ...f.push('c2s', Buffer.from('Subject: hi\r\n\r\nline\r\n')),
      ...f.push('c2s', Buffer.from('.\r\nQUIT\r\n')),
    ];
    expect(frames.map((x) => x.bytes.toString())).toEqual(['DATA\r\n', '354 go ahead\r\n', 'Subject: hi\r\n\r\nline\r\n.\r\n', 'QUIT\r\n']);
    expect(smtpDecoder.summarize('message', 'c2s', frames[2].bytes)).toBe('message content (DATA), 24 bytes — Subject: hi');
    // the "." line split over three reads, a stuffed line that only starts with "."; and content in one read
    const h = new SmtpFramer();
    h.push('s2c', Buffer.from('354 go ahead\r\n'));
    const split = ['..stuffed\r\nend\r', '\n', '.', '\r', '\nQUIT\r\n'].flatMap((p) => h.push('c2s', Buffer.from(p)));
    expect(split.map((x) => x.bytes.toString())).toEqual(['..stuffed\r\nend\r\n.\r\n', 'QUIT\r\n']);
    h.push('s2c', Buffer.from('354 go ahead\r\n'));
    expect(h.push('c2s', Buffer.from('a\r\n.b\r\n.\r\n')).map((x) => x.bytes.toString())).toEqual(['a\r\n.b\r\n.\r\n']);
    // as the server: a "." next to a bare LF or after a bare CR ends nothing (the CR of the end split from its LF too)
    h.push('s2c', Buffer.from('354 go ahead\r\n'));
    const smuggling = ['a\r.\r\nb\n.\r\nc\r\n.\n', 'MAIL FROM:<x@y>\r', '\n.', '\r\nQUIT\r\n'].flatMap((p) => h.push('c2s', Buffer.from(p)));
    expect(smuggling.map((x) => x.bytes.toString())).toEqual(['a\r.\r\nb\n.\r\nc\r\n.\nMAIL FROM:<x@y>\r\n.\r\n', 'QUIT\r\n']);
    // a reply during the content (the server refused it) ends the content frame
    h.push('s2c', Buffer.from('354 go ahead\r\n'));
    const refused = [...h.push('c2s', Buffer.from('hello\n.\n')), ...h.push('s2c', Buffer.from('550 5.5.2 refused\r\n'))];
    expect(refused.map((x) => `${x.dir} ${x.bytes.toString()}`)).toEqual(['c2s hello\n.\n', 's2c 550 5.5.2 refused\r\n']);
    // a multi-line EHLO reply is one message, even split across reads
    const g = new SmtpFramer();
    const ehlo = [...g.push('s2c', Buffer.from('250-hamburger.edu Hello\r\n250-SIZE 10\r\n')), ...g.push('s2c', Buffer.from('250 HELP\r\n'))];
    expect(ehlo.map((x) => x.bytes.toString())).toEqual(['250-hamburger.edu Hello\r\n250-SIZE 10\r\n250 HELP\r\n']);
    expect(JSON.stringify(smtpDecoder.decode('message', 's2c', Buffer.from('550 no\r\n')))).toContain('permanent negative');
  });

  it('POP3: a RETR answer is one frame; a -ERR to RETR is one line', () => {
    const f = new Pop3Framer();
    const frames = [
      ...f.push('c2s', Buffer.from('RETR 1\r\nRETR 9\r\n')),
      ...f.push('s2c', Buffer.concat([Buffer.from('+OK 5 octets\r\n'), multiline(Buffer.from('.hi\r\n'))])),
      ...f.push('s2c', Buffer.from('-ERR no such message\r\n')),
    ];
    expect(frames.map((x) => x.bytes.toString())).toEqual(['RETR 1\r\n', 'RETR 9\r\n', '+OK 5 octets\r\n..hi\r\n.\r\n', '-ERR no such message\r\n']);
  });

  it('ReplyReader joins multi-line replies', () => {
    const r = new ReplyReader();
    expect(r.push('250-mail.hamburger.edu\r\n250-SIZE 10\r\n')).toEqual([]);
    expect(r.push('250 HELP\r\n220 x\r\n')).toEqual([
      { code: 250, text: 'mail.hamburger.edu\nSIZE 10\nHELP' },
      { code: 220, text: 'x' },
    ]);
  });
});

describe('SMTP session state machine (pure, no socket)', () => {
  it('caps recipients at maxRecipients with 452, and answers a pipelined burst in order', async () => {
    const { SmtpSession } = await import('../../../src-main/lab/mail/smtp/smtp-session');
    let out = '';
    const stored: string[][] = [];
    const session = new SmtpSession(
      {
        hostname: 'hamburger.edu',
        maxMessage: 1000,
        maxRecipients: 100,
        checkSender: () => ({ ok: true }),
        checkRecipient: () => ({ ok: true }),
        verify: () => '252 x',
        accept: async (env) => {
          stored.push(env.rcpts);
          return 'Q1';
        },
      },
      { send: (t) => (out += t), close: () => undefined },
    );
    session.greet();
    const rcpts = Array.from({ length: 101 }, (_, i) => `RCPT TO:<u${i}@hamburger.edu>\r\n`).join('');
    session.receive(Buffer.from(`EHLO crepes.fr\r\nMAIL FROM:<alice@crepes.fr>\r\n${rcpts}DATA\r\n`));
    session.receive(Buffer.from('hi\r\n.\r\nQUIT\r\n'));
    await new Promise((r) => setTimeout(r, 10));
    const codes = out.split('\r\n').filter(Boolean).map((l) => l.slice(0, 4));
    expect(codes.filter((c) => c === '250 ').length).toBe(1 + 1 + 100 + 1);
    expect(out).toContain('452 Too many recipients (at most 100 per message)');
    expect(codes.slice(-3)).toEqual(['354 ', '250 ', '221 ']);
    expect(stored[0]).toHaveLength(100);
  });
});

describe('bounce reports (RFC 3464)', () => {
  it('builds a multipart/report the parser reads back; status from the reply; only headers returned', () => {
    const original = Buffer.from('Received: from alice-pc\r\n\tby mail.crepes.fr\r\nSubject: hi\r\n\r\nsecret body\r\n');
    const report = buildBounce({
      to: 'alice@crepes.fr', reportingMta: 'mail.crepes.fr', domain: 'crepes.fr', arrival: new Date(0), original,
      failed: [
        { address: 'nobody@hamburger.edu', reason: '550 nobody@hamburger.edu ... User unknown', remoteMta: 'mail.hamburger.edu' },
        { address: 'bob@hamburger.edu', reason: 'still undeliverable after 9 attempts: connection refused', expired: true },
      ],
    }).toString();
    const ct = /^Content-Type: (.*)$/m.exec(report)?.[1] ?? '';
    expect(isReport(ct)).toBe(true);
    expect(report).toContain('Subject: hi');
    expect(report).not.toContain('secret body');
    expect(mimeTree(Buffer.from(report)).children.map((c) => c.contentType)).toEqual(['text/plain', 'message/delivery-status', 'text/rfc822-headers']);
    const parsed = parseDeliveryStatus(Buffer.from(report));
    expect(parsed?.reportingMta).toBe('mail.crepes.fr');
    expect(parsed?.recipients.map((r) => [r.recipient, r.status, r.remoteMta])).toEqual([
      ['nobody@hamburger.edu', '5.1.1', 'mail.hamburger.edu'],
      ['bob@hamburger.edu', '4.4.7', undefined],
    ]);
    expect(statusOf({ address: 'x@y', reason: '550 5.7.1 go away' })).toBe('5.7.1');
    expect(statusOf({ address: 'x@y', reason: '552 Message size exceeds fixed maximum message size' })).toBe('5.3.4');
    expect(parseDeliveryStatus(Buffer.from('Subject: not a report\r\n\r\nhi'))).toBeUndefined();
    // a UTF-8 header (RFC 6532) comes back byte for byte
    const utf8 = buildBounce({
      to: 'alice@crepes.fr', reportingMta: 'mail.crepes.fr', domain: 'crepes.fr', arrival: new Date(0),
      original: Buffer.from('Subject: Héllo ☕\r\n\r\nbody', 'utf8'), failed: [{ address: 'x@hamburger.edu', reason: '550 no' }],
    });
    expect(utf8.includes(Buffer.from('Subject: Héllo ☕\r\n\r\n--', 'utf8'))).toBe(true);
  });
});
