/**
 * The lab client of a resend: a new connection (or datagram) from the lab core to a lab
 * service on loopback, told to the capture as "resend from the inspector". One exchange each:
 * an HTTP request and its response, a DNS query and its reply, a mail session's lines each
 * with its reply.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { ClientNames } from '../internet/names';
import { LOOPBACK } from '../internet/hosts';
import { parseResponse } from '../web/response';
import { RESEND_CLIENT, ResendError } from './resend-types';

const TIMEOUT_MS = 5000;

export interface Wire {
  names: ClientNames;
  port: number;
  /** the lab host name the original client dialled (the capture shows it at the server end) */
  host?: string;
  /** "HTTP web server on port 8080", for errors */
  what: string;
}

/** The capture's label for the client port, before the first byte leaves it. */
function label(w: Wire, localPort: number): void {
  w.names.note(localPort, { client: { name: RESEND_CLIENT }, server: w.host ? { name: w.host } : {} });
}

function refused(w: Wire, e: NodeJS.ErrnoException): ResendError {
  if (e.code === 'ECONNREFUSED') return new ResendError(`nothing answers on port ${w.port}: the ${w.what} is not listening`);
  return new ResendError(`${w.what}: ${e.message}`);
}

/** Write `bytes`, then feed what comes back to `done` until it says the exchange is over. */
function tcpExchange(w: Wire, bytes: Buffer | null, onData: (buf: Buffer, closed: boolean, write: (b: Buffer) => void) => string | null): Promise<{ clientPort: number; reply: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: LOOPBACK, port: w.port });
    let buf = Buffer.alloc(0);
    let clientPort = 0;
    let settled = false;
    const finish = (err: Error | null, reply = ''): void => {
      if (settled) return;
      settled = true;
      socket.end();
      socket.destroySoon();
      if (clientPort) setTimeout(() => w.names.forget(clientPort), 1000).unref();
      if (err) reject(err);
      else resolve({ clientPort, reply });
    };
    const feed = (closed: boolean): void => {
      try {
        const reply = onData(buf, closed, (b) => socket.write(b));
        if (reply !== null) finish(null, reply);
        else if (closed) finish(new ResendError(`the ${w.what} closed the connection before it answered`));
      } catch (e) {
        finish(e as Error);
      }
    };
    socket.setTimeout(TIMEOUT_MS, () => finish(new ResendError(`the ${w.what} did not answer within ${TIMEOUT_MS / 1000} s`)));
    socket.on('error', (e: NodeJS.ErrnoException) => finish(refused(w, e)));
    socket.on('connect', () => {
      clientPort = socket.localPort ?? 0;
      label(w, clientPort);
      if (bytes) socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      feed(false);
    });
    socket.on('end', () => feed(true));
  });
}

/** An HTTP request as raw bytes; the exchange ends with the response (RFC 9112 §6 framing). */
export function sendHttp(w: Wire, request: Buffer): Promise<{ clientPort: number; reply: string }> {
  const method = /^([A-Z]+) /.exec(request.toString('latin1', 0, 16))?.[1] ?? 'GET';
  return tcpExchange(w, request, (buf, closed) => {
    const r = parseResponse(buf, 0, method, closed);
    if (r.ok) return buf.toString('latin1', 0, Math.max(0, buf.indexOf('\r\n'))) || 'a response';
    if (!r.incomplete) throw new ResendError(`the answer is not an HTTP response: ${r.error.message}`);
    return null;
  });
}

/** A DNS query in one datagram; the reply is the first datagram from the server with its id. */
export function sendDnsUdp(w: Wire, query: Buffer, id: number): Promise<{ clientPort: number; reply: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    let clientPort = 0;
    let settled = false;
    let timer: NodeJS.Timeout | null = null;
    const finish = (err: Error | null, reply?: Buffer): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.close();
      if (clientPort) setTimeout(() => w.names.forget(clientPort), 1000).unref();
      if (err || !reply) reject(err);
      else resolve({ clientPort, reply });
    };
    socket.on('error', (e: NodeJS.ErrnoException) => finish(refused(w, e)));
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port === w.port && msg.length >= 12 && msg.readUInt16BE(0) === id) finish(null, msg);
    });
    socket.bind(0, LOOPBACK, () => {
      clientPort = socket.address().port;
      label(w, clientPort);
      timer = setTimeout(() => finish(new ResendError(`the ${w.what} did not answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
      // connected, so a closed port comes back as ECONNREFUSED rather than silence
      socket.connect(w.port, LOOPBACK, () => socket.send(query));
    });
  });
}

/** POP3 commands whose +OK reply goes on for lines up to a lone "." (RFC 1939 §3). */
const POP3_MULTILINE = /^(LIST|UIDL)\s*$|^(RETR|TOP|CAPA)\b/i;

/**
 * A mail session: read the greeting, then send each line and read its reply. SMTP's DATA
 * text goes line by line after the 354, its reply comes after the lone "." (RFC 5321 §4.1.1.4).
 */
export function sendLines(w: Wire, protocol: 'smtp' | 'pop3', lines: string[]): Promise<{ clientPort: number; reply: string }> {
  let next = 0;
  let read = 0;
  let expectMulti = false;
  let inData = false;
  let last = '';
  return tcpExchange(w, null, (buf, closed, write) => {
    for (;;) {
      const reply = takeReply(buf, read, protocol, expectMulti);
      if (!reply) return closed ? last || 'the connection closed' : null;
      read = reply.end;
      last = reply.text;
      if (next >= lines.length) return last;
      if (protocol === 'smtp' && /^354/.test(last)) inData = true;
      // the DATA text and its lone "." in one write; its reply comes after the "."
      const batch: string[] = [];
      while (next < lines.length) {
        const line = lines[next++];
        batch.push(line);
        if (!inData) break;
        if (line === '.') {
          inData = false;
          break;
        }
      }
      expectMulti = protocol === 'pop3' && POP3_MULTILINE.test(batch[0]);
      write(Buffer.from(batch.map((l) => `${l}\r\n`).join(''), 'latin1'));
    }
  });
}

/** One whole reply from `start`: an SMTP reply's last line ("250 ok", not "250-"), a POP3 status line (and its lines to "." when multi-line). */
function takeReply(buf: Buffer, start: number, protocol: 'smtp' | 'pop3', multi: boolean): { text: string; end: number } | null {
  let at = start;
  let first = '';
  for (;;) {
    const nl = buf.indexOf('\n', at);
    if (nl < 0) return null;
    const line = buf.toString('latin1', at, nl).replace(/\r$/, '');
    at = nl + 1;
    if (!first) first = line;
    if (protocol === 'smtp') {
      if (/^\d{3}(?!-)/.test(line)) return { text: line, end: at };
      continue;
    }
    if (!multi || !first.startsWith('+OK')) return { text: first, end: at };
    if (line === '.') return { text: first, end: at };
  }
}
