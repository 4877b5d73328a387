/**
 * The terminal's one-shot tools, each answered by its area of the lab: dig and nslookup (lab
 * DNS), dht, snmpget/snmpwalk/snmpset, sip, overlay, video. A tool prints its lines and the
 * prompt comes back; where its area is not part of the lab, the terminal says so.
 */
import type { LabHost, ServiceInfo } from '../api';
import type { LabInternet } from '../internet/internet';
import type { DnsCommand } from '../dns/dig-command';
import type { DhtCommand } from '../p2p/dht/dht-command';
import type { SnmpCommand } from '../snmp/snmp-command';
import type { SipCommand } from '../sip/sip-command';
import type { OverlayCommand } from '../p2p/overlays/overlay-command';
import type { VideoCommand } from '../video/video-command';
import type { Command } from './commands';
import type { RemoteHost } from './remote';

export interface SessionHost extends RemoteHost {
  internet: LabInternet;
  hosts(): readonly LabHost[];
  services(): ServiceInfo[];
  /** dig and nslookup (lab DNS): the lines to print */
  dnsLookup?(cmd: DnsCommand, session: number, line: string): Promise<string[]>;
  /** the DHT's `dht …` command: the lines to print */
  dht?(cmd: DhtCommand): Promise<string[]>;
  /** snmpget, snmpwalk, snmpset: the lines to print */
  snmp?(cmd: SnmpCommand, session: number): Promise<string[]>;
  /** the `sip …` command: the lines to print */
  sip?(cmd: SipCommand, session: number): Promise<string[]>;
  /** the search overlays' `overlay …` command: the lines to print */
  overlay?(cmd: OverlayCommand): Promise<string[]>;
  /** `video …`: the lab's DASH player, the lines to print */
  video?(cmd: VideoCommand): Promise<string[]>;
}

export type ToolCommand = Extract<Command, { kind: 'dig' | 'nslookup' | 'dht' | 'snmp' | 'sip' | 'overlay' | 'video' }>;

export const isTool = (cmd: Command): cmd is ToolCommand => ['dig', 'nslookup', 'dht', 'snmp', 'sip', 'overlay', 'video'].includes(cmd.kind);

/** The lines a tool prints (`line`: what was typed, as dig echoes it). */
export function runTool(host: SessionHost, cmd: ToolCommand, session: number, line: string): Promise<string[]> {
  const absent = (text: string): Promise<string[]> => Promise.resolve([text]);
  switch (cmd.kind) {
    case 'dig':
    case 'nslookup':
      return host.dnsLookup?.(cmd, session, line) ?? absent(`${cmd.kind}: lab DNS is not available`);
    case 'dht':
      return host.dht?.(cmd) ?? absent('dht: the DHT is not part of this lab');
    case 'snmp':
      return host.snmp?.(cmd, session) ?? absent(`${cmd.tool}: SNMP is not part of this lab`);
    case 'sip':
      return host.sip?.(cmd, session) ?? absent('sip: SIP is not part of this lab');
    case 'overlay':
      return host.overlay?.(cmd) ?? absent('overlay: the search overlays are not part of this lab');
    case 'video':
      return host.video?.(cmd).catch((err: Error) => [`video: ${err.message}`]) ?? absent('video: the video area is not part of this lab');
  }
}
