/**
 * Node alone: the least a Node server can do for a bench's load, with nothing of the lab in it
 * (no capture, no store, no link, no service framework) — the floor Node itself sets on this
 * machine, printed beside the lab and the C reference so each run says how much of a gap is
 * the lab's and how much is Node's. Run as its own process:
 *
 *   node node-floor.mjs dns PORT            a fixed A record for any question (cache hits)
 *   node node-floor.mjs smtp PORT           the SMTP replies, the message read to its dot and dropped
 *   node node-floor.mjs tls PORT KEY CERT PAGE
 *                         HTTPS: Node's TLS on the socket's own handle, the file PAGE for any GET
 *   node node-floor.mjs tls-stream PORT KEY CERT PAGE
 *                         the same TLS over a JavaScript stream the socket feeds — how a server
 *                         must run it to see the records on the wire
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';

const [kind, portText, ...files] = process.argv.slice(2);
const port = Number(portText);

function dns() {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (q, from) => {
    // the question as asked (header 12 bytes, then the name, type and class), one answer after it
    let end = 12;
    while (end < q.length && q[end] !== 0) end += q[end] + 1;
    end += 5;
    if (q.length < 17 || end > q.length) return;
    const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 128, 119, 40, 205]);
    const r = Buffer.concat([q.subarray(0, end), answer]);
    r[2] = 0x85 | (q[2] & 0x01); // QR, AA, the query's RD
    r[3] = 0x80; // RA, NOERROR
    r.writeUInt16BE(1, 4);
    r.writeUInt16BE(1, 6);
    r.writeUInt32BE(0, 8);
    socket.send(r, from.port, from.address);
  });
  socket.bind(port, '127.0.0.1');
}

function smtp() {
  const ehlo = '250-mail.hamburger.edu\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n';
  net
    .createServer({ allowHalfOpen: true }, (socket) => {
      socket.write('220 mail.hamburger.edu ESMTP\r\n');
      let data = false;
      let rest = '';
      socket.on('data', (chunk) => {
        rest += chunk.toString('latin1');
        let replies = '';
        for (;;) {
          if (data) {
            const dot = rest.indexOf('\r\n.\r\n');
            if (dot < 0) {
              rest = rest.slice(-4);
              break;
            }
            rest = rest.slice(dot + 5);
            data = false;
            replies += '250 2.0.0 Ok: queued\r\n';
            continue;
          }
          const eol = rest.indexOf('\r\n');
          if (eol < 0) break;
          const verb = rest.slice(0, 4).toUpperCase();
          rest = rest.slice(eol + 2);
          if (verb === 'EHLO') replies += ehlo;
          else if (verb === 'DATA') {
            replies += '354 End data with <CR><LF>.<CR><LF>\r\n';
            data = true;
            rest = '\r\n' + rest; // the dot may end an empty message
          } else if (verb === 'QUIT') {
            socket.end(replies + '221 2.0.0 Bye\r\n');
            return;
          } else replies += '250 2.1.0 Ok\r\n';
        }
        if (replies) socket.write(replies);
      });
      socket.on('end', () => socket.end());
      socket.on('error', () => socket.destroy());
    })
    .listen(port, '127.0.0.1');
}

function https(overStream) {
  const [key, cert, page] = files.map((f) => fs.readFileSync(f));
  const secureContext = tls.createSecureContext({ key, cert });
  const body = page.toString('latin1');
  const response = (close) => `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n${close ? 'Connection: close\r\n' : ''}\r\n${body}`;
  net
    .createServer((raw) => {
      raw.on('error', () => raw.destroy());
      let socket = raw;
      if (overStream) {
        socket = new Duplex({ read() {}, write: (c, _e, cb) => raw.write(c, cb), final: (cb) => (raw.end(), cb()) });
        raw.on('data', (d) => socket.push(d));
        raw.on('end', () => socket.push(null));
        raw.on('close', () => socket.destroy());
      }
      const s = new tls.TLSSocket(socket, { isServer: true, secureContext });
      s.on('error', () => raw.destroy());
      let head = '';
      s.on('data', (d) => {
        head += d.toString('latin1');
        for (let i = head.indexOf('\r\n\r\n'); i >= 0; i = head.indexOf('\r\n\r\n')) {
          const close = /\r\nconnection: *close/i.test(head.slice(0, i));
          head = head.slice(i + 4);
          s.write(response(close));
          if (close) s.end();
        }
      });
    })
    .listen(port, '127.0.0.1');
}

if (kind === 'dns') dns();
else if (kind === 'smtp') smtp();
else if (kind === 'tls' || kind === 'tls-stream') https(kind === 'tls-stream');
else throw new Error(`node-floor: no such kind ${kind}`);
