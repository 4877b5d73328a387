/**
 * RTP and RTCP on the wire (RFC 3550) and G.711 µ-law (ITU-T G.711; payload type 0,
 * RFC 3551): what the softphones send each other. Pure: values in, bytes out and back.
 */

export const PCMU = 0;
export const SAMPLE_RATE = 8000;
/** 20 ms of audio per packet: 160 samples, 160 bytes of µ-law */
export const PACKET_MS = 20;
export const SAMPLES_PER_PACKET = (SAMPLE_RATE * PACKET_MS) / 1000;

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

export function encodeRtp(p: RtpPacket): Buffer {
  const b = Buffer.allocUnsafe(12 + p.payload.length);
  b[0] = 0x80; // version 2, no padding, no extension, no CSRC
  b[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  b.writeUInt16BE(p.seq & 0xffff, 2);
  b.writeUInt32BE(p.timestamp >>> 0, 4);
  b.writeUInt32BE(p.ssrc >>> 0, 8);
  p.payload.copy(b, 12);
  return b;
}

export function decodeRtp(b: Buffer): RtpPacket | string {
  if (b.length < 12) return `${b.length} bytes: shorter than an RTP header`;
  if (b[0] >> 6 !== 2) return `version ${b[0] >> 6}, not 2`;
  const cc = b[0] & 0x0f;
  const start = 12 + 4 * cc;
  if (b.length < start) return 'CSRC list past the end';
  return { marker: (b[1] & 0x80) !== 0, payloadType: b[1] & 0x7f, seq: b.readUInt16BE(2), timestamp: b.readUInt32BE(4), ssrc: b.readUInt32BE(8), payload: b.subarray(start) };
}

/** RTCP packet types (RFC 3550 §12.1) */
export const RTCP_SR = 200;
export const RTCP_RR = 201;

export interface ReportBlock {
  ssrc: number;
  /** fraction lost since the last report, 0..1 */
  fractionLost: number;
  cumulativeLost: number;
  highestSeq: number;
  /** interarrival jitter in timestamp units (RFC 3550 §6.4.1, A.8) */
  jitter: number;
  lsr: number;
  dlsr: number;
}

/** a receiver report (RFC 3550 §6.4.2) with one report block */
export function encodeRr(ssrc: number, block: ReportBlock): Buffer {
  const b = Buffer.alloc(32);
  b[0] = 0x81; // version 2, one report block
  b[1] = RTCP_RR;
  b.writeUInt16BE(7, 2); // length in 32-bit words minus one
  b.writeUInt32BE(ssrc >>> 0, 4);
  b.writeUInt32BE(block.ssrc >>> 0, 8);
  b[12] = Math.max(0, Math.min(255, Math.floor(block.fractionLost * 256)));
  const lost = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost));
  b.writeUIntBE(lost & 0xffffff, 13, 3);
  b.writeUInt32BE(block.highestSeq >>> 0, 16);
  b.writeUInt32BE(Math.round(block.jitter) >>> 0, 20);
  b.writeUInt32BE(block.lsr >>> 0, 24);
  b.writeUInt32BE(block.dlsr >>> 0, 28);
  return b;
}

export function decodeRtcp(b: Buffer): { type: number; ssrc: number; blocks: ReportBlock[] } | string {
  if (b.length < 8) return 'shorter than an RTCP header';
  if (b[0] >> 6 !== 2) return `version ${b[0] >> 6}, not 2`;
  const count = b[0] & 0x1f;
  const type = b[1];
  const ssrc = b.readUInt32BE(4);
  const first = type === RTCP_SR ? 28 : 8;
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count && first + 24 * (i + 1) <= b.length; i++) {
    const o = first + 24 * i;
    const raw = b.readUIntBE(o + 5, 3);
    blocks.push({ ssrc: b.readUInt32BE(o), fractionLost: b[o + 4] / 256, cumulativeLost: raw & 0x800000 ? raw - 0x1000000 : raw, highestSeq: b.readUInt32BE(o + 8), jitter: b.readUInt32BE(o + 12), lsr: b.readUInt32BE(o + 16), dlsr: b.readUInt32BE(o + 20) });
  }
  return { type, ssrc, blocks };
}

/** RTP and RTCP share a port pair: RTCP bytes 1 is 200..204 (RFC 5761 §4) */
export function isRtcp(b: Buffer): boolean {
  return b.length >= 8 && b[0] >> 6 === 2 && b[1] >= 200 && b[1] <= 204;
}

const BIAS = 0x84;
const CLIP = 32635;

/** G.711 µ-law: one 16-bit linear sample to one byte */
export function muLaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function muLawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const s = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return sign ? -s : s;
}

/** one packet of a sine tone, µ-law encoded: samples n … n+159 */
export function tonePayload(freq: number, firstSample: number, amplitude = 8000): Buffer {
  const out = Buffer.allocUnsafe(SAMPLES_PER_PACKET);
  for (let i = 0; i < SAMPLES_PER_PACKET; i++) out[i] = muLaw(amplitude * Math.sin((2 * Math.PI * freq * (firstSample + i)) / SAMPLE_RATE));
  return out;
}
