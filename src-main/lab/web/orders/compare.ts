/**
 * One operation on the order service, done both ways from a lab client: the REST request and
 * the SOAP call, each on a connection of its own to the lab web server, so the Web tab can put
 * the two exchanges side by side (what is in the URL and the method for one is in the envelope
 * for the other; the bytes each needs) and the inspector holds both.
 */
import type { CaptureStore } from '../../capture/store';
import type { ClientNames } from '../../internet/names';
import { HttpClientConnection } from '../client';
import type { Header } from '../head';
import { ORDERS_HOST } from './orders';
import { CONTENT_TYPE, ENVELOPE_NS, escapeXml, type SoapVersion } from './soap-envelope';
import { ORDERS_NS, SOAP_PATH, type Operation } from './wsdl';
import { compareRequestSchema, type ComparedExchange, type CompareRequest, type CompareResult } from './orders-types';

export const COMPARE_CLIENT = 'web services client';

interface Wire {
  method: string;
  target: string;
  headers: Header[];
  body?: Buffer;
}

const SOAP_OP: Record<CompareRequest['operation'], Operation> = { list: 'ListOrders', get: 'GetOrder', create: 'CreateOrder', update: 'UpdateOrder', delete: 'DeleteOrder' };

function fieldsOf(r: CompareRequest): Record<string, string | number> {
  const f: Record<string, string | number> = {};
  if (r.item !== undefined) f.item = r.item;
  if (r.quantity !== undefined) f.quantity = r.quantity;
  if (r.customer !== undefined) f.customer = r.customer;
  if (r.status !== undefined && r.operation !== 'list') f.status = r.status;
  return f;
}

function needId(r: CompareRequest): number {
  if (r.id === undefined) throw new Error(`${r.operation} names one order: give its id`);
  return r.id;
}

export function restRequest(r: CompareRequest): Wire {
  const headers: Header[] = [['Host', ORDERS_HOST], ['Accept', 'application/json']];
  const json = (method: string, target: string): Wire => ({ method, target, headers: [...headers, ['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(fieldsOf(r))) });
  switch (r.operation) {
    case 'list':
      return { method: 'GET', target: r.status ? `/orders?status=${encodeURIComponent(r.status)}` : '/orders', headers };
    case 'get':
      return { method: 'GET', target: `/orders/${needId(r)}`, headers };
    case 'create':
      return json('POST', '/orders');
    case 'update':
      return json('PUT', `/orders/${needId(r)}`);
    case 'delete':
      return { method: 'DELETE', target: `/orders/${needId(r)}`, headers };
  }
}

export function soapRequest(r: CompareRequest): Wire {
  const op = SOAP_OP[r.operation];
  const version: SoapVersion = r.soap ?? '1.1';
  const params: Record<string, string | number> = r.operation === 'list' ? (r.status ? { status: r.status } : {}) : { ...(r.operation === 'create' ? {} : { id: needId(r) }), ...fieldsOf(r) };
  const inner = Object.entries(params)
    .map(([k, v]) => `\n      <o:${k}>${escapeXml(String(v))}</o:${k}>`)
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="${ENVELOPE_NS[version]}">\n  <soap:Body>\n    <o:${op} xmlns:o="${ORDERS_NS}">${inner}\n    </o:${op}>\n  </soap:Body>\n</soap:Envelope>\n`;
  const action = `${ORDERS_NS}/${op}`;
  const headers: Header[] =
    version === '1.1'
      ? [['Host', ORDERS_HOST], ['Content-Type', CONTENT_TYPE['1.1']], ['SOAPAction', `"${action}"`]]
      : [['Host', ORDERS_HOST], ['Content-Type', `${CONTENT_TYPE['1.2']}; action="${action}"`]];
  return { method: 'POST', target: SOAP_PATH, headers, body: Buffer.from(xml) };
}

function wireText(head: string, body: Buffer): string {
  return head + body.toString('utf8');
}

async function exchange(style: ComparedExchange['style'], w: Wire, port: number, names: ClientNames, store: CaptureStore, service: string): Promise<ComparedExchange> {
  const started = performance.now();
  const conn = await HttpClientConnection.connect(port, { names, client: { name: COMPARE_CLIENT }, server: { name: ORDERS_HOST } });
  const clientPort = conn.localPort;
  try {
    const sent = conn.send([{ method: w.method, target: w.target, headers: w.headers, ...(w.body ? { body: w.body } : {}) }]);
    const res = await conn.next();
    const ms = performance.now() - started;
    const head = `HTTP/${res.version} ${res.status} ${res.reason}\r\n${res.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
    const { conn: captured, firstId } = store.clientExchange(service, clientPort);
    return {
      style,
      request: sent.toString('utf8'),
      response: wireText(head, res.body),
      requestBytes: sent.length,
      responseBytes: res.rawLength,
      status: res.status,
      ms: Math.round(ms * 10) / 10,
      conn: captured,
      firstId,
    };
  } finally {
    conn.close();
    setTimeout(() => names.forget(clientPort), 1000).unref();
  }
}

/** Do the operation with REST, then with SOAP (an update or delete the second time meets the first's change). */
export async function compare(input: CompareRequest, deps: { port: number; names: ClientNames; store: CaptureStore; service: string }): Promise<CompareResult> {
  const r = compareRequestSchema.parse(input);
  const rest = await exchange('REST', restRequest(r), deps.port, deps.names, deps.store, deps.service);
  const soap = await exchange(r.soap === '1.2' ? 'SOAP 1.2' : 'SOAP 1.1', soapRequest(r), deps.port, deps.names, deps.store, deps.service);
  return { rest, soap };
}
