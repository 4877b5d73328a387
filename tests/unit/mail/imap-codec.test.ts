/** IMAP's pure parts: the command reader (literals, limits), the tokenizer, sets, sections, the capture's framing and decoding. */
import { describe, expect, it } from 'vitest';
import { imapDecoder } from '../../../src-main/lab/mail/imap/imap-decoder';
import { fetchResponse, parseFetchItems } from '../../../src-main/lab/mail/imap/imap-fetch';
import { ImapFramer } from '../../../src-main/lab/mail/imap/imap-framer';
import { bodyStructure, parseMessage } from '../../../src-main/lab/mail/imap/imap-message';
import { CommandReader, imapString, MAX_LITERAL, parseSet, tokenize } from '../../../src-main/lab/mail/imap/imap-parser';

const MULTIPART = [
  'From: Alice <alice@crepes.fr>',
  'Subject: two parts',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  'preamble',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Do you like ketchup?',
  '--b1',
  'Content-Type: image/png; name=p.png',
  'Content-Transfer-Encoding: base64',
  '',
  'iVBORw0KGgo=',
  '--b1--',
  '',
].join('\r\n');

describe('IMAP command reader and tokens', () => {
  it('a literal is read as bytes, after a continuation for {n} and none for {n+}', () => {
    const r = new CommandReader();
    expect(r.push(Buffer.from('a1 LOGIN {3}\r\n'))).toEqual([{ kind: 'continue' }]);
    const [cmd] = r.push(Buffer.from('bob {6+}\r\nhun\ngy\r\n'));
    expect(cmd.kind).toBe('command');
    if (cmd.kind !== 'command') return;
    const tokens = tokenize([cmd.parts[0].replace(/^a1 LOGIN /, ''), ...cmd.parts.slice(1)], cmd.literals);
    expect(tokens.map((t) => (t.kind === 'string' ? t.v.toString() : t.kind))).toEqual(['bob', 'hun\ngy']);
  });

  it('an oversize literal is refused with the tag; a LITERAL+ one is skipped, the next command read', () => {
    const r = new CommandReader();
    expect(r.push(Buffer.from(`t9 APPEND INBOX {${MAX_LITERAL + 1}}\r\n`))).toEqual([{ kind: 'too-big', tag: 't9', what: `literal of ${MAX_LITERAL + 1} octets`, fatal: false }]);
    const r2 = new CommandReader();
    const events = r2.push(Buffer.concat([Buffer.from('t1 APPEND INBOX {3+}\r\n'), Buffer.from('abc\r\nt2 NOOP\r\n')]));
    expect(events.map((e) => e.kind)).toEqual(['command', 'command']);
  });

  it('atoms with brackets, quoted strings, nested lists; bad syntax throws', () => {
    const t = tokenize(['1:* (UID BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100>) "a \\"q\\""'], []);
    expect(t[0]).toEqual({ kind: 'atom', v: '1:*' });
    expect(t[1]).toEqual({ kind: 'list', items: [{ kind: 'atom', v: 'UID' }, { kind: 'atom', v: 'BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100>' }] });
    expect(t[2]).toEqual({ kind: 'string', v: Buffer.from('a "q"') });
    expect(() => tokenize(['(a (b'], [])).toThrow('missing ")"');
    expect(() => tokenize(['BODY[HEADER'], [])).toThrow('missing "]"');
  });

  it('sequence sets, and strings quoted or sent as literals', () => {
    const set = parseSet('1:3,7,9:*', 10);
    expect([1, 3, 4, 7, 8, 9, 10].map((n) => set?.(n))).toEqual([true, true, false, true, false, true, true]);
    expect(parseSet('1:x', 10)).toBeNull();
    expect(imapString('plain')).toBe('"plain"');
    expect(imapString('two\r\nlines')).toBe('{10}\r\ntwo\r\nlines');
  });
});

describe('IMAP message views', () => {
  it('BODYSTRUCTURE of a multipart message, and BODY[2] / BODY[1.MIME] / partial', () => {
    const raw = Buffer.from(MULTIPART, 'latin1');
    expect(bodyStructure(MULTIPART, parseMessage(raw), false)).toBe(
      '(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 20 1)("IMAGE" "PNG" ("NAME" "p.png") NIL NIL "BASE64" 12) "MIXED")',
    );
    const items = parseFetchItems([{ kind: 'list', items: [{ kind: 'atom', v: 'BODY[2]' }, { kind: 'atom', v: 'BODY.PEEK[1.MIME]' }, { kind: 'atom', v: 'BODY[1]<3.4>' }] }]);
    if (typeof items === 'string') throw new Error(items);
    const out = fetchResponse(1, { uid: 5, base: 'x', name: 'x', sub: 'cur', flags: [], size: raw.length, time: 0 }, items, raw, true).toString('latin1');
    expect(out).toBe('* 1 FETCH (UID 5 BODY[2] {12}\r\niVBORw0KGgo= BODY[1.MIME] {43}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n BODY[1]<3> {4}\r\nyou )\r\n');
  });
});

describe('IMAP capture', () => {
  it('frames a command with its literal, and the untagged data with its tagged completion', () => {
    const f = new ImapFramer();
    expect(f.push('s2c', Buffer.from('* OK ready\r\n')).map((x) => x.bytes.toString())).toEqual(['* OK ready\r\n']);
    expect(f.push('c2s', Buffer.from('a1 APPEND INBOX {5}\r\n'))).toEqual([]);
    expect(f.push('s2c', Buffer.from('+ Ready\r\n')).map((x) => x.bytes.toString())).toEqual(['+ Ready\r\n']);
    expect(f.push('c2s', Buffer.from('hello\r\n')).map((x) => x.bytes.toString())).toEqual(['a1 APPEND INBOX {5}\r\nhello\r\n']);
    const parts = [f.push('s2c', Buffer.from('* 1 FETCH (BODY[] {8}\r\na1 OK \r')), f.push('s2c', Buffer.from('\n)\r\na1 OK done\r\n'))];
    expect(parts[0]).toEqual([]);
    const frame = parts[1][0].bytes;
    expect(frame.toString()).toBe('* 1 FETCH (BODY[] {8}\r\na1 OK \r\n)\r\na1 OK done\r\n');
    expect(imapDecoder.summarize('message', 's2c', frame)).toBe('a1 OK done (+ 1 untagged: * 1 FETCH (BODY[] {8} [8 bytes]))');
    const fields = imapDecoder.decode('message', 's2c', frame)[0];
    expect(fields.value).toBe('a1 OK');
    expect(fields.children?.find((c) => c.name === 'Tag')?.value).toBe('a1');
    expect(imapDecoder.decode('message', 'c2s', Buffer.from('a1 APPEND INBOX {5}\r\nhello\r\n'))[0].children?.map((c) => c.value)).toEqual([
      'a1',
      'APPEND — add a message to a folder',
      'INBOX {5}',
      '{5} 5 bytes',
    ]);
  });

  it('an APPEND larger than a frame comes in pieces, and its completion still closes its own frame', () => {
    const f = new ImapFramer();
    const big = Buffer.alloc(200 * 1024, 'x');
    const wire = Buffer.concat([Buffer.from(`a7 APPEND INBOX {${big.length}+}\r\n`), big, Buffer.from('\r\n')]);
    const pieces = [];
    // as a socket reads it, 16 KiB at a time
    for (let at = 0; at < wire.length; at += 16 * 1024) pieces.push(...f.push('c2s', wire.subarray(at, at + 16 * 1024)));
    expect(pieces.length).toBeGreaterThan(2);
    expect(Buffer.concat(pieces.map((p) => p.bytes)).equals(wire)).toBe(true);
    expect(pieces.slice(0, -1).every((p) => p.oversized)).toBe(true);
    expect(pieces[0].bytes.subarray(0, 16).toString()).toBe('a7 APPEND INBOX ');
    // the untagged line waits for the tagged completion: one frame, the answer to a7
    expect(f.push('s2c', Buffer.from('* 3 EXISTS\r\n'))).toEqual([]);
    expect(f.push('s2c', Buffer.from('a7 OK APPEND completed\r\n')).map((x) => x.bytes.toString())).toEqual(['* 3 EXISTS\r\na7 OK APPEND completed\r\n']);
  });

  it('a literal the server refuses (BAD [TOOBIG]) never comes: the command is whole, the next one framed alone', () => {
    const f = new ImapFramer();
    expect(f.push('c2s', Buffer.from('a0 LOGIN {100000}\r\n'))).toEqual([]);
    const refused = f.push('s2c', Buffer.from('a0 BAD [TOOBIG] literal of 100000 octets too large\r\n'));
    expect(refused.map((x) => `${x.dir} ${x.bytes.toString()}`)).toEqual(['c2s a0 LOGIN {100000}\r\n', 's2c a0 BAD [TOOBIG] literal of 100000 octets too large\r\n']);
    expect(f.push('c2s', Buffer.from('a1 NOOP\r\n')).map((x) => x.bytes.toString())).toEqual(['a1 NOOP\r\n']);
  });
});
