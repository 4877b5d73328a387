/**
 * Every lab service, in the order the rail lists them. Each protocol area adds its own
 * here; `port(id, fallback)` applies the caller's overrides (tests pass 0 for a free port).
 */
import { TcpEchoService } from '../echo/tcp-echo';
import { UdpEchoService } from '../echo/udp-echo';
import { dnsServices } from '../dns/lab-dns';
import { createWebServices } from '../web/web-services';
import { createVideoServices } from '../video/video-services';
import { createMailServices } from '../mail/mail-services';
import type { LabService, ServiceContext } from './service';
import { createTrackerServices } from '../p2p/tracker/tracker-service';
import { createFtpServices } from '../ftp/ftp-services';
import { DHT_PORT, DhtService } from '../p2p/dht/dht-service';
import { createSnmpServices, SNMP_PORT } from '../snmp/snmp-service';
import { SIP_PORT, SipService } from '../sip/sip-service';
import { INDEX_PORT, OverlayService, SERVENT_PORT } from '../p2p/overlays/overlay-service';

export type PortFor = (id: string, fallback: number) => number;

export function createServices(ctx: ServiceContext, port: PortFor): LabService[] {
  const services: LabService[] = [
    new TcpEchoService(ctx, port('echo-tcp', 12000)),
    new UdpEchoService(ctx, port('echo-udp', 12000)),
    // dns: (issue 3)
    ...dnsServices(ctx, port),
    // web: (issue 4)
    ...createWebServices(ctx, port('http', 8080), port('proxy', 3128), port('https', 8443)),
    // the CDN's clusters for video streaming: (issue 17)
    ...createVideoServices(ctx, port),
    // mail: (issue 5)
    ...createMailServices(ctx, port),
    // p2p: (issue 6)
    ...createTrackerServices(ctx, port('tracker', 6969), port('tracker-udp', 6969)),
    // ftp: (issue 15)
    ...createFtpServices(ctx, port),
    // the circular DHT: (issue 16)
    new DhtService(ctx, port('dht', DHT_PORT)),
    // SIP and RTP: (issue 17)
    new SipService(ctx, port('sip', SIP_PORT)),
    // the search overlays: Napster's index here, the servents on 127.0.0.x (issue 16)
    new OverlayService(ctx, port('overlays', INDEX_PORT), port('overlay-servents', SERVENT_PORT)),
  ];
  // network management (Peterson & Davie §9.3.2): an agent that sees every service above
  services.push(...createSnmpServices(ctx, port('snmp', SNMP_PORT), () => services));
  return services;
}
