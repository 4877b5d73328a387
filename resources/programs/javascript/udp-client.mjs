// udp-client.mjs: the socket chapter's UDP client (Kurose & Ross, section 2.7.1) in Node.
// It reads a lowercase sentence, sends it as one datagram and prints the server's reply.
// NetLab passes the server's port in NETLAB_SERVER_PORT; the textbook's value is 12000.
import dgram from 'node:dgram';
import readline from 'node:readline/promises';

const serverName = process.env.NETLAB_SERVER_HOST ?? 'localhost';
const serverPort = Number(process.env.NETLAB_SERVER_PORT ?? 12000);
const clientSocket = dgram.createSocket('udp4');
const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
const message = await rl.question('Input lowercase sentence:');
rl.close();
clientSocket.send(message, serverPort, serverName);
// Not in the textbook: UDP does not retransmit, so a lost datagram would leave us waiting forever.
const timer = setTimeout(() => {
  console.log('No reply within 5 s: the datagram or its reply was lost (UDP does not retransmit).');
  clientSocket.close();
}, 5000);
clientSocket.once('message', (modifiedMessage) => {
  clearTimeout(timer);
  console.log(modifiedMessage.toString());
  clientSocket.close();
});
