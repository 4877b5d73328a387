/** The inspector's Statistics (Wireshark's Statistics menu): what `capture.statistics` returns. */

/** One side of a conversation: the lab's name and virtual address where it knows them. */
export interface StatEndpoint {
  /** what the table shows: the lab host name, else the address */
  label: string;
  name?: string;
  virtualAddress?: string;
  address: string;
  port: number;
}

/** A client ↔ server pair over one service (all its connections or UDP flows together). */
export interface StatConversation {
  service: string;
  protocol: string;
  transport: 'tcp' | 'udp';
  client: StatEndpoint;
  server: StatEndpoint;
  connections: number;
  messages: number;
  /** bytes on the wire, client → server and server → client */
  bytesC2s: number;
  bytesS2c: number;
  /** ms from the first connection's open (or first datagram) to the last close (or message) */
  durationMs: number;
}

export interface StatProtocol {
  protocol: string;
  service: string;
  transport: 'tcp' | 'udp';
  messages: number;
  bytes: number;
  /** of all the bytes the filter selects, 0..1 */
  share: number;
}

export interface StatCount {
  key: string;
  count: number;
}

export interface StatDnsServer {
  server: string;
  service: string;
  /** queries answered (paired by id on their flow), and those left without a response */
  answered: number;
  unanswered: number;
  medianMs: number;
  maxMs: number;
}

export interface CaptureStatistics {
  messages: number;
  bytes: number;
  conversations: StatConversation[];
  protocols: StatProtocol[];
  httpMethods: StatCount[];
  httpStatuses: StatCount[];
  dnsServers: StatDnsServer[];
  smtpReplies: StatCount[];
}
