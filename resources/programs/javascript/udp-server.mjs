// udp-server.mjs: the socket chapter's UDP server (Kurose & Ross, section 2.7.1) in Node.
// Every datagram is answered with the same text in capitals.
// NetLab passes the port to listen on in NETLAB_SERVER_PORT; the textbook's value is 12000.
import dgram from 'node:dgram';

const serverPort = Number(process.env.NETLAB_SERVER_PORT ?? 12000);
const serverSocket = dgram.createSocket('udp4');
serverSocket.on('message', (message, clientAddress) => {
  const modifiedMessage = message.toString().toUpperCase();
  serverSocket.send(modifiedMessage, clientAddress.port, clientAddress.address);
});
serverSocket.bind(serverPort, '127.0.0.1', () => {
  console.log('The server is ready to receive on port', serverPort);
});
