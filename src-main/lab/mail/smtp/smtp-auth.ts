/**
 * SMTP AUTH (RFC 4954) with the two mechanisms every mail client speaks: PLAIN (RFC 4616:
 * `[authzid] NUL authcid NUL password`, base64) and LOGIN (the user name and the password
 * each in its own base64 line, after the server's `334 VXNlcm5hbWU6` "Username:" and
 * `334 UGFzc3dvcmQ6` "Password:"). Pure: base64 and the PLAIN message; the session drives it.
 */

export const MECHANISMS = ['PLAIN', 'LOGIN'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

/** the LOGIN challenges, base64 of "Username:" and "Password:" */
export const LOGIN_USER = Buffer.from('Username:').toString('base64');
export const LOGIN_PASS = Buffer.from('Password:').toString('base64');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (RFC 4648 §4, padded) to text; undefined when the line is not base64. `=` alone is the empty response (RFC 4954 §4). */
export function decodeBase64(line: string): string | undefined {
  const t = line.trim();
  if (t === '=') return '';
  if (t.length === 0 || !BASE64.test(t)) return undefined;
  return Buffer.from(t, 'base64').toString('utf8');
}

export interface PlainCredentials {
  authzid: string;
  authcid: string;
  password: string;
}

/** RFC 4616 §2: exactly two NULs; authcid and password not empty */
export function parsePlain(decoded: string): PlainCredentials | undefined {
  const parts = decoded.split('\0');
  if (parts.length !== 3) return undefined;
  const [authzid, authcid, password] = parts;
  if (!authcid || !password) return undefined;
  return { authzid, authcid, password };
}

/** For the inspector: what a client line of an AUTH exchange says, decoded (the lab masks nothing). */
export function describeSaslLine(b64: string): { decoded: string; plain?: PlainCredentials } | undefined {
  const decoded = decodeBase64(b64);
  if (decoded === undefined) return undefined;
  return { decoded, plain: decoded.includes('\0') ? parsePlain(decoded) : undefined };
}
