/**
 * Answer checks: the right value comes from the student's own capture (the Last-Modified of
 * the response to their GET, the Content-Length of their second GET, the address in the A
 * record they got, how many connections their page load opened), collected as messages
 * arrive; or, for a question about the textbook's formulas, from the lab file itself.
 * A wrong answer is told so without the value.
 */
import type { SwarmResult } from '../api';
import type { AnswerCheck } from './lab-file';
import { dnsOf, firstLine, httpHeaders, inScope, messageMatches, re, type SeenMessage } from './message-match';
import { english, msg, type LabText, type LabTextKey } from '../lab-text';

export interface Observed {
  value: string;
  evidence: number[];
}

export class AnswerCollector {
  /** values in the order the capture showed them */
  readonly observed: Observed[] = [];
  private waiting = new Map<number, number>();
  private conns = new Set<number>();
  /** the first messages counted (the evidence), and how many there were in all */
  private messages: number[] = [];
  private count = 0;

  constructor(private check: AnswerCheck) {}

  offer(m: SeenMessage): void {
    const a = this.check.answer;
    if (a.from === 'value' || a.from === 'swarm' || m.dir === 'none' || !inScope(a, m)) return;
    const asked = m.dir === 'c2s' && messageMatches({ pattern: a.request }, m);
    switch (a.from) {
      case 'http-header':
      case 'http-status':
        if (asked) this.waiting.set(m.conn, m.id);
        else if (m.dir === 's2c' && this.waiting.has(m.conn)) {
          const request = this.waiting.get(m.conn)!;
          this.waiting.delete(m.conn);
          const value = a.from === 'http-status' ? (/^HTTP\/\d\.\d (\d{3})/.exec(firstLine(m.bytes()))?.[1] ?? '') : (httpHeaders(m.bytes()).get((a.header ?? '').toLowerCase()) ?? '');
          this.push({ value, evidence: [request, m.id] });
        }
        return;
      case 'dns-answer':
      case 'dns-ttl': {
        if (m.dir !== 's2c') return;
        const p = dnsOf(m);
        const q = p?.questions?.[0];
        if (!p?.flag_qr || !q || (a.request && !re(a.request).test(q.name))) return;
        const type = (a.type ?? 'A').toUpperCase();
        const records = (p.answers ?? []).filter((r) => r.type === type) as { data?: unknown; ttl?: number }[];
        if (!records.length) return;
        // an MX record's answer is the mail server's name (its preference is not asked)
        const rdata = (d: unknown): string => String(d && typeof d === 'object' && 'exchange' in d ? d.exchange : d);
        const value = a.from === 'dns-ttl' ? String(records[0].ttl ?? '') : records.map((r) => rdata(r.data)).join(' ');
        this.push({ value, evidence: [m.id] });
        return;
      }
      case 'connections':
        if (asked && !this.conns.has(m.conn) && this.conns.size < 100_000) {
          this.conns.add(m.conn);
          this.counted(m.id);
        }
        return;
      case 'messages':
        if (asked) this.counted(m.id);
        return;
    }
  }

  /** a swarm run finished: the value the question asks of it (the newest run is the one answered) */
  offerSwarm(r: SwarmResult): void {
    const a = this.check.answer;
    if (a.from !== 'swarm') return;
    const rider = r.peers.find((p) => p.role === 'leecher' && p.freeRider);
    const seconds = a.swarm === 'free-rider-time' ? rider?.completionTime : r.distributionTime;
    this.observed.splice(0, this.observed.length, ...(seconds === null || seconds === undefined ? [] : [{ value: seconds.toFixed(3), evidence: [] }]));
  }

  private counted(id: number): void {
    this.count++;
    if (this.messages.length < 100) this.messages.push(id);
    this.observed.splice(0, this.observed.length, { value: String(this.count), evidence: [...this.messages] });
  }

  private push(o: Observed): void {
    if (this.observed.length < 1000) this.observed.push(o);
  }
}

export function normalizeText(s: string): string {
  return s
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\.$/, '')
    .toLowerCase();
}

function asNumber(s: string): number | null {
  const m = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?/i.exec(s.trim().replace(/,/g, ''));
  return m ? Number(m[0]) : null;
}

/** does the student's text say `expected`? numbers within the tolerance, else normalized text */
export function sameAnswer(given: string, expected: string, check: Pick<AnswerCheck, 'numeric' | 'tolerance'>): boolean {
  const e = asNumber(expected);
  const numeric = check.numeric ?? (e !== null && normalizeText(expected) === normalizeText(String(e)));
  if (numeric && e !== null) {
    const g = asNumber(given);
    return g !== null && Math.abs(g - e) <= (check.tolerance ?? 0) + 1e-9;
  }
  return normalizeText(given) === normalizeText(expected);
}

export interface AnswerVerdict {
  correct: boolean;
  message: string;
  /** the same, as a catalogue message (lab-text.ts) */
  messageText: LabText;
  evidence: number[];
}

const verdict = (correct: boolean, key: LabTextKey, evidence: number[] = []): AnswerVerdict => ({ correct, message: english(msg(key)), messageText: msg(key), evidence });

/** judge an answer against what was collected; the message never shows the expected value */
export function judgeAnswer(check: AnswerCheck, collector: AnswerCollector, given: string): AnswerVerdict {
  const a = check.answer;
  if (a.from === 'value') {
    const ok = sameAnswer(given, String(a.value ?? ''), check);
    return verdict(ok, ok ? 'checkLab.answer.right' : 'checkLab.answer.wrongFormula');
  }
  const seen = collector.observed;
  const candidates = a.nth !== undefined ? seen.slice(a.nth - 1, a.nth) : seen;
  if (candidates.length === 0 && a.from === 'swarm') return verdict(false, 'checkLab.answer.noSwarm');
  if (candidates.length === 0) return verdict(false, 'checkLab.answer.noCapture');
  const hit = candidates.find((o) => o.value !== '' && sameAnswer(given, o.value, check));
  if (hit) return verdict(true, a.from === 'swarm' ? 'checkLab.answer.rightRun' : 'checkLab.answer.rightCapture', hit.evidence);
  if (a.from === 'swarm') return verdict(false, 'checkLab.answer.wrongRun');
  return verdict(false, 'checkLab.answer.wrongCapture');
}
