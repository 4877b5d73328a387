/** The keys this branch added to lab files (reset mailboxes and sites, the free-rider check, swarm answers) refuse a mistake at its line. */
import { describe, expect, it } from 'vitest';
import { checkLabFile } from '../../../src-main/lab/labs/lab-file';

const lab = (reset: string, check: string): string =>
  ['title: t', 'section: s', 'reset:', reset, 'tasks:', '  - id: a', '    title: A', '    instructions: do it', '    checks:', check].join('\n');
const ANSWER = '      - { id: c, kind: answer, label: l, question: q, answer: { from: swarm, swarm: free-rider-time } }';

describe('lab file mistakes, at their line', () => {
  it('accepts the new keys', () => {
    expect(checkLabFile(lab('  mailboxes: [bob@hamburger.edu]\n  sites: true', ANSWER))).toMatchObject({ ok: true });
    expect(checkLabFile(lab('  mailboxes: true', '      - { id: c, kind: state, label: l, swarm: { freeRider: true } }'))).toMatchObject({ ok: true });
  });
  it('refuses a bad mailboxes value at line 4', () => {
    const r = checkLabFile(lab('  mailboxes: yes please', ANSWER));
    expect(r).toMatchObject({ ok: false, error: { line: 4 } });
  });
  it('refuses a swarm check that asks nothing, and a swarm answer of an unknown kind, at line 10', () => {
    expect(checkLabFile(lab('  sites: true', '      - { id: c, kind: state, label: l, swarm: { minPeers: 3 } }'))).toMatchObject({ ok: false, error: { line: 10 } });
    expect(checkLabFile(lab('  sites: true', ANSWER.replace('free-rider-time', 'fastest')))).toMatchObject({ ok: false, error: { line: 10 } });
  });
  it('takes `transport: udp|tcp` on a traffic or counts check, and refuses another transport at its line', () => {
    const traffic = (t: string) => `      - { id: c, kind: traffic, label: l, service: sip, transport: ${t}, steps: [ { pattern: "^INVITE" } ] }`;
    expect(checkLabFile(lab('  sites: true', traffic('tcp')))).toMatchObject({ ok: true });
    expect(checkLabFile(lab('  sites: true', '      - { id: c, kind: counts, label: l, service: sip, transport: udp, atLeast: 2 }'))).toMatchObject({ ok: true });
    expect(checkLabFile(lab('  sites: true', traffic('sctp')))).toMatchObject({ ok: false, error: { line: 10 } });
  });
});
