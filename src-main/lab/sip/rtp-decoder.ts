/**
 * The inspector's decoder for the softphones' media: RTP headers (RFC 3550 §5.1) and RTCP
 * receiver reports (§6.4.2). The capture keeps only each stream's first packets and a note a
 * second, so a call does not flood the list. Pure.
 */
import type { DecodedField } from '../api';
import { registerDecoder } from '../capture/decoders';
import { decodeRtcp, decodeRtp, isRtcp, RTCP_RR, SAMPLE_RATE } from './rtp';

export const RTP_PROTOCOL = 'rtp';
const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const jitterMs = (j: number): string => `${((j / SAMPLE_RATE) * 1000).toFixed(1)} ms (${j} timestamp units)`;

function describe(bytes: Buffer): { summary: string; fields: DecodedField[] } {
  if (isRtcp(bytes)) {
    const r = decodeRtcp(bytes);
    if (typeof r === 'string') return { summary: `RTCP malformed: ${r}`, fields: [{ name: 'RTCP', value: r }] };
    const name = r.type === RTCP_RR ? 'receiver report' : `type ${r.type}`;
    const b = r.blocks[0];
    const fields: DecodedField[] = [{ name: 'Packet type', value: `${r.type} (${name})` }, { name: 'Sender SSRC', value: hex(r.ssrc) }];
    if (b) {
      fields.push({
        name: 'Report block',
        value: `about SSRC ${hex(b.ssrc)}`,
        children: [
          { name: 'Fraction lost', value: `${(b.fractionLost * 100).toFixed(1)} % since the last report` },
          { name: 'Cumulative lost', value: String(b.cumulativeLost) },
          { name: 'Highest sequence number', value: String(b.highestSeq) },
          { name: 'Interarrival jitter', value: jitterMs(b.jitter) },
        ],
      });
    }
    return { summary: b ? `RTCP ${name}: ${(b.fractionLost * 100).toFixed(0)}% lost, ${b.cumulativeLost} in all, jitter ${((b.jitter / SAMPLE_RATE) * 1000).toFixed(1)} ms` : `RTCP ${name}`, fields: [{ name: 'RTCP', value: name, children: fields }] };
  }
  const p = decodeRtp(bytes);
  if (typeof p === 'string') return { summary: `not RTP: ${p}`, fields: [{ name: 'RTP', value: p }] };
  const codec = p.payloadType === 0 ? 'PCMU (G.711 µ-law, 8 kHz)' : `payload type ${p.payloadType}`;
  return {
    summary: `RTP ${p.payloadType === 0 ? 'PCMU' : `PT ${p.payloadType}`} seq ${p.seq} ts ${p.timestamp} SSRC ${hex(p.ssrc)}${p.marker ? ' [marker: talkspurt begins]' : ''}`,
    fields: [
      {
        name: 'RTP',
        value: codec,
        children: [
          { name: 'Version', value: String(bytes[0] >> 6) },
          { name: 'Marker', value: p.marker ? '1 (first packet of a talkspurt)' : '0' },
          { name: 'Payload type', value: `${p.payloadType}: ${codec}` },
          { name: 'Sequence number', value: `${p.seq} (+1 per packet: the receiver counts losses)` },
          { name: 'Timestamp', value: `${p.timestamp} (sampling instant, +160 per 20 ms packet)` },
          { name: 'SSRC', value: `${hex(p.ssrc)} (the stream's source)` },
          { name: 'Payload', value: `${p.payload.length} bytes (${(p.payload.length / 8).toFixed(0)} ms of µ-law audio)` },
        ],
      },
    ],
  };
}

registerDecoder(RTP_PROTOCOL, {
  summarize(kind, _dir, bytes) {
    return kind === 'event' ? bytes.toString('utf8', 0, 200) : describe(bytes).summary;
  },
  decode(kind, _dir, bytes) {
    return kind === 'event' ? [{ name: 'Note', value: bytes.toString('utf8') }] : describe(bytes).fields;
  },
});
