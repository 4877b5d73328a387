/**
 * The arguments of MAIL FROM and RCPT TO (RFC 5321 §4.1.2, §4.1.1.11): the path in angle
 * brackets and the ESMTP parameters after it. Pure.
 */
import { reply } from './smtp-replies';

const PATH = /^\s*<([^<>\s]*)>(.*)$/;
const FROM_ARG = /^FROM\s*:\s*(.*)$/i;
const TO_ARG = /^TO\s*:\s*(.*)$/i;
/** NUL, CR and the other controls (TAB aside, a client's spacing) have no place in a name or a path */
export const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * MAIL FROM's parameters, as EHLO offers them: SIZE=n (RFC 1870), BODY=7BIT or 8BITMIME
 * (RFC 6152), AUTH=… where AUTH is offered (RFC 4954 §5). Any other — SMTPUTF8 (RFC 6531,
 * not offered), BODY=BINARYMIME, a typo — is answered 555 (RFC 5321 §4.1.1.11): accepting it
 * with 250 would promise what the server does not do. Returns the reply to give, or the values.
 */
export function mailParams(params: string, auth: boolean): { size?: number; body?: '7BIT' | '8BITMIME' } | string {
  const offered = `SIZE, BODY=7BIT, BODY=8BITMIME${auth ? ', AUTH' : ''}`;
  const out: { size?: number; body?: '7BIT' | '8BITMIME' } = {};
  for (const param of params.split(/\s+/).filter(Boolean)) {
    const eq = param.indexOf('=');
    const keyword = (eq < 0 ? param : param.slice(0, eq)).toUpperCase();
    const value = eq < 0 ? undefined : param.slice(eq + 1);
    if (keyword === 'SIZE' && value !== undefined) {
      if (!/^\d{1,15}$/.test(value)) return reply.syntax('SIZE=<number of bytes>');
      out.size = Number(value);
    } else if (keyword === 'BODY' && value !== undefined && /^(7BIT|8BITMIME)$/i.test(value)) {
      out.body = value.toUpperCase() as '7BIT' | '8BITMIME';
    } else if (!(keyword === 'AUTH' && auth && value !== undefined)) {
      return reply.unknownParameter(param, offered);
    }
  }
  return out;
}

/** `FROM:<alice@crepes.fr> SIZE=1024` → address and parameters; also tolerates `FROM: <…>` (the textbook's spacing) and a bare address. */
export function parsePath(arg: string, keyword: 'FROM' | 'TO'): { address: string; params: string } | undefined {
  if (CONTROL.test(arg)) return undefined;
  const m = (keyword === 'FROM' ? FROM_ARG : TO_ARG).exec(arg);
  if (!m) return undefined;
  const rest = m[1];
  const bracketed = PATH.exec(rest);
  if (bracketed) {
    const address = bracketed[1].replace(/^@[^:]+:/, ''); // drop an RFC 5321 source route
    return validAddress(address, keyword) ? { address, params: bracketed[2].trim() } : undefined;
  }
  const [bare, ...params] = rest.trim().split(/\s+/);
  return bare && validAddress(bare, keyword) ? { address: bare, params: params.join(' ') } : undefined;
}

function validAddress(address: string, keyword: 'FROM' | 'TO'): boolean {
  if (address === '') return keyword === 'FROM'; // the null reverse-path of bounces
  return address.length <= 254 && /^[^\s@<>]{1,64}@[A-Za-z0-9.-]{1,190}$/.test(address);
}
