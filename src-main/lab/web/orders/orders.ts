/**
 * www.networkutopia.com's web services (Peterson & Davie ch. 9): the same order book offered
 * as a REST resource API under /orders and as a SOAP endpoint at /soap/orders (WSDL at
 * /soap/orders?wsdl). The web server hands these paths of that host here.
 */
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';
import type { OrderBook } from './order-book';
import { REST_PREFIX, restAnswer } from './rest';
import { soapAnswer } from './soap';

export const ORDERS_HOST = 'www.networkutopia.com';

/** The answer for an order-service request, or null when the request is for something else. */
export function ordersAnswer(req: HttpRequest, host: string | undefined, book: OrderBook): Promise<HttpResponse> | null {
  if (!host || host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '') !== ORDERS_HOST) return null;
  if (req.path === REST_PREFIX || req.path.startsWith(`${REST_PREFIX}/`)) return restAnswer(req, book);
  if (req.path === '/soap' || req.path.startsWith('/soap/')) return soapAnswer(req, book, `http://${host}`);
  return null;
}
