/**
 * The lab's own services, by id: their names and descriptions as the lab core gives them in
 * English (util/serviceText.ts shows the lab's text whenever it differs from these, so a
 * renamed or new service is never mistranslated).
 */
export default {
  'echo-tcp': { name: 'Echo (TCP)', description: "Uppercase echo over TCP, as the socket chapter's TCPServer" },
  'echo-udp': { name: 'Echo (UDP)', description: "Uppercase echo over UDP, as the socket chapter's UDPServer" },
  'dns-local': { name: 'DNS local server', description: 'Local DNS server: resolves by walking root → TLD → authoritative, caches answers; UDP and TCP' },
  'dns-root': { name: 'DNS root', description: 'Root DNS server (a.root-servers.net): refers to the TLD servers; UDP and TCP; 198.41.0.4 port 53 in the lab' },
  http: { name: 'Web server (HTTP)', description: 'HTTP/1.1 web server for the lab sites (www.someschool.edu, gaia.cs.umass.edu, …), port 80 of every lab host' },
  https: { name: 'Web server (HTTPS)', description: 'The lab sites over TLS (https://gaia.cs.umass.edu/, …), port 443 of every lab host; certificates from the lab CA' },
  proxy: { name: 'Web proxy cache', description: 'HTTP forward proxy with a cache: point a browser or curl -x at it' },
  smtp: { name: 'SMTP submission', description: "mail.crepes.fr (Alice's mail server, §2.3), every lab user's outgoing mail server: queues and relays to the recipient domain's MX" },
  pop3: { name: 'POP3', description: "Mail access (RFC 1939): every lab user's mailbox; `user bob`, `pass hungry`" },
  imap: { name: 'IMAP', description: 'Mail access with folders kept on the server (RFC 3501): `a1 login bob hungry`, `a2 select INBOX`' },
  tracker: { name: 'Tracker (HTTP)', description: 'BitTorrent tracker: GET /announce and /scrape (BEP 3, compact peers BEP 23)' },
  'tracker-udp': { name: 'Tracker (UDP)', description: 'BitTorrent UDP tracker protocol (BEP 15): connect, announce, scrape' },
  ftp: { name: 'FTP', description: 'File transfer (RFC 959): control here, data on connections of their own; `user alice`, `pass hungry`, or anonymous' },
  dht: { name: 'DHT ring', description: 'A circular DHT (K&R §2.5.2): peers on 127.0.0.x, one text line per datagram (LOOKUP, PUT, GET, PING …)' },
  sip: { name: 'SIP proxy', description: 'SIP registrar and proxy for the lab domains (P&D ch. 9): REGISTER, INVITE/ACK/BYE/CANCEL, Via and Record-Route' },
  overlays: { name: 'Search overlays', description: "Napster's index (this port), Gnutella servents and KaZaA super-nodes on 127.0.0.x:6346 (K&R §2.5)" },
  snmp: { name: 'SNMP agents', description: 'SNMP v1/v2c agent of every lab host (port 161 in the lab): MIB-II and the NetLab arc, GET, GETNEXT, GETBULK, SET, traps' },
  'dns-netcinema': { name: 'DNS netcinema.com', description: 'Authoritative server for netcinema.com: video.netcinema.com is a CNAME into the CDN (§2.6.3); UDP and TCP; 198.51.100.53 port 53 in the lab' },
  'dns-kingcdn': { name: 'DNS kingcdn.com', description: "The CDN's authoritative server: answers with the cluster closest to the asking local DNS server (§2.6.3); UDP and TCP; 203.0.113.53 port 53 in the lab" },
  'dns-networkutopia': { name: 'DNS networkutopia.com', description: 'Authoritative server for networkutopia.com and networkutopia.fr (dns1 and dns2); UDP and TCP; 212.212.212.1, 212.212.212.2 port 53 in the lab' },
  'cdn-a': { name: 'CDN cluster a.kingcdn.com', description: "KingCDN's cluster in Europe (203.0.113.10): a replica of Netcinema's videos on port 80 of a.kingcdn.com" },
  'cdn-b': { name: 'CDN cluster b.kingcdn.com', description: "KingCDN's cluster in North America (198.51.100.10): a replica of Netcinema's videos on port 80 of b.kingcdn.com" },
  /** services of one kind on many hosts (util/serviceText.ts reads the host from the lab's English) */
  kind: {
    tld: { name: 'DNS TLD {tlds}', description: 'TLD server for {tlds} ({server}); UDP and TCP; {address} port 53 in the lab' },
    authoritative: { name: 'DNS {zone}', description: 'Authoritative server for {zone}; UDP and TCP; {address} port 53 in the lab' },
    mx: { name: 'SMTP {host}', description: "{domain}'s mail server (MX): delivers to its users' Maildirs; in the lab, {host} port 25" },
    cdn: { name: 'CDN cluster {host}' },
  },
};
