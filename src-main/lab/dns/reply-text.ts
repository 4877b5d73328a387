/** A name server's reply told in one sentence, for a resolution's steps (lab-text.ts keys). */
import { english, msg, type LabText } from '../lab-text';
import { fqdn, rdataText } from './records';
import type { UpstreamReply } from './resolver';

/** A reply in one sentence (English). */
export function describe(reply: Extract<UpstreamReply, { ok: true }>): string {
  return english(describeText(reply));
}

/** A reply in one sentence, as a catalogue message (lab-text.ts). */
export function describeText(reply: Extract<UpstreamReply, { ok: true }>): LabText {
  const ns = reply.authorities.filter((r) => r.type === 'NS');
  if (reply.rcode === 'NXDOMAIN') return msg('dnsLab.reply.nxdomain');
  if (reply.rcode !== 'NOERROR') return msg('dnsLab.reply.rcode', { rcode: `${reply.rcode}` });
  if (reply.answers.length) {
    const shown = reply.answers.slice(0, 3).map((r) => `${r.type} ${rdataText(r)}`).join(', ');
    return msg(reply.aa ? 'dnsLab.reply.answerAuthoritative' : 'dnsLab.reply.answer', { records: `${shown}${reply.answers.length > 3 ? ', …' : ''}` });
  }
  if (ns.length) {
    const glue = reply.additionals.filter((r) => r.type === 'A').map((r) => `${r.name} ${r.data}`);
    const p = { zone: fqdn(ns[0].name), ns: ns.map((r) => rdataText(r)).join(', ') };
    return glue.length ? msg('dnsLab.reply.referralGlue', { ...p, glue: glue.join(', ') }) : msg('dnsLab.reply.referral', p);
  }
  return msg('dnsLab.reply.nodata');
}
