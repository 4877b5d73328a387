// smtp-client.mjs: the mail client assignment at the end of Kurose & Ross chapter 2, in Node.
// Send one e-mail to bob@hamburger.edu by talking SMTP yourself: HELO, MAIL FROM, RCPT TO,
// DATA, the message ending with a line holding one dot, QUIT — reading the reply to each.
// NetLab points you at mail.hamburger.edu's mail server (the lab's port in NETLAB_SERVER_PORT).
import net from 'node:net';

const host = process.env.NETLAB_SERVER_HOST ?? 'localhost';
const port = Number(process.env.NETLAB_SERVER_PORT ?? 25);
const socket = net.connect(port, host);
const lines = [];
let waiting = null;
socket.setEncoding('utf8');
socket.on('data', (text) => {
  lines.push(text);
  waiting?.();
});
/** the next reply from the server */
const reply = () => new Promise((resolve) => (lines.length ? resolve(lines.shift()) : (waiting = () => { waiting = null; resolve(lines.shift()); })));

console.log(await reply()); // 220
socket.write('HELO alice\r\n');
console.log(await reply()); // 250
// TODO: MAIL FROM:<alice@crepes.fr>, RCPT TO:<bob@hamburger.edu>, DATA,
//       the message and "\r\n.\r\n", QUIT — print each reply
socket.end();
