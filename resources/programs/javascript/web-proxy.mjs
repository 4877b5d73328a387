// web-proxy.mjs: the web proxy assignment at the end of Kurose & Ross chapter 2, in Node.
// A caching proxy (section 2.2.5): a client sends "GET http://host/path HTTP/1.1". Answer
// from the cache when the URL is there; otherwise fetch from the origin, answer, keep a copy.
// In NetLab every lab site lives on the lab's web server: connect to
// NETLAB_ORIGIN_HOST:NETLAB_ORIGIN_PORT and name the site in the Host header.
import net from 'node:net';

const serverPort = Number(process.env.NETLAB_SERVER_PORT ?? 8888);
const originHost = process.env.NETLAB_ORIGIN_HOST ?? '127.0.0.1';
const originPort = Number(process.env.NETLAB_ORIGIN_PORT ?? 8080);
const cache = new Map(); // URL -> the origin's whole response (Buffer)

net
  .createServer((client) => {
    client.once('data', (data) => {
      const url = data.toString().split(' ')[1];
      console.log('GET', url);
      // TODO: cached? client.end(cache.get(url))
      // TODO: otherwise net.connect(originPort, originHost), send
      //       `GET ${path} HTTP/1.0\r\nHost: ${host}\r\n\r\n`, collect the reply,
      //       cache.set(url, reply) and client.end(reply)
      client.end();
    });
  })
  .listen(serverPort, '127.0.0.1', () => console.log('The proxy is ready on port', serverPort));
