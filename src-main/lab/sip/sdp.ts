/**
 * SDP (RFC 4566) as the softphones use it: one audio stream offered and answered
 * (RFC 3264), G.711 µ-law (RTP payload type 0, RFC 3551) at 8 kHz. Pure.
 */

export interface SdpField {
  type: string;
  value: string;
}

export interface SdpMedia {
  address: string;
  port: number;
  payloadTypes: number[];
  codecs: string[];
}

const LINE = /^([a-z])=(.*)$/;

export function parseSdp(text: string): { fields: SdpField[]; media: SdpMedia | null } {
  const fields: SdpField[] = [];
  let address = '';
  let media: SdpMedia | null = null;
  for (const raw of text.split(/\r?\n/).slice(0, 200)) {
    const m = LINE.exec(raw.trim());
    if (!m) continue;
    fields.push({ type: m[1], value: m[2] });
    if (m[1] === 'c') {
      const c = /^IN IP[46] (\S+)/.exec(m[2]);
      if (c) {
        address = c[1];
        if (media) media.address = address;
      }
    } else if (m[1] === 'm' && !media) {
      const mm = /^audio (\d{1,5}) RTP\/AVP((?: \d{1,3})+)$/.exec(m[2]);
      if (mm) media = { address, port: Number(mm[1]), payloadTypes: mm[2].trim().split(' ').map(Number), codecs: [] };
    } else if (m[1] === 'a' && media) {
      const rtpmap = /^rtpmap:(\d+) (\S+)/.exec(m[2]);
      if (rtpmap) media.codecs.push(`${rtpmap[1]} ${rtpmap[2]}`);
    }
  }
  return { fields, media };
}

const MEANING: Record<string, string> = {
  v: 'protocol version',
  o: 'origin (user, session id, version, address)',
  s: 'session name',
  c: 'connection: where to send the media',
  t: 'timing (0 0: unbounded)',
  m: 'media: type, RTP port, profile, payload types',
  a: 'attribute',
};

export function sdpMeaning(type: string): string {
  return MEANING[type] ?? 'field';
}

/** An offer or answer for one µ-law audio stream at `address:port`. */
export function audioSdp(user: string, sessionId: number, address: string, port: number): string {
  const ip = address.includes(':') ? 'IP6' : 'IP4';
  return [
    'v=0',
    `o=${user} ${sessionId} ${sessionId} IN ${ip} ${address}`,
    's=NetLab call',
    `c=IN ${ip} ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    'a=ptime:20',
    'a=sendrecv',
    '',
  ].join('\r\n');
}
