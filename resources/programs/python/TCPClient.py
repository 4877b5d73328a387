# TCPClient.py: the socket chapter's TCP client (Kurose & Ross, section 2.7.2).
# It connects, sends one sentence, prints the reply and closes.
# NetLab passes the server's port in NETLAB_SERVER_PORT; the textbook's value is 12000.
import os
from socket import *

serverName = os.environ.get('NETLAB_SERVER_HOST', 'localhost')
serverPort = int(os.environ.get('NETLAB_SERVER_PORT', '12000'))
clientSocket = socket(AF_INET, SOCK_STREAM)
clientSocket.connect((serverName, serverPort))
sentence = input('Input lowercase sentence:')
clientSocket.send(sentence.encode())
modifiedSentence = clientSocket.recv(1024)
print('From Server: ', modifiedSentence.decode())
clientSocket.close()
