// tcp-client.mjs: the socket chapter's TCP client (Kurose & Ross, section 2.7.2) in Node.
// It connects, sends one sentence, prints the reply and closes.
// NetLab passes the server's port in NETLAB_SERVER_PORT; the textbook's value is 12000.
import net from 'node:net';
import readline from 'node:readline/promises';

const serverName = process.env.NETLAB_SERVER_HOST ?? 'localhost';
const serverPort = Number(process.env.NETLAB_SERVER_PORT ?? 12000);
const clientSocket = net.connect(serverPort, serverName);
await new Promise((resolve, reject) => {
  clientSocket.once('connect', resolve);
  clientSocket.once('error', reject);
});
const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
const sentence = await rl.question('Input lowercase sentence:');
rl.close();
clientSocket.write(sentence);
clientSocket.once('data', (modifiedSentence) => {
  console.log('From Server: ', modifiedSentence.toString());
  clientSocket.end();
});
