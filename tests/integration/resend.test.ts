/**
 * Edit and resend, in the lab core: a request captured from a real client (curl, dig, swaks),
 * its draft, the edited copy sent again to the same lab service, the new exchange in the
 * capture labelled as a resend. Bad input: a stopped service, an oversize request, a reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { RESEND_CLIENT } from '../../src-main/lab/resend/resend-types';
import { captured, lastCapturedId, startLab, waitFor } from '../helpers/lab';
import { run } from '../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

/** the first client→server message of `protocol` after `after` whose summary matches */
async function request(after: number, protocol: string, summary: RegExp): Promise<number> {
  const m = await waitFor(async () => (await captured(lab)).find((r) => r.id > after && r.protocol === protocol && r.dir === 'c2s' && r.kind !== 'event' && summary.test(r.summary)), `a ${protocol} request`);
  return m.id;
}

describe('HTTP', () => {
  it('a GET with another path gets its 404, on a new connection labelled as a resend', async () => {
    const before = await lastCapturedId(lab);
    const out = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port('http')}/index.html`]);
    expect(out.stdout).toBe('200');
    const id = await request(before, 'http', /GET \/index\.html/);
    const draft = await lab['resend.draft'](id);
    expect(draft.kind).toBe('http');
    if (draft.kind !== 'http') return;
    expect(draft.text).toMatch(/^GET \/index\.html HTTP\/1\.1\r\n/);
    expect(draft.target.service).toBe('http');
    const sent = await lab['resend.send']({ kind: 'http', from: id, text: draft.text.replace('/index.html', '/no-such-page.html').replace(/\r\n/g, '\n') });
    expect(sent.reply).toMatch(/^HTTP\/1\.1 404/);
    expect(sent.conn).not.toBeNull();
    const conn = (await lab['capture.connections']()).find((c) => c.id === sent.conn);
    expect(conn?.client.name).toBe(RESEND_CLIENT);
    const rows = (await captured(lab)).filter((r) => r.conn === sent.conn && r.kind !== 'event');
    expect(rows.find((r) => r.id === sent.firstId)?.summary).toContain('GET /no-such-page.html');
    expect(rows.some((r) => r.dir === 's2c' && /404/.test(r.summary))).toBe(true);
  });

  it('refuses a request past the size limit, and a stopped service, with a sentence', async () => {
    const before = await lastCapturedId(lab);
    await run('curl', ['-s', '-o', '/dev/null', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${port('http')}/`]);
    const id = await request(before, 'http', /GET \//);
    const big = `POST / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nContent-Length: 70000\r\n\r\n${'x'.repeat(70_000)}`;
    await expect(lab['resend.send']({ kind: 'http', from: id, text: big })).rejects.toThrow(/a resend sends at most 65,536/);
    await lab['services.stop']('http');
    try {
      await expect(lab['resend.send']({ kind: 'http', from: id, text: 'GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n' })).rejects.toThrow(/is stopped: start it in the services rail/);
    } finally {
      await lab['services.start']('http');
    }
    // a response is not a request
    const response = (await captured(lab)).find((r) => r.id > id && r.protocol === 'http' && r.dir === 's2c' && r.kind !== 'event');
    await expect(lab['resend.draft'](response!.id)).rejects.toThrow(/not a client's request/);
  });
});

describe('DNS', () => {
  it('another name asked of the same resolver gets its own answer', async () => {
    const before = await lastCapturedId(lab);
    const out = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=3', '+short', 'gaia.cs.umass.edu']);
    expect(out.stdout.trim()).toBe('128.119.40.205');
    const rows = await captured(lab);
    const id = rows.find((r) => r.id > before && r.service === 'dns-local' && r.dir === 'c2s' && /gaia/.test(r.summary))!.id;
    const draft = await lab['resend.draft'](id);
    expect(draft).toMatchObject({ kind: 'dns', name: 'gaia.cs.umass.edu', type: 'A', rd: true });
    const sent = await lab['resend.send']({ kind: 'dns', from: id, name: 'www.networkutopia.com', type: 'A', rd: true });
    expect(sent.reply).toBe('NOERROR · 212.212.212.4');
    const first = (await captured(lab)).find((r) => r.id === sent.firstId);
    expect(first?.summary).toContain('www.networkutopia.com');
    await expect(lab['resend.send']({ kind: 'dns', from: id, name: 'bad name!', type: 'A', rd: true })).rejects.toThrow(/is not a domain name/);
  });
});

describe('SMTP', () => {
  it('the session up to RCPT, edited to another recipient, is delivered to that one', async () => {
    const before = await lastCapturedId(lab);
    const out = await run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--helo', 'alice-pc', '--to', 'bob@hamburger.edu', '--header', 'Subject: before resend'], { timeoutMs: 15_000 });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const id = await request(before, 'smtp', /RCPT TO/);
    const draft = await lab['resend.draft'](id);
    if (draft.kind !== 'lines') throw new Error(`a ${draft.kind} draft`);
    expect(draft.lines[draft.at]).toMatch(/^RCPT TO:<bob@hamburger\.edu>/);
    const lines = [...draft.lines.slice(0, draft.at), 'RCPT TO:<carol@hamburger.edu>', 'DATA', 'Subject: resent to carol', '', 'Carol, this one is for you.', '.', 'QUIT'];
    const sent = await lab['resend.send']({ kind: 'lines', from: id, lines });
    expect(sent.reply).toMatch(/^221/);
    await waitFor(async () => (await lab['mail.mailbox']('carol@hamburger.edu')).some((m) => m.subject === 'resent to carol'), 'the mail in carol\'s box', 10_000);
    await expect(lab['resend.send']({ kind: 'lines', from: id, lines: Array(101).fill('NOOP') })).rejects.toThrow(/at most 100/);
  });
});

describe('POP3', () => {
  it('the session up to LIST, edited to RETR, reads the whole message (its lines to the lone ".") and QUITs', async () => {
    const sent0 = await run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--header', 'Subject: for pop3'], { timeoutMs: 15_000 });
    expect(sent0.code).toBe(0);
    await waitFor(async () => (await lab['mail.mailbox']('bob@hamburger.edu')).some((m) => m.subject === 'for pop3'), 'the mail in bob\'s box', 10_000);
    const before = await lastCapturedId(lab);
    // USER and PASS (curl would use APOP, whose digest is good for one greeting only)
    const py = `import poplib\np = poplib.POP3('127.0.0.1', ${port('pop3')})\np.user('bob@hamburger.edu')\np.pass_('hungry')\nprint(len(p.list()[1]))\np.quit()`;
    const out = await run('python3', ['-c', py]);
    expect(out.code, out.stderr).toBe(0);
    const count = Number(out.stdout.trim());
    const id = await request(before, 'pop3', /^LIST/);
    const draft = await lab['resend.draft'](id);
    if (draft.kind !== 'lines') throw new Error(`a ${draft.kind} draft`);
    expect(draft.lines.slice(0, draft.at + 1)).toEqual(['USER bob@hamburger.edu', 'PASS hungry', 'LIST']);
    const sent = await lab['resend.send']({ kind: 'lines', from: id, lines: [...draft.lines.slice(0, draft.at), `RETR ${count}`, 'QUIT'] });
    expect(sent.reply).toMatch(/^\+OK/);
    // RETR's reply was read to its end before QUIT went: QUIT has its own +OK in the capture
    const rows = (await captured(lab)).filter((r) => r.conn === sent.conn && r.kind !== 'event');
    const retr = rows.findIndex((r) => r.dir === 'c2s' && /^RETR/.test(r.summary));
    const quit = rows.findIndex((r) => r.dir === 'c2s' && /^QUIT/.test(r.summary));
    expect(retr).toBeGreaterThan(0);
    expect(quit).toBeGreaterThan(retr);
    expect(rows.slice(retr + 1, quit).some((r) => r.dir === 's2c' && /^\+OK/.test(r.summary))).toBe(true);
    expect(rows.slice(quit + 1).some((r) => r.dir === 's2c' && /^\+OK/.test(r.summary))).toBe(true);
  });
});
