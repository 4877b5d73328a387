# TCPServer.py: the socket chapter's TCP server (Kurose & Ross, section 2.7.2).
# For each connection: read one sentence, send it back in capitals, close.
# NetLab passes the port to listen on in NETLAB_SERVER_PORT; the textbook's value is 12000.
import os
from socket import *

serverPort = int(os.environ.get('NETLAB_SERVER_PORT', '12000'))
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('127.0.0.1', serverPort))
serverSocket.listen(1)
print('The server is ready to receive on port', serverPort)
while True:
    connectionSocket, addr = serverSocket.accept()
    sentence = connectionSocket.recv(1024).decode()
    capitalizedSentence = sentence.upper()
    connectionSocket.send(capitalizedSentence.encode())
    connectionSocket.close()
