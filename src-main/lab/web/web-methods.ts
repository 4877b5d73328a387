/**
 * The web area's part of the lab API: each method hands over to the WebArea (sites, cookies,
 * the proxy, the experiments, HAR). The Lab takes this table as it is.
 */
import type { AreaMethods } from '../api';
import type { WebArea } from './web-area';

export function webMethods(web: WebArea): AreaMethods<'web'> {
  return {
    'web.settings': async () => web.settings(),
    'web.configure': async (patch) => web.configure(patch),
    'web.sites': async () => web.sites(),
    'web.readFile': async (host, path) => web.readFile(host, path),
    'web.saveFile': async (host, path, text) => web.saveFile(host, path, text),
    'web.resetFile': async (host, path) => web.resetFile(host, path),
    'web.cookies': async () => web.cookies(),
    'web.clearCookies': async () => web.clearCookies(),
    'web.proxyStatus': async () => web.proxyStatus(),
    'web.proxyConfigure': async (patch) => web.proxyConfigure(patch),
    'web.proxyFlush': async () => web.proxyFlush(),
    'web.runPersistence': async (opts) => web.runPersistence(opts),
    'web.runCaching': async (opts) => web.runCaching(opts),
    'web.exportHar': async (query) => web.exportHar(query),
    'web.orders': async () => web.http.orders.list(),
    'web.compareServices': async (req) => web.compareServices(req),
    'web.labCa': async () => web.labCa(),
  };
}
