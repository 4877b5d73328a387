/** The web area's services, made together: the proxy knows which port is the lab's web server, and HTTPS serves its sites. */
import { registerHttpDecoder } from './decoder';
import type { LabService, ServiceContext } from '../services/service';
import { ProxyService } from './proxy/proxy-service';
import { HttpService } from './server/http-service';
import { HttpsService } from './server/https-service';

export function createWebServices(ctx: ServiceContext, httpPort: number, proxyPort: number, httpsPort: number): LabService[] {
  registerHttpDecoder();
  const http = new HttpService(ctx, httpPort);
  const proxy = new ProxyService(ctx, proxyPort, (p) => http.state === 'running' && p === http.port);
  return [http, new HttpsService(ctx, httpsPort, http), proxy];
}
