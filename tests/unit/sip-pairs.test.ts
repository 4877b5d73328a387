/**
 * The inspector pairs a SIP request with its responses by Call-ID and CSeq on the same flow:
 * 100 and 180 are interim, 200 ends the transaction; the summaries come from the lab's own
 * SIP decoder, fed real message bytes.
 */
import { describe, expect, it } from 'vitest';
import { Exchanges, exchangeLabel } from '../../src-renderer/src/components/inspector/exchanges';
import { decoderFor } from '../../src-main/lab/capture/decoders';
import '../../src-main/lab/sip/sip-decoder';
import type { CaptureSummary } from '../../src-main/lab/api';

const sip = decoderFor('sip');
let id = 0;
function row(text: string, dir: 'c2s' | 's2c', conn = 1): CaptureSummary {
  const bytes = Buffer.from(text.replace(/\n/g, '\r\n'));
  return { id: ++id, t: id, service: 'sip', protocol: 'sip', conn, transport: 'udp', dir, kind: 'message', size: bytes.length, summary: sip.summarize('message', dir, bytes) } as CaptureSummary;
}
const head = (start: string, cseq: string, callId = 'c1') => `${start}\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1\nFrom: <sip:alice@crepes.fr>;tag=1\nTo: <sip:bob@hamburger.edu>\nCall-ID: ${callId}\nCSeq: ${cseq}\nContent-Length: 0\n\n`;

describe('SIP request/response pairing', () => {
  it('pairs INVITE with 100 and 180 as interim and 200 as the answer; BYE with its own 200', () => {
    const ex = new Exchanges();
    const invite = row(head('INVITE sip:bob@hamburger.edu SIP/2.0', '1 INVITE'), 'c2s');
    const trying = row(head('SIP/2.0 100 Trying', '1 INVITE'), 's2c');
    const ringing = row(head('SIP/2.0 180 Ringing', '1 INVITE'), 's2c');
    const otherCall = row(head('SIP/2.0 200 OK', '1 INVITE', 'c2'), 's2c');
    const ok = row(head('SIP/2.0 200 OK', '1 INVITE'), 's2c');
    const bye = row(head('BYE sip:bob@127.0.0.1:5070 SIP/2.0', '2 BYE'), 'c2s');
    const byeOk = row(head('SIP/2.0 200 OK', '2 BYE'), 's2c');
    for (const r of [invite, trying, ringing, otherCall, ok, bye, byeOk]) ex.add(r);
    const e = ex.of(invite.id)!;
    expect(e.interim.map((i) => i.id)).toEqual([trying.id, ringing.id]);
    expect(e.response?.id).toBe(ok.id);
    expect(ex.of(otherCall.id)).toBeUndefined();
    expect(ex.of(byeOk.id)?.request.id).toBe(bye.id);
    expect(exchangeLabel(e)).toMatchObject({ request: 'INVITE sip:bob@hamburger.edu', response: '200 OK' });
    expect(exchangeLabel(e).meta).toContain('after 100 Trying, 180 Ringing');
  });
});
