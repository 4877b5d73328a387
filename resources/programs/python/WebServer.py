# WebServer.py: the web server assignment at the end of Kurose & Ross chapter 2.
# A web server that handles one HTTP request at a time: accept a connection, read the
# request, find the file it names, and send it back after a response line and headers
# ("HTTP/1.1 200 OK"). A file that is not there gets "404 Not Found" and a short page
# saying so. Try it from the lab terminal: curl -i 127.0.0.1:<the lab's port>/HelloWorld.html
# NetLab passes the port in NETLAB_SERVER_PORT and the folder to serve in NETLAB_WEB_ROOT.
import os
from socket import *

serverPort = int(os.environ.get('NETLAB_SERVER_PORT', '6789'))
webRoot = os.environ.get('NETLAB_WEB_ROOT', '.')
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
# TODO: bind the socket to ('127.0.0.1', serverPort) and listen
print('The web server is ready on port', serverPort)
while True:
    connectionSocket, addr = serverSocket.accept()
    try:
        message = connectionSocket.recv(4096).decode()
        # TODO: the second word of the request line is the path, e.g. /HelloWorld.html
        filename = message.split()[1]
        with open(os.path.join(webRoot, filename.lstrip('/')), 'rb') as f:
            outputdata = f.read()
        # TODO: send the status line and a blank line, then the file's bytes
    except (IOError, IndexError):
        # TODO: send a "404 Not Found" response with a short page
        pass
    connectionSocket.close()
