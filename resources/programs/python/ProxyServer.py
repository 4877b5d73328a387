# ProxyServer.py: the web proxy assignment at the end of Kurose & Ross chapter 2.
# A proxy that caches (section 2.2.5): a client sends it "GET http://host/path HTTP/1.1".
# When the object is in the cache, answer from the cache. Otherwise fetch it from the
# origin server, send it to the client, and keep a copy: the second request for the same
# URL must not reach the origin again.
# In NetLab every lab site (gaia.cs.umass.edu, www.someschool.edu …) lives on the lab's web
# server: connect to NETLAB_ORIGIN_HOST:NETLAB_ORIGIN_PORT and name the site in the Host header.
# NetLab passes the port to listen on in NETLAB_SERVER_PORT.
import os
from socket import *

serverPort = int(os.environ.get('NETLAB_SERVER_PORT', '8888'))
origin = (os.environ.get('NETLAB_ORIGIN_HOST', '127.0.0.1'), int(os.environ.get('NETLAB_ORIGIN_PORT', '8080')))
cache = {}  # URL -> the origin's whole response (bytes)

tcpSerSock = socket(AF_INET, SOCK_STREAM)
tcpSerSock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
tcpSerSock.bind(('127.0.0.1', serverPort))
tcpSerSock.listen(5)
print('The proxy is ready on port', serverPort)
while True:
    tcpCliSock, addr = tcpSerSock.accept()
    message = tcpCliSock.recv(4096).decode()
    print(message.split('\r\n')[0])
    url = message.split()[1]  # http://host/path
    # TODO: is url in the cache? then send the cached response to tcpCliSock
    # TODO: otherwise split url into host and path, connect to origin, send
    #       "GET <path> HTTP/1.0\r\nHost: <host>\r\n\r\n", read the whole response,
    #       keep it in the cache, and send it to tcpCliSock
    tcpCliSock.close()
