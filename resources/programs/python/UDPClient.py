# UDPClient.py: the socket chapter's UDP client (Kurose & Ross, section 2.7.1).
# It reads a lowercase sentence, sends it as one datagram and prints the server's reply.
# NetLab passes the server's port in NETLAB_SERVER_PORT; the textbook's value is 12000.
import os
from socket import *

serverName = os.environ.get('NETLAB_SERVER_HOST', 'localhost')
serverPort = int(os.environ.get('NETLAB_SERVER_PORT', '12000'))
clientSocket = socket(AF_INET, SOCK_DGRAM)
# Not in the textbook: UDP does not retransmit, so a lost datagram would leave us waiting forever.
clientSocket.settimeout(5)
message = input('Input lowercase sentence:')
clientSocket.sendto(message.encode(), (serverName, serverPort))
try:
    modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
    print(modifiedMessage.decode())
except timeout:
    print('No reply within 5 s: the datagram or its reply was lost (UDP does not retransmit).')
clientSocket.close()
