// web-server.mjs: the web server assignment at the end of Kurose & Ross chapter 2, in Node,
// with the net module only (no http module: the point is to write HTTP yourself).
// Read the request, find the file it names under the web folder, answer "HTTP/1.1 200 OK"
// with the file, or "404 Not Found" with a short page when there is no such file.
// NetLab passes the port in NETLAB_SERVER_PORT and the folder to serve in NETLAB_WEB_ROOT.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const serverPort = Number(process.env.NETLAB_SERVER_PORT ?? 6789);
const webRoot = process.env.NETLAB_WEB_ROOT ?? '.';
const server = net.createServer((connectionSocket) => {
  connectionSocket.once('data', (data) => {
    const requestLine = data.toString().split('\r\n')[0];
    // TODO: the path is the second word of requestLine
    // TODO: read path.join(webRoot, …) and write the status line, a blank line and the bytes,
    //       or a 404 Not Found response when the file is not there; then end the connection
    connectionSocket.end();
  });
});
server.listen(serverPort, '127.0.0.1', () => console.log('The web server is ready on port', serverPort));
