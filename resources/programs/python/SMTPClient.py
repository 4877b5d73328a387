# SMTPClient.py: the mail client assignment at the end of Kurose & Ross chapter 2.
# Send one e-mail to bob@hamburger.edu by talking SMTP yourself (no smtplib): the dialogue
# of section 2.3.1, each command followed by the server's reply code you expect:
#   banner 220, HELO 250, MAIL FROM 250, RCPT TO 250, DATA 354, the message ending
#   with a line holding one dot 250, QUIT 221.
# NetLab points you at mail.hamburger.edu's mail server (the lab's port in NETLAB_SERVER_PORT).
# Look for the message in bob's mailbox in the Mail view.
import os
from socket import *

mailserver = (os.environ.get('NETLAB_SERVER_HOST', 'localhost'), int(os.environ.get('NETLAB_SERVER_PORT', '25')))
msg = 'Subject: hello from my SMTP client\r\n\r\nI love computer networks!'
endmsg = '\r\n.\r\n'

clientSocket = socket(AF_INET, SOCK_STREAM)
clientSocket.connect(mailserver)
recv = clientSocket.recv(1024).decode()
print(recv)
if recv[:3] != '220':
    print('220 reply not received from server.')

heloCommand = 'HELO alice\r\n'
clientSocket.send(heloCommand.encode())
recv1 = clientSocket.recv(1024).decode()
print(recv1)
if recv1[:3] != '250':
    print('250 reply not received from server.')

# TODO: send MAIL FROM:<alice@crepes.fr> and print the reply
# TODO: send RCPT TO:<bob@hamburger.edu> and print the reply
# TODO: send DATA and print the reply (354)
# TODO: send msg, then endmsg, and print the reply (250)
# TODO: send QUIT and print the reply (221)
clientSocket.close()
