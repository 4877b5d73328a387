/**
 * IMAP (RFC 3501) with python3's imaplib: the state the server keeps across sessions — flags,
 * folders, UIDs — that POP3's download-and-delete does not (Kurose & Ross §2.3.4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { imaplib } from '../../helpers/imap';
import { deliver } from '../../helpers/maildir';
import { startLab } from '../../helpers/lab';

let lab: Lab;
let port: (id: string) => number;
let dataDir: string;

beforeAll(async () => {
  ({ lab, port, dataDir } = await startLab());
  await deliver(lab, port, 'bob@hamburger.edu', 'first');
  await deliver(lab, port, 'bob@hamburger.edu', 'second', 'How about pickles?');
});
afterAll(() => lab.shutdown());

describe('IMAP with imaplib', () => {
  it('login, list, select, fetch; \\Seen set by one session is seen by the next', async () => {
    const out = await imaplib(
      port('imap'),
      `
m = imaplib.IMAP4('127.0.0.1', PORT)
print(m.login('bob', 'hungry')[0])
print(m.list()[1])
typ, data = m.select('INBOX')
print('exists', data[0].decode())
typ, data = m.fetch('1', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
print(repr(data[0][1]))
typ, data = m.fetch('2', '(BODY[TEXT] ENVELOPE)')
print(repr(data))
typ, data = m.uid('fetch', '1:*', '(UID RFC822.SIZE INTERNALDATE BODYSTRUCTURE)')
print(repr(data))
m.store('1', '+FLAGS', '\\\\Flagged')
m.logout()
m = imaplib.IMAP4('127.0.0.1', PORT)
m.login('bob@hamburger.edu', 'hungry')
m.select('INBOX', readonly=True)
print('flags', m.fetch('1:2', '(FLAGS)')[1])
print('unseen', m.search(None, 'UNSEEN')[1], 'seen', m.search(None, 'SEEN')[1])
m.logout()
`,
    );
    expect(out).toContain('OK\n');
    expect(out).toMatch(/\[b'\(\\\\HasNoChildren\) "\." "INBOX"'\]/);
    expect(out).toContain('exists 2');
    expect(out).toContain("b'Subject: first\\r\\n\\r\\n'");
    // BODY[TEXT] of message 2, and the envelope's subject and sender
    expect(out).toContain("b'How about pickles?\\r\\n'");
    expect(out).toMatch(/ENVELOPE \((NIL|"[^"]*") "second" \(\("Alice" NIL "alice" "crepes\.fr"\)\)/);
    expect(out).toMatch(/UID 1 RFC822\.SIZE \d+ INTERNALDATE "\d\d-\w{3}-\d{4} [\d:]{8} \+0000" BODYSTRUCTURE \("TEXT" "PLAIN" \("CHARSET" "us-ascii"\) NIL NIL "7BIT" \d+ 1 NIL NIL NIL NIL\)/);
    // message 2 was read with BODY[TEXT] (not PEEK): \Seen, kept for the next session; 1 flagged only
    expect(out).toContain("flags [b'1 (FLAGS (\\\\Flagged))', b'2 (FLAGS (\\\\Seen))']");
    expect(out).toContain("unseen [b'1'] seen [b'2']");
  });

  it('create, rename, delete folders (Maildir++); copy, move, expunge; UIDs stay', async () => {
    const out = await imaplib(
      port('imap'),
      `
m = imaplib.IMAP4('127.0.0.1', PORT)
m.login('bob', 'hungry')
print('create', m.create('Work')[0], m.create('Work.Old')[0], m.create('Work')[0])
print('subscribe', m.subscribe('Work')[0], m.lsub()[1])
m.select('INBOX')
print('copy', m.copy('1', 'Work'))
print('move', m.uid('move', '2', 'Work')[0], m.response('OK'))
print('after move', m.select('INBOX')[1], m.fetch('1', '(UID)')[1])
print('status', m.status('Work', '(MESSAGES UIDNEXT UNSEEN)')[1])
print('rename', m.rename('Work', 'Archive')[0])
print('list', sorted(x.decode() for x in m.list()[1]))
m.select('Archive')
print('archive', m.fetch('1:*', '(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])')[1])
m.store('1', '+FLAGS', '\\\\Deleted')
print('expunge', m.expunge()[1])
print('search', m.search(None, 'SUBJECT', 'second')[1], m.search(None, 'FROM', 'alice', 'BODY', 'pickles')[1])
print('copyback', m.copy('1', 'INBOX')[0])
m.close()
print('delete', m.delete('Archive')[0], m.delete('Archive.Old')[0], m.delete('INBOX')[0])
print('list', m.list()[1])
m.select('INBOX')
print('inbox', m.fetch('1:*', '(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])')[1])
m.logout()
`,
    );
    expect(out).toContain('create OK OK NO');
    expect(out).toContain(`subscribe OK [b'(\\\\HasChildren) "." "Work"']`);
    expect(out).toMatch(/copy \('OK', \[b'\[COPYUID \d+ 1 1\] COPY completed'\]\)/);
    expect(out).toMatch(/move OK \('OK', \[b'\[COPYUID \d+ 2 2\] moved'\]\)/);
    // INBOX keeps message 1 with its UID 1
    expect(out).toContain("after move [b'1'] [b'1 (UID 1)']");
    expect(out).toContain("status [b'\"Work\" (MESSAGES 2 UIDNEXT 3 UNSEEN 1)']");
    expect(out).toContain('rename OK');
    expect(out).toContain(`list ['(\\\\HasChildren) "." "Archive"', '(\\\\HasNoChildren) "." "Archive.Old"', '(\\\\HasNoChildren) "." "INBOX"']`);
    expect(out).toMatch(/archive \[\(b'1 \(UID 1 FLAGS \(\\\\Flagged\) BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{\d+\}', b'Subject: first\\r\\n\\r\\n'\), b'\)', \(b'2 \(UID 2 FLAGS \(\\\\Seen\)/);
    expect(out).toContain("expunge [b'1']");
    expect(out).toContain("search [b'1'] [b'1']");
    expect(out).toContain('copyback OK');
    expect(out).toContain('delete OK OK NO');
    expect(out).toContain(`list [b'(\\\\HasNoChildren) "." "INBOX"']`);
    expect(out).toMatch(/inbox \[\(b'1 \(UID 1 .*first.*\(b'2 \(UID 3 .*second/);
    // the mailbox the Mail tab and POP3 read has both again
    expect((await lab['mail.mailbox']('bob@hamburger.edu')).map((m) => m.subject).sort()).toEqual(['first', 'second']);
  });

  it('IDLE: a message sent with smtplib shows as * n EXISTS', async () => {
    const out = await imaplib(
      port('imap'),
      `
import socket, threading
m = imaplib.IMAP4('127.0.0.1', PORT)
m.login('carol', 'pickles')
print('exists', m.select('INBOX')[1])
tag = m._new_tag().decode()
m.send(f'{tag} IDLE\\r\\n'.encode())
print('cont', m.readline())
def send():
    s = smtplib.SMTP('127.0.0.1', ${port('smtp')})
    s.sendmail('alice@crepes.fr', ['carol@hamburger.edu'], 'Subject: while idle\\r\\n\\r\\nhi\\r\\n')
    s.quit()
threading.Thread(target=send).start()
m.sock.settimeout(10)
print('pushed', m.readline())
m.send(b'DONE\\r\\n')
print('done', m.readline())
print(m.fetch('1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')[1][0][1])
m.logout()
`,
    );
    expect(out).toContain("exists [b'0']");
    expect(out).toContain("cont b'+ idling\\r\\n'");
    expect(out).toContain("pushed b'* 1 EXISTS\\r\\n'");
    expect(out).toMatch(/done b'\w+ OK IDLE terminated\\r\\n'/);
    expect(out).toContain("b'Subject: while idle\\r\\n\\r\\n'");
  });

  it('a message POP3 deletes is told to an IMAP session as * n EXPUNGE; after a restart UIDVALIDITY, UIDs and flags are the same', async () => {
    const before = await imaplib(
      port('imap'),
      `
import poplib
m = imaplib.IMAP4('127.0.0.1', PORT)
m.login('bob', 'hungry')
m.select('INBOX')
m.store('2', '+FLAGS', '\\\\Answered')
print('before', m.status('INBOX', '(UIDVALIDITY UIDNEXT)')[1], m.fetch('1:*', '(UID FLAGS)')[1])
p = poplib.POP3('127.0.0.1', ${port('pop3')}); p.user('bob'); p.pass_('hungry'); p.dele(1); p.quit()
m.noop()
print('told', m.response('EXPUNGE'))
m.logout()
`,
    );
    const told = /told \('EXPUNGE', \[b'(\d)'\]\)/.exec(before)?.[1];
    expect(told, before).toBeTruthy();
    const validity = /UIDVALIDITY (\d+)/.exec(before)?.[1];
    // what is left once the message POP3 deleted is gone, renumbered
    const left = [...before.matchAll(/b'(\d) (\(UID \d+ FLAGS \([^)]*\)\))'/g)].filter((m) => m[1] !== told).map((m, i) => `b'${i + 1} ${m[2]}'`);
    expect(left).toHaveLength(1);
    await lab.shutdown();
    ({ lab, port } = await startLab(dataDir));
    const after = await imaplib(
      port('imap'),
      `
m = imaplib.IMAP4('127.0.0.1', PORT)
m.login('bob', 'hungry')
m.select('INBOX')
print('after', m.status('INBOX', '(UIDVALIDITY UIDNEXT)')[1], m.fetch('1:*', '(UID FLAGS)')[1])
m.logout()
`,
    );
    expect(after).toContain(`after [b'"INBOX" (UIDVALIDITY ${validity} UIDNEXT 4)'] [${left.join(', ')}]`);
  });
});
