/** Answers from the student's own capture: the nth response's header, numbers with tolerance, text normalized, never the value in a wrong verdict. */
import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { AnswerCollector, judgeAnswer, normalizeText, sameAnswer } from '../../../src-main/lab/labs/answers';
import type { AnswerCheck } from '../../../src-main/lab/labs/lab-file';
import { msg } from './fake-messages';

const question = (answer: AnswerCheck['answer'], extra: Partial<AnswerCheck> = {}): AnswerCheck => ({ kind: 'answer', id: 'q', label: 'q', question: '?', answer, ...extra });

function httpPair(conn: number, path: string, status: number, headers: string) {
  return [
    msg({ service: 'http', conn, text: `GET ${path} HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n` }),
    msg({ service: 'http', conn, dir: 's2c', text: `HTTP/1.1 ${status} OK\r\n${headers}\r\n` }),
  ];
}

describe('answer checks', () => {
  it('the Content-Length of the second GET, not the first; a wrong one keeps the value to itself', () => {
    const check = question({ from: 'http-header', service: 'http', request: '^GET /f2', header: 'Content-Length', nth: 2 }, { numeric: true });
    const c = new AnswerCollector(check);
    for (const m of [...httpPair(1, '/f2', 200, 'Content-Length: 371\r\n'), ...httpPair(2, '/other', 200, 'Content-Length: 5\r\n'), ...httpPair(3, '/f2', 200, 'Content-Length: 0\r\n')]) c.offer(m);
    expect(judgeAnswer(check, c, '0').correct).toBe(true);
    const wrong = judgeAnswer(check, c, '371');
    expect(wrong.correct).toBe(false);
    expect(wrong.message).not.toContain('0 ');
    expect(wrong.message).not.toMatch(/\d/);
  });

  it('says so when the capture does not show the thing asked about yet', () => {
    const check = question({ from: 'http-status', service: 'http', request: '^GET /f5' });
    const v = judgeAnswer(check, new AnswerCollector(check), '401');
    expect(v.correct).toBe(false);
    expect(v.message).toMatch(/does not show/);
  });

  it('a Last-Modified date compares as text, whatever the spacing and case', () => {
    const check = question({ from: 'http-header', service: 'http', request: '^GET /f1', header: 'Last-Modified' });
    const c = new AnswerCollector(check);
    for (const m of httpPair(4, '/f1', 200, 'Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT\r\n')) c.offer(m);
    expect(judgeAnswer(check, c, '  tue, 01 dec 2026   10:00:00 gmt ').correct).toBe(true);
    expect(judgeAnswer(check, c, 'Tue, 01 Dec 2026 10:00:01 GMT').correct).toBe(false);
  });

  it('the address and the TTL in the student’s own DNS answers', () => {
    const response = (ttl: number) =>
      msg({
        service: 'dns-local',
        transport: 'udp',
        dir: 's2c',
        summary: 'Standard query response',
        raw: dnsPacket.encode({ type: 'response', id: 2, questions: [{ type: 'A', name: 'www.someschool.edu' }], answers: [{ type: 'A', name: 'www.someschool.edu', ttl, data: '192.0.2.10' }] }),
      });
    const addr = question({ from: 'dns-answer', service: 'dns-local', request: '^www\\.someschool\\.edu$', type: 'A' });
    const ttl = question({ from: 'dns-ttl', service: 'dns-local', request: '^www\\.someschool\\.edu$', type: 'A', nth: 2 }, { numeric: true });
    const ca = new AnswerCollector(addr);
    const ct = new AnswerCollector(ttl);
    for (const m of [response(3600), response(3597)]) {
      ca.offer(m);
      ct.offer(m);
    }
    expect(judgeAnswer(addr, ca, '192.0.2.10').correct).toBe(true);
    expect(judgeAnswer(ttl, ct, '3600').correct).toBe(false);
    expect(judgeAnswer(ttl, ct, '3597').correct).toBe(true);
  });

  it('numbers within the tolerance, and the lab file’s own value for a formula', () => {
    const check = question({ from: 'value', value: 285.71 }, { tolerance: 0.5 });
    const none = new AnswerCollector(check);
    expect(judgeAnswer(check, none, '285.7 s').correct).toBe(true);
    expect(judgeAnswer(check, none, '2,857').correct).toBe(false);
    expect(judgeAnswer(check, none, '300').message).not.toContain('285');
    expect(sameAnswer('D_cs', 'd_cs', {})).toBe(true);
    expect(normalizeText(' "a.edu-servers.net." ')).toBe('a.edu-servers.net');
  });

  it('counts connections that carried a matching request', () => {
    const check = question({ from: 'connections', service: 'http', request: '^GET ' });
    const c = new AnswerCollector(check);
    for (const m of [...httpPair(40, '/a', 200, ''), ...httpPair(40, '/b', 200, ''), ...httpPair(41, '/c', 200, '')]) c.offer(m);
    expect(judgeAnswer(check, c, '2').correct).toBe(true);
    expect(judgeAnswer(check, c, '3').correct).toBe(false);
  });
});
