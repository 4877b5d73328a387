/**
 * The SIP, RTP and RTCP codecs and the receiver's arithmetic, pure: compact header names and
 * folded lines read as RFC 3261 §7.3 says; G.711 µ-law within its quantisation step; RTP and
 * receiver reports round-trip; RFC 3550's jitter estimate grows with jitter; fixed playout
 * marks the packets that come after their playout time as late, adaptive playout follows.
 */
import { describe, expect, it } from 'vitest';
import { header, headerValues, parseSip, parseUri, param } from '../../src-main/lab/sip/sip-message';
import { decodeRtcp, decodeRtp, encodeRr, encodeRtp, muLaw, muLawDecode } from '../../src-main/lab/sip/rtp';
import { RtpReceiver } from '../../src-main/lab/sip/playout';
import { parseSdp, audioSdp } from '../../src-main/lab/sip/sdp';

describe('SIP codec', () => {
  it('reads compact names, folded lines, comma lists and parameters', () => {
    const p = parseSip(Buffer.from('OPTIONS sip:bob@hamburger.edu:5070;transport=udp SIP/2.0\r\nv: SIP/2.0/UDP a:1;branch=z9hG4bK1, SIP/2.0/UDP b:2;branch=z9hG4bK2\r\nf: <sip:a@crepes.fr>;tag=x\r\nt: <sip:bob@hamburger.edu>\r\ni: abc\r\nSubject: a long\r\n  folded subject\r\nCSeq: 1 OPTIONS\r\nl: 0\r\n\r\n'));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(headerValues(p.msg, 'Via')).toHaveLength(2);
    expect(header(p.msg, 'Call-ID')).toBe('abc');
    expect(header(p.msg, 'Subject')).toBe('a long folded subject');
    expect(param(header(p.msg, 'From')!, 'tag')).toBe('x');
    expect(parseUri(p.msg.kind === 'request' ? p.msg.uri : '')).toMatchObject({ user: 'bob', host: 'hamburger.edu', port: 5070 });
  });

  it('refuses what is not SIP, and a request whose body is shorter than its Content-Length', () => {
    expect(parseSip(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toMatchObject({ ok: false, reason: 'not a SIP start line: GET / HTTP/1.1' });
    const r = parseSip(Buffer.from('BYE sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nabc'));
    expect(r).toMatchObject({ ok: false, reason: 'Content-Length 10 is past the end of the message (3 bytes of body)' });
    expect(!r.ok && r.request?.method).toBe('BYE');
  });

  it('offers one µ-law audio stream in SDP and reads it back', () => {
    const m = parseSdp(audioSdp('alice', 7, '127.0.0.1', 40000)).media;
    expect(m).toEqual({ address: '127.0.0.1', port: 40000, payloadTypes: [0], codecs: ['0 PCMU/8000'] });
  });
});

describe('RTP, RTCP and µ-law', () => {
  it('µ-law keeps a sample within its segment\'s step', () => {
    for (const s of [0, 100, -100, 1000, -5000, 20000, 32000, -32000]) {
      const back = muLawDecode(muLaw(s));
      expect(Math.abs(back - s)).toBeLessThanOrEqual(Math.max(8, Math.abs(s) / 16));
    }
  });

  it('round-trips an RTP header and a receiver report', () => {
    const p = { marker: true, payloadType: 0, seq: 65535, timestamp: 4_000_000_000, ssrc: 0xdeadbeef, payload: Buffer.alloc(160, 0xff) };
    expect(decodeRtp(encodeRtp(p))).toEqual(p);
    const rr = decodeRtcp(encodeRr(1, { ssrc: 2, fractionLost: 0.25, cumulativeLost: 12, highestSeq: 70000, jitter: 80, lsr: 0, dlsr: 0 }));
    expect(rr).toEqual({ type: 201, ssrc: 1, blocks: [{ ssrc: 2, fractionLost: 0.25, cumulativeLost: 12, highestSeq: 70000, jitter: 80, lsr: 0, dlsr: 0 }] });
  });
});

describe('the receiver', () => {
  /** packets every 20 ms sent at t = 20i, arriving after `delay(i)` ms; the sender's epoch is 0 */
  function feed(rx: RtpReceiver, n: number, delay: (i: number) => number, skip = new Set<number>()): void {
    for (let i = 0; i < n; i++) if (!skip.has(i)) rx.packet(i, i * 160, i === 0, i * 20 + delay(i));
  }

  it('counts losses from sequence gaps and estimates jitter as RFC 3550 A.8 does', () => {
    const steady = new RtpReceiver({ mode: 'fixed', fixedMs: 80 }, 0);
    feed(steady, 200, () => 30, new Set([5, 6, 50]));
    expect(steady.totals()).toMatchObject({ expected: 200, received: 197, lost: 3, late: 0 });
    expect(steady.totals().jitterMs).toBeCloseTo(0, 5);
    const shaky = new RtpReceiver({ mode: 'fixed', fixedMs: 80 }, 0);
    feed(shaky, 200, (i) => 30 + (i % 2) * 20);
    // |D| alternates 20 ms: J converges towards 20 ms
    expect(shaky.totals().jitterMs).toBeGreaterThan(15);
    expect(shaky.report().fractionLost).toBe(0);
  });

  it('fixed playout marks late packets; adaptive playout sets q from the delay it saw', () => {
    const fixed = new RtpReceiver({ mode: 'fixed', fixedMs: 40 }, 0);
    feed(fixed, 100, (i) => (i % 10 === 0 ? 90 : 30));
    expect(fixed.totals().late).toBe(10);
    const adaptive = new RtpReceiver({ mode: 'adaptive', fixedMs: 40 }, 0);
    feed(adaptive, 100, (i) => 30 + (i % 2) * 20);
    adaptive.talkspurt();
    adaptive.packet(100, 100 * 160, true, 100 * 20 + 30);
    // d ≈ 40 ms, v ≈ 10 ms: q = d + 4v is well above the fixed 40 ms
    expect(adaptive.totals().playoutMs).toBeGreaterThan(60);
  });
});
