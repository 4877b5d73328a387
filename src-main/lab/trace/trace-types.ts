/** What the inspector is told about a trace file it shows. */
export interface TraceInfo {
  /** the file's name as the user picked it */
  name: string;
  format: 'pcap' | 'pcapng';
  size: number;
  packets: number;
  /** packets that were TCP or UDP over IP (the others: ARP, ICMP, fragments … are not shown) */
  segments: number;
  connections: number;
  messages: number;
  /** messages past the file capture's limit, not kept */
  evicted: number;
  /** NetLab wrote it: services and real endpoints are read from its comments */
  netlab: boolean;
  /** wall-clock ms of the first packet */
  startedAt: number;
  warnings: string[];
}
