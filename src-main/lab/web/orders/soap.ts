/**
 * The order service as a SOAP endpoint (Peterson & Davie ch. 9, "Web Services"): one URL,
 * POST /soap/orders, whatever the operation; the operation is named inside the envelope (and
 * in SOAPAction), its parameters are XML elements, its contract is the WSDL at
 * /soap/orders?wsdl. The same book as the REST API, so both can be watched doing the same thing.
 */
import { header } from '../head';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';
import { type OrderBook, OrderError, type OrderFields } from './order-book';
import type { Order } from './orders-types';
import { CONTENT_TYPE, envelope, escapeXml, faultBody, readEnvelope, SoapFault, type SoapCall, type SoapVersion } from './soap-envelope';
import { INPUTS, type Operation, OPERATIONS, ORDERS_NS, SOAP_PATH, wsdl } from './wsdl';

const MAX_BODY = 64 * 1024;

function xmlResponse(status: number, version: SoapVersion, xml: string): HttpResponse {
  return { status, headers: [['Content-Type', CONTENT_TYPE[version]], ['Cache-Control', 'no-store']], body: Buffer.from(xml) };
}

function orderXml(o: Order, indent: string): string {
  const f = (n: string, v: string | number): string => `${indent}  <ord:${n}>${escapeXml(String(v))}</ord:${n}>`;
  return [`${indent}<ord:order>`, f('id', o.id), f('item', o.item), f('quantity', o.quantity), f('customer', o.customer), f('status', o.status), f('created', o.created), f('updated', o.updated), f('version', o.version), `${indent}</ord:order>`].join('\n');
}

/** Which SOAP a request speaks, by its Content-Type; its action from SOAPAction or the type's parameter. */
function versionOf(req: HttpRequest): { version: SoapVersion; action: string | undefined } | null {
  const type = (header(req.headers, 'content-type') ?? '').toLowerCase();
  const media = type.split(';')[0].trim();
  if (media === 'text/xml') return { version: '1.1', action: header(req.headers, 'soapaction')?.trim().replace(/^"(.*)"$/, '$1') };
  if (media === 'application/soap+xml') return { version: '1.2', action: /;\s*action="?([^";]*)"?/.exec(header(req.headers, 'content-type') ?? '')?.[1] };
  return null;
}

export async function soapAnswer(req: HttpRequest, book: OrderBook, base: string): Promise<HttpResponse> {
  if (req.path !== SOAP_PATH) return { status: 404, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: Buffer.from(`The SOAP endpoint is ${SOAP_PATH} (its WSDL: ${SOAP_PATH}?wsdl).\n`) };
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (/^wsdl(=|&|$)/i.test(req.query)) return { status: 200, headers: [['Content-Type', 'text/xml; charset=utf-8']], body: Buffer.from(wsdl(base)) };
    return { status: 405, headers: [['Allow', 'POST'], ['Content-Type', 'text/plain; charset=utf-8']], body: Buffer.from(`SOAP calls are POSTed to ${SOAP_PATH}; GET ${SOAP_PATH}?wsdl reads the service's description.\n`) };
  }
  if (req.method !== 'POST') return { status: 405, headers: [['Allow', 'GET, POST'], ['Content-Type', 'text/plain; charset=utf-8']], body: Buffer.from(`SOAP has one method, POST, whatever the operation (${OPERATIONS.join(', ')}).\n`) };
  const speaks = versionOf(req);
  if (!speaks) {
    return { status: 415, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: Buffer.from('A SOAP 1.1 call is sent as Content-Type: text/xml with a SOAPAction header; SOAP 1.2 as application/soap+xml.\n') };
  }
  const { version, action } = speaks;
  try {
    if (req.body.length > MAX_BODY) throw new SoapFault('Client', `a call is at most ${MAX_BODY / 1024} KiB here`);
    if (version === '1.1' && action === undefined) throw new SoapFault('Client', 'SOAP 1.1 over HTTP needs a SOAPAction header (it may be empty: SOAPAction: "")');
    const call = readEnvelope(req.body, version);
    const wanted = action ? action.slice(action.lastIndexOf('/') + 1).replace(/^.*#/, '') : '';
    if (wanted && wanted !== call.operation) throw new SoapFault('Client', `the action says ${wanted} but the Body asks for ${call.operation}`);
    return xmlResponse(200, version, envelope(version, await perform(call, book)));
  } catch (err) {
    const fault = err instanceof SoapFault ? err : err instanceof OrderError ? new SoapFault('Client', err.message, err.kind) : null;
    if (!fault) throw err;
    const f = faultBody(version, fault);
    return xmlResponse(f.status, version, envelope(version, f.xml));
  }
}

function checkParams(call: SoapCall, op: Operation): void {
  const known = INPUTS[op].map((p) => p.replace('?', ''));
  const extra = Object.keys(call.params).find((p) => !known.includes(p));
  if (extra) throw new SoapFault('Client', `${op} has no parameter <${extra}>: it takes ${known.join(', ')}`);
  const missing = INPUTS[op].find((p) => !p.endsWith('?') && !(p in call.params));
  if (missing) throw new SoapFault('Client', `${op} needs <${missing}>`);
}

function intParam(call: SoapCall, name: string): number {
  const v = call.params[name];
  if (!/^\d{1,9}$/.test(v ?? '')) throw new SoapFault('Client', `<${name}> is a whole number (xs:int), not "${(v ?? '').slice(0, 20)}"`);
  return Number(v);
}

async function perform(call: SoapCall, book: OrderBook): Promise<string> {
  const op = OPERATIONS.find((o) => o === call.operation);
  if (!op) throw new SoapFault('Client', `the order service has no operation ${call.operation}: it has ${OPERATIONS.join(', ')} (see the WSDL)`);
  checkParams(call, op);
  const p = call.params;
  const wrap = (inner: string): string => `    <ord:${op}Response xmlns:ord="${ORDERS_NS}">\n${inner}\n    </ord:${op}Response>`;
  const expected = 'version' in p ? (o: Order) => o.version === intParam(call, 'version') : undefined;
  const fields: OrderFields = { item: p.item, quantity: p.quantity, customer: p.customer, status: p.status };
  switch (op) {
    case 'ListOrders':
      return wrap((await book.list(p.status)).map((o) => orderXml(o, '      ')).join('\n'));
    case 'GetOrder':
      return wrap(orderXml(await book.get(intParam(call, 'id')), '      '));
    case 'CreateOrder':
      return wrap(orderXml(await book.create(fields), '      '));
    case 'UpdateOrder':
      return wrap(orderXml(await book.update(intParam(call, 'id'), fields, expected), '      '));
    case 'DeleteOrder':
      return wrap(`      <ord:deleted>${(await book.remove(intParam(call, 'id'), expected)).id}</ord:deleted>`);
  }
}
