/** The web area's two services, made together: the proxy knows which port is the lab's web server. */
import { registerHttpDecoder } from './decoder';
import type { LabService, ServiceContext } from '../services/service';
import { ProxyService } from './proxy/proxy-service';
import { HttpService } from './server/http-service';

export function createWebServices(ctx: ServiceContext, httpPort: number, proxyPort: number): LabService[] {
  registerHttpDecoder();
  const http = new HttpService(ctx, httpPort);
  const proxy = new ProxyService(ctx, proxyPort, (p) => http.state === 'running' && p === http.port);
  return [http, proxy];
}
