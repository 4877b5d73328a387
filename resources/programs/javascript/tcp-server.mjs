// tcp-server.mjs: the socket chapter's TCP server (Kurose & Ross, section 2.7.2) in Node.
// For each connection: read one sentence, send it back in capitals, close.
// NetLab passes the port to listen on in NETLAB_SERVER_PORT; the textbook's value is 12000.
import net from 'node:net';

const serverPort = Number(process.env.NETLAB_SERVER_PORT ?? 12000);
const serverSocket = net.createServer((connectionSocket) => {
  connectionSocket.once('data', (sentence) => {
    const capitalizedSentence = sentence.toString().toUpperCase();
    connectionSocket.end(capitalizedSentence);
  });
});
serverSocket.listen(serverPort, '127.0.0.1', () => {
  console.log('The server is ready to receive on port', serverPort);
});
