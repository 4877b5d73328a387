/**
 * What the inspector says about an HTTP body beyond its size: a SOAP call names its operation
 * (or its fault), a JSON body shows its fields, an HLS playlist its variants or segments. So a REST request and a SOAP call doing the
 * same thing can be read side by side in the capture (Peterson & Davie ch. 9, web services).
 */
import type { DecodedField } from '../api';
import { HLS_TYPES, playlistStructure } from '../video/hls';

const SOAP_OP = /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]{1,80})/;
const FAULT_TEXT = /<(?:faultstring|(?:[\w.-]+:)?Text)\b[^>]*>([^<]{0,200})/;
const ENVELOPE_NS = /<(?:[\w.-]+:)?Envelope\b[^>]*xmlns(?::[\w.-]+)?="(http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/|http:\/\/www\.w3\.org\/2003\/05\/soap-envelope)"/;

/** the media type of a Content-Type value, lower-cased, without parameters */
export const mediaOf = (type: string | undefined): string => (type ?? '').split(';')[0].trim().toLowerCase();

const isSoapType = (media: string): boolean => media === 'text/xml' || media === 'application/soap+xml';
const isJsonType = (media: string): boolean => media === 'application/json' || media.endsWith('+json');

/** "SOAP GetOrder", "SOAP GetOrderResponse", "SOAP Fault", or null when the body is not SOAP. */
export function soapNote(media: string, body: Buffer): string | null {
  if (!isSoapType(media) || body.length === 0) return null;
  const text = body.toString('utf8', 0, Math.min(body.length, 4096));
  if (!ENVELOPE_NS.test(text)) return null;
  const op = SOAP_OP.exec(text)?.[1];
  return op ? `SOAP ${op}` : 'SOAP';
}

function jsonFields(value: unknown, depth: number): DecodedField[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(value);
  return entries.slice(0, 50).map(([name, v]) => {
    if (typeof v === 'object' && v !== null) {
      const n = Array.isArray(v) ? `array of ${v.length}` : 'object';
      return { name, value: n, ...(depth < 3 ? { children: jsonFields(v, depth + 1) } : {}) };
    }
    return { name, value: JSON.stringify(v) };
  });
}

/** A field for the body's structure: the SOAP envelope's operation and parameters, the JSON, or an HLS playlist's variants or segments. */
export function bodyStructure(media: string, body: Buffer): DecodedField | null {
  if (body.length === 0 || body.length > 256 * 1024) return null;
  if (HLS_TYPES.has(media)) return playlistStructure(body);
  if (isJsonType(media)) {
    try {
      const value: unknown = JSON.parse(body.toString('utf8'));
      return { name: 'JSON', value: Array.isArray(value) ? `array of ${value.length}` : typeof value, children: jsonFields(value, 0) };
    } catch {
      return { name: 'JSON', value: 'not valid JSON' };
    }
  }
  const note = soapNote(media, body);
  if (!note) return null;
  const text = body.toString('utf8');
  const version = ENVELOPE_NS.exec(text)?.[1].includes('2003/05') ? '1.2' : '1.1';
  const op = note.slice(5);
  const children: DecodedField[] = [{ name: 'Version', value: `SOAP ${version}` }, { name: 'Operation', value: op || '(none)' }];
  if (op === 'Fault') children.push({ name: 'Reason', value: FAULT_TEXT.exec(text)?.[1]?.trim() ?? '' });
  else {
    // the operation element's simple children: <ord:id>7</ord:id> → id = 7
    const inner = new RegExp(`<(?:[\\w.-]+:)?${op}\\b[^>]*>([\\s\\S]*?)</(?:[\\w.-]+:)?${op}>`).exec(text)?.[1] ?? '';
    for (const m of inner.matchAll(/<(?:[\w.-]+:)?([\w.-]{1,60})\b[^>]*>([^<]{0,200})<\//g)) if (children.length < 40) children.push({ name: m[1], value: m[2] });
  }
  return { name: 'SOAP envelope', value: `${op || 'SOAP'} (SOAP ${version})`, children };
}
