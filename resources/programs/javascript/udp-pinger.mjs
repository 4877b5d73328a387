// udp-pinger.mjs: the UDP pinger assignment at the end of Kurose & Ross chapter 2, in Node.
// Send the pings one after another, each as one datagram "Ping <sequence number> <time sent>",
// and wait at most one second for each reply: print its round-trip time (RTT), or
// "Request timed out" when no reply came. The lab's link loses some datagrams (30 % in the check).
// NetLab passes the server's port in NETLAB_SERVER_PORT and the number of pings in NETLAB_PINGS.
import dgram from 'node:dgram';

const serverName = process.env.NETLAB_SERVER_HOST ?? 'localhost';
const serverPort = Number(process.env.NETLAB_SERVER_PORT ?? 12000);
const pings = Number(process.env.NETLAB_PINGS ?? 10);
const clientSocket = dgram.createSocket('udp4');

for (let sequence = 1; sequence <= pings; sequence++) {
  const sendTime = Date.now();
  const message = `Ping ${sequence} ${sendTime / 1000}`;
  // TODO: send message to serverPort on serverName
  // TODO: wait up to 1000 ms for a 'message' event (a Promise racing a timer);
  //       print the reply and its RTT, or "Request timed out"
}
clientSocket.close();
