/** The web area's part of the lab API (issue 4, and the web services of issue 17), spread into api.ts's method list. */
import { z } from 'zod';
import { method } from '../api-method';
import { captureQuerySchema } from '../capture/capture-query';
import { compareRequestSchema, type CompareResult, type Order } from './orders/orders-types';
import type { CachingResult, CookieRow, PersistenceResult, ProxyStatus, SiteFileContent, SiteInfo, WebSettings } from './types';
import type { LabCaInfo } from '../tls/lab-ca';
import { cachingOptionsSchema, persistenceOptionsSchema, proxySettingsPatchSchema, siteHostSchema, sitePathSchema, webSettingsPatchSchema } from './web-schemas';

export const webMethodSchemas = {
  'web.settings': method<WebSettings>()(z.tuple([])),
  'web.configure': method<WebSettings>()(z.tuple([webSettingsPatchSchema])),
  'web.sites': method<SiteInfo[]>()(z.tuple([])),
  'web.readFile': method<SiteFileContent>()(z.tuple([siteHostSchema, sitePathSchema])),
  /** saving changes the file's Last-Modified and ETag, so a conditional GET sees the edit */
  'web.saveFile': method<SiteFileContent>()(z.tuple([siteHostSchema, sitePathSchema, z.string().max(2_000_000)])),
  'web.resetFile': method<SiteFileContent | null>()(z.tuple([siteHostSchema, sitePathSchema])),
  'web.cookies': method<CookieRow[]>()(z.tuple([])),
  'web.clearCookies': method<CookieRow[]>()(z.tuple([])),
  'web.proxyStatus': method<ProxyStatus>()(z.tuple([])),
  'web.proxyConfigure': method<ProxyStatus>()(z.tuple([proxySettingsPatchSchema])),
  'web.proxyFlush': method<ProxyStatus>()(z.tuple([])),
  /** non-persistent vs persistent vs pipelined fetch of a page and its images, under an emulated RTT */
  'web.runPersistence': method<PersistenceResult>()(z.tuple([persistenceOptionsSchema])),
  /** the caching example of §2.2.5, with and without the proxy's cache */
  'web.runCaching': method<CachingResult>()(z.tuple([cachingOptionsSchema])),
  /** the captured HTTP request/response pairs as HAR 1.2 */
  'web.exportHar': method<string>()(z.tuple([captureQuerySchema])),
  /** www.networkutopia.com's order book, as its REST and SOAP services see it */
  'web.orders': method<Order[]>()(z.tuple([])),
  /** one operation on the orders done with REST and with SOAP, the two exchanges side by side */
  'web.compareServices': method<CompareResult>()(z.tuple([compareRequestSchema])),
  /** the lab CA that signs the HTTPS and STARTTLS certificates: its PEM and fingerprint, to trust in a browser */
  'web.labCa': method<LabCaInfo>()(z.tuple([])),
};
