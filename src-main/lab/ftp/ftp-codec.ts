/**
 * FTP's wire format, pure (RFC 959 §4, RFC 2428): a command line is a verb and one argument;
 * a reply is a three-digit code and text, several lines when the text needs them
 * ("211-Features:" ... "211 End"). The PORT/PASV host-port and the EPRT/EPSV forms are
 * parsed here with every number checked, so the session only sees values.
 */

/** RFC 959 sets no limit; the lab allows a path of a few hundred bytes and a verb, no more */
export const MAX_FTP_LINE = 1024;

export interface FtpCommand {
  verb: string;
  arg: string;
}

export function parseCommand(line: string): FtpCommand {
  const trimmed = line.replace(/^\s+/, '');
  const sp = trimmed.indexOf(' ');
  const verb = (sp < 0 ? trimmed : trimmed.slice(0, sp)).toUpperCase();
  return { verb, arg: sp < 0 ? '' : trimmed.slice(sp + 1) };
}

/** A reply: one line, or a multi-line reply whose last line repeats the code (RFC 959 §4.2). */
export function formatReply(code: number, text: string | string[]): string {
  const lines = Array.isArray(text) ? text : text.split('\n');
  if (lines.length === 1) return `${code} ${lines[0]}\r\n`;
  const last = lines.length - 1;
  return lines.map((l, i) => (i === 0 ? `${code}-${l}` : i === last ? `${code} ${l}` : ` ${l}`)).join('\r\n') + '\r\n';
}

export interface HostPort {
  host: string;
  port: number;
}

/** PORT h1,h2,h3,h4,p1,p2 (RFC 959 §4.1.2): null when any of the six numbers is not a byte. */
export function parseHostPort(arg: string): HostPort | null {
  const parts = arg.trim().split(',');
  if (parts.length !== 6 || !parts.every((p) => /^\d{1,3}$/.test(p.trim()))) return null;
  const n = parts.map((p) => Number(p.trim()));
  if (n.some((x) => x > 255)) return null;
  return { host: n.slice(0, 4).join('.'), port: n[4] * 256 + n[5] };
}

/** PASV's reply: 227 Entering Passive Mode (h1,h2,h3,h4,p1,p2) */
export function formatHostPort(host: string, port: number): string {
  return `${host.split('.').join(',')},${port >> 8},${port & 255}`;
}

/** EPRT |1|132.235.1.2|6275| or |2|::1|6275| (RFC 2428 §2): the delimiter is the first character. */
export function parseEprt(arg: string): (HostPort & { family: 1 | 2 }) | { error: 'family' } | null {
  const d = arg.trim()[0];
  if (!d || d.charCodeAt(0) < 33 || d.charCodeAt(0) > 126) return null;
  const parts = arg.trim().split(d);
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') return null;
  const [, fam, host, portText] = parts;
  if (fam !== '1' && fam !== '2') return { error: 'family' };
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  return { family: fam === '1' ? 1 : 2, host, port };
}

/** EPSV's reply text (RFC 2428 §3): the port alone, the client keeps the control connection's address */
export function formatEpsv(port: number): string {
  return `Entering Extended Passive Mode (|||${port}|)`;
}

/** The reply a client reads a data port from: 227 (h1,...,p2) or 229 (|||port|); null for any other. */
export function passivePort(reply: string): HostPort | { port: number } | null {
  const pasv = /^227 .*?\((\d+,\d+,\d+,\d+,\d+,\d+)\)/.exec(reply) ?? /^227 .*?(\d+,\d+,\d+,\d+,\d+,\d+)/.exec(reply);
  if (pasv) return parseHostPort(pasv[1]);
  const epsv = /^229 .*\((.)\1\1(\d{1,5})\1\)/.exec(reply);
  if (epsv) return { port: Number(epsv[2]) };
  return null;
}

/** MDTM's time-val (RFC 3659 §2.3): YYYYMMDDHHMMSS in UTC */
export function timeVal(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
