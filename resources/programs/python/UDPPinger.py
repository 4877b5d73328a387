# UDPPinger.py: the UDP pinger assignment at the end of Kurose & Ross chapter 2.
# Ping the lab's UDP echo server the way ping does, but over UDP: send the pings one after
# another, each as one datagram "Ping <sequence number> <time sent>", and wait at most one
# second for each reply. For a reply print its round-trip time (RTT); when no reply comes
# within the second print "Request timed out". UDP does not retransmit: the lab's link
# loses some datagrams (the lab's check sets 30 % loss), so some pings get no answer.
# NetLab passes the server's port in NETLAB_SERVER_PORT and the number of pings in NETLAB_PINGS.
import os
import time
from socket import *

serverName = os.environ.get('NETLAB_SERVER_HOST', 'localhost')
serverPort = int(os.environ.get('NETLAB_SERVER_PORT', '12000'))
pings = int(os.environ.get('NETLAB_PINGS', '10'))
clientSocket = socket(AF_INET, SOCK_DGRAM)
# TODO: make recvfrom give up after one second (a socket timeout)

for sequence in range(1, pings + 1):
    sendTime = time.time()
    message = 'Ping %d %f' % (sequence, sendTime)
    # TODO: send the message to (serverName, serverPort)
    # TODO: wait for the reply; print one line for this ping:
    #       the reply and its RTT in seconds, or "Request timed out" when the wait ran out
    pass

clientSocket.close()
