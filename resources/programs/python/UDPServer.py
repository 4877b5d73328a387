# UDPServer.py: the socket chapter's UDP server (Kurose & Ross, section 2.7.1).
# Every datagram is answered with the same text in capitals.
# NetLab passes the port to listen on in NETLAB_SERVER_PORT; the textbook's value is 12000.
import os
from socket import *

serverPort = int(os.environ.get('NETLAB_SERVER_PORT', '12000'))
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('127.0.0.1', serverPort))
print('The server is ready to receive on port', serverPort)
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    modifiedMessage = message.decode().upper()
    serverSocket.sendto(modifiedMessage.encode(), clientAddress)
