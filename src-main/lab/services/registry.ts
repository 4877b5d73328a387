/**
 * Every lab service, in the order the rail lists them. Each protocol area adds its own
 * here; `port(id, fallback)` applies the caller's overrides (tests pass 0 for a free port).
 */
import { TcpEchoService } from '../echo/tcp-echo';
import { UdpEchoService } from '../echo/udp-echo';
import { dnsServices } from '../dns/lab-dns';
import { createWebServices } from '../web/web-services';
import { createMailServices } from '../mail/mail-services';
import type { LabService, ServiceContext } from './service';
import { createTrackerServices } from '../p2p/tracker/tracker-service';
import { createFtpServices } from '../ftp/ftp-services';
import { DHT_PORT, DhtService } from '../p2p/dht/dht-service';

export type PortFor = (id: string, fallback: number) => number;

export function createServices(ctx: ServiceContext, port: PortFor): LabService[] {
  return [
    new TcpEchoService(ctx, port('echo-tcp', 12000)),
    new UdpEchoService(ctx, port('echo-udp', 12000)),
    // dns: (issue 3)
    ...dnsServices(ctx, port),
    // web: (issue 4)
    ...createWebServices(ctx, port('http', 8080), port('proxy', 3128), port('https', 8443)),
    // mail: (issue 5)
    ...createMailServices(ctx, port),
    // p2p: (issue 6)
    ...createTrackerServices(ctx, port('tracker', 6969), port('tracker-udp', 6969)),
    // ftp: (issue 15)
    ...createFtpServices(ctx, port),
    // the circular DHT: (issue 16)
    new DhtService(ctx, port('dht', DHT_PORT)),
  ];
}
