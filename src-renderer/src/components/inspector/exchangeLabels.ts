/** The pair row's words (the request, its answer, and the details), per protocol. Pure. */
import type { Exchange } from './exchanges';
import { t } from '../../i18n';
import { DNS_ERROR, DNS_QUERY, DNS_RESPONSE, INSIDE_TLS, NO_RECORD, plain, SIP_ROW, SNMP_RESPONSE, STATUS_LINE } from './exchangePatterns';

/** HTTP status class of a response summary, for colouring. */
export function statusClass(summary: string): 'ok' | 'redirect' | 'client-error' | 'server-error' | 'info' | '' {
  const bare = summary.replace(INSIDE_TLS, '');
  const code = Number(STATUS_LINE.exec(bare)?.[1] ?? SIP_ROW.exec(bare)?.[1] ?? 0);
  if (code >= 500) return 'server-error';
  if (code >= 400) return 'client-error';
  if (code >= 300) return 'redirect';
  if (code >= 200) return 'ok';
  if (code >= 100) return 'info';
  return '';
}

/** The pair row's text, as dev tools' Network panel would put it. */
export function exchangeLabel(e: Exchange): { request: string; response: string; meta: string } {
  if (e.protocol === 'dns') {
    const q = e.request.summary.replace(DNS_QUERY, '');
    const res = e.response?.summary.replace(DNS_RESPONSE, '').trim() ?? '';
    const answer = (res.startsWith(q) ? res.slice(q.length).trim() : res) || 'NOERROR';
    if (!e.response) return { request: q, response: t('inspector.pair.pending'), meta: '' };
    // the row shows the answer's head ("A 128.119.40.205", "referral", "No such name"); the rest goes with the details
    const error = DNS_ERROR.exec(answer);
    if (error) {
      const after = answer.slice(error[0].length).trim();
      const rest = after.startsWith(q) ? after.slice(q.length).trim() : after;
      return { request: q, response: error[1], meta: [rest, timing(e)].filter(Boolean).join(' · ') };
    }
    // the decoder's words for an empty answer
    if (answer === NO_RECORD) return { request: q, response: t('inspector.pair.noRecord'), meta: timing(e) };
    const referral = /^referral: (.*)$/.exec(answer);
    const [head, rest] = referral ? ['referral', referral[1]] : splitAt(answer, answer.startsWith('MX ') ? 3 : 2);
    return { request: q, response: head, meta: [rest, timing(e)].filter(Boolean).join(' · ') };
  }
  if (e.protocol === 'snmp') {
    // "get-request id=42 sysName.0" → "get-response", "sysName.0 = STRING: gaia… · 2 ms" (or the error-status)
    const request = e.request.summary.replace(/ id=-?\d+/, '');
    if (!e.response) return { request, response: waiting(e), meta: '' };
    const rest = e.response.summary.replace(SNMP_RESPONSE, '').trim();
    const error = /^(\w+) at varbind (\d+)$/.exec(rest);
    return error ? { request, response: error[1], meta: [`varbind ${error[2]}`, timing(e)].join(' · ') } : { request, response: 'get-response', meta: [rest, timing(e)].filter(Boolean).join(' · ') };
  }
  if (e.protocol === 'napster') {
    // "SEARCH rare-bootleg" → "211 1 hits", "rare-bootleg.mp3 at 127.0.0.13:6346 · 2 ms"
    if (!e.response) return { request: e.request.summary, response: waiting(e), meta: '' };
    const [head, ...rest] = e.response.summary.split(': ');
    return { request: e.request.summary, response: head, meta: [rest.join(': '), timing(e)].filter(Boolean).join(' · ') };
  }
  if (e.protocol === 'imap') {
    // "a2 select inbox" → "a2 OK", "[READ-WRITE] SELECT completed (+ 7 untagged …) · 3 ms"
    if (!e.response) return { request: plain(e.request), response: waiting(e), meta: '' };
    const [, tag = '', status = '', rest = ''] = /^(\S+) (\S+) ?(.*)$/.exec(plain(e.response)) ?? [];
    return { request: plain(e.request), response: `${tag} ${status}`, meta: [rest, timing(e), tlsMark(e)].filter(Boolean).join(' · ') };
  }
  if (e.protocol === 'sip') {
    // "INVITE sip:bob@hamburger.edu" → "200 OK", "after 100 Trying, 180 Ringing · CSeq 1 INVITE · 12 ms"
    const [request, cseq] = e.request.summary.split(' · ');
    const interim = e.interim.map((i) => i.summary.split(' · ')[0]);
    const before = interim.length ? t('inspector.pair.after', { list: interim.join(', ') }) : '';
    if (!e.response) return { request, response: interim.at(-1) ?? waiting(e), meta: cseq ?? '' };
    return { request, response: e.response.summary.split(' · ')[0], meta: [before, cseq, timing(e)].filter(Boolean).join(' · ') };
  }
  // "GET /index.html HTTP/1.1 · Host: x" → "GET /index.html"
  const [line] = plain(e.request).split(' · ');
  const request = line.replace(/\s+HTTP\/\d(?:\.\d)?$/, '');
  if (!e.response) return { request, response: waiting(e), meta: '' };
  // "HTTP/1.1 200 OK · text/html · 1.2 KiB · X-Cache: HIT" → "200 OK", "text/html · 1.2 KiB · X-Cache: HIT"
  const [status, ...rest] = plain(e.response).split(' · ');
  return { request, response: status.replace(/^HTTP\/\d(?:\.\d)?\s+/, ''), meta: [...rest, timing(e), tlsMark(e)].filter(Boolean).join(' · ') };
}

/** an exchange the lab decrypted says so */
function tlsMark(e: Exchange): string {
  return INSIDE_TLS.test(e.request.summary) ? t('inspector.pair.insideTls') : '';
}

/** a request with no response: still waiting, or given up (UDP) */
function waiting(e: Exchange): string {
  return e.unanswered ? t('inspector.pair.unanswered') : t('inspector.pair.pending');
}

/** the first `n` words, and the rest */
function splitAt(text: string, n: number): [string, string] {
  const words = text.split(' ');
  return [words.slice(0, n).join(' '), words.slice(n).join(' ')];
}

/** "12 ms" from the request to the first byte of the response */
function timing(e: Exchange): string {
  if (!e.response) return '';
  return formatMs((e.firstByteT ?? e.response.t) - e.request.t);
}

export function formatMs(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
