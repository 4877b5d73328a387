/** The socket programs' titles the lab core sends (src-main/lab/scenarios/lab-text.ts lists the keys; the English must match it). */
export default {
  title: {
    'udp-client': 'UDP client',
    'udp-server': 'UDP server',
    'tcp-client': 'TCP client',
    'tcp-server': 'TCP server',
    'udp-pinger': 'UDP pinger',
    'web-server': 'Web server',
    'smtp-client': 'SMTP client',
    'web-proxy': 'Web proxy',
  },
};
