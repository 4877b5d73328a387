/**
 * The inspector pairs an IMAP command with its tagged completion by tag (RFC 3501 §2.2.1),
 * whatever untagged data or other completions come between; a page of older history
 * prepended still pairs a command it left open.
 */
import { describe, expect, it } from 'vitest';
import type { CaptureSummary } from '../../../src-main/lab/api';
import { Exchanges, exchangeLabel } from '../../../src-renderer/src/components/inspector/exchanges';

let nextId = 1;
function row(dir: CaptureSummary['dir'], summary: string, conn = 3): CaptureSummary {
  const id = nextId++;
  return { id, t: id * 10, service: 'imap', protocol: 'imap', conn, transport: 'tcp', dir, kind: 'message', size: 40, summary };
}

describe('pairing IMAP commands and completions', () => {
  it('by tag, pipelined, with the greeting, continuations and DONE left alone', () => {
    const ex = new Exchanges();
    const rows = [
      row('s2c', '* OK [CAPABILITY IMAP4rev1] NetLab IMAP4rev1 server ready'),
      row('c2s', 'a1 LOGIN bob "hungry"'),
      row('c2s', 'a2 SELECT INBOX'),
      row('s2c', 'a1 OK logged in'),
      row('s2c', 'a2 OK [READ-WRITE] SELECT completed (+ 7 untagged: * FLAGS …)'),
      row('c2s', 'a3 IDLE'),
      row('s2c', '+ idling'),
      row('s2c', '* 2 EXISTS'),
      row('c2s', 'DONE'),
      row('s2c', 'a3 OK IDLE terminated'),
      row('c2s', 'a4 FETCH 9 FLAGS'),
      row('s2c', 'a4 BAD no such message'),
    ];
    for (const m of rows) ex.add(m);
    const [greeting, a1, a2, ok1, ok2, idle, cont, exists, done, ok3, a4, bad4] = rows;
    expect(ex.of(a1.id)?.response).toBe(ok1);
    expect(ex.of(a2.id)?.response).toBe(ok2);
    expect(ex.of(idle.id)?.response).toBe(ok3);
    expect(ex.of(a4.id)?.response).toBe(bad4);
    for (const m of [greeting, cont, exists, done]) expect(ex.of(m.id)).toBeUndefined();
    expect(exchangeLabel(ex.of(a2.id)!)).toEqual({ request: 'a2 SELECT INBOX', response: 'a2 OK', meta: '[READ-WRITE] SELECT completed (+ 7 untagged: * FLAGS …) · 20 ms' });
    // the same tag on another connection is another command
    const other = row('s2c', 'a4 OK FETCH completed', 4);
    expect(ex.add(other)).toBeUndefined();
  });

  it('an older page prepended: its open command pairs with a completion among the newer rows', () => {
    const cmd = row('c2s', 'b1 FETCH 1:* (FLAGS)');
    const completion = row('s2c', 'b1 OK FETCH completed (+ 2 untagged: * 1 FETCH (FLAGS ()) …)');
    const ex = new Exchanges();
    ex.add(completion);
    ex.prepend([cmd], [completion], () => false);
    expect(ex.of(cmd.id)?.response).toBe(completion);
  });
});
