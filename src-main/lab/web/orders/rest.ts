/**
 * The order service as a REST resource API (Peterson & Davie ch. 9, "Web Services"; Fielding's
 * REST): the orders are resources named by URLs, and HTTP's own methods are the operations —
 *   GET /orders[?status=open]   the collection           200
 *   POST /orders                create one (JSON)        201 Created + Location + ETag
 *   GET /orders/7               one order                200 + ETag, 304 for If-None-Match
 *   PUT /orders/7               change it (JSON)         200 + ETag, 412 when If-Match is stale
 *   DELETE /orders/7            remove it                204, 412 when If-Match is stale
 * Errors are RFC 9457 problem details, so a program and a student both read what went wrong.
 */
import { header } from '../head';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';
import { STATUS_TEXT } from '../response';
import { etagOf, type OrderBook, OrderError, type OrderFields } from './order-book';
import type { Order } from './orders-types';

export const REST_PREFIX = '/orders';
const MAX_BODY = 64 * 1024;
const ALLOW_COLLECTION = 'GET, HEAD, POST';
const ALLOW_ITEM = 'GET, HEAD, PUT, DELETE';

function json(status: number, value: unknown, extra: [string, string][] = []): HttpResponse {
  return {
    status,
    headers: [['Content-Type', 'application/json; charset=utf-8'], ['Cache-Control', 'no-cache'], ...extra],
    body: Buffer.from(`${JSON.stringify(value, null, 2)}\n`),
  };
}

/** RFC 9457 problem details */
export function problem(status: number, detail: string, extra: [string, string][] = []): HttpResponse {
  const res = json(status, { type: 'about:blank', title: STATUS_TEXT[status] ?? 'Error', status, detail }, extra);
  res.headers[0] = ['Content-Type', 'application/problem+json'];
  return res;
}

const withTag = (o: Order): [string, string][] => [['ETag', etagOf(o)]];

/** If-Match / If-None-Match: "*" or a list of entity tags (RFC 9110 §13.1.1–2) */
function tagList(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return value.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

function matches(list: string[], o: Order): boolean {
  return list.includes('*') || list.includes(etagOf(o));
}

function readFields(req: HttpRequest): { fields: OrderFields } | { refused: HttpResponse } {
  const type = (header(req.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    return { refused: problem(415, `send the order as JSON: Content-Type: application/json (this request said ${type || 'nothing'})`, [['Accept-Post', 'application/json']]) };
  }
  if (req.body.length > MAX_BODY) return { refused: problem(413, `an order is at most ${MAX_BODY / 1024} KiB of JSON`) };
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString('utf8'));
  } catch (e) {
    return { refused: problem(400, `the body is not JSON: ${(e as Error).message}. An order looks like {"item": "cable", "quantity": 2, "customer": "bob@hamburger.edu"}`) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { refused: problem(400, 'an order is a JSON object such as {"item": "cable", "quantity": 2, "customer": "bob@hamburger.edu"}') };
  const unknown = Object.keys(value).filter((k) => !['item', 'quantity', 'customer', 'status', 'id', 'created', 'updated', 'version'].includes(k));
  if (unknown.length) return { refused: problem(422, `an order has no field ${unknown.slice(0, 3).join(', ')}: it has item, quantity, customer and status`) };
  const v = value as Record<string, unknown>;
  return { fields: { item: v.item, quantity: v.quantity, customer: v.customer, status: v.status } };
}

function refused(err: unknown): HttpResponse {
  if (!(err instanceof OrderError)) throw err;
  const status = { missing: 404, conflict: 412, full: 409, invalid: 422 }[err.kind];
  return problem(status, err.message);
}

/** The order id a path names: /orders/7 → 7; /orders → null; anything else → undefined. */
function idOf(path: string): number | null | undefined {
  if (path === REST_PREFIX || path === `${REST_PREFIX}/`) return null;
  const m = /^\/orders\/(\d{1,9})$/.exec(path);
  return m ? Number(m[1]) : undefined;
}

export async function restAnswer(req: HttpRequest, book: OrderBook): Promise<HttpResponse> {
  const id = idOf(req.path);
  if (id === undefined) return problem(404, `${req.path.slice(0, 80)} is not a resource here: the orders are /orders and /orders/{id}`);
  try {
    return id === null ? await collection(req, book) : await item(req, book, id);
  } catch (err) {
    return refused(err);
  }
}

async function collection(req: HttpRequest, book: OrderBook): Promise<HttpResponse> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const status = new URLSearchParams(req.query).get('status') ?? undefined;
    const orders = await book.list(status);
    return json(200, { orders, count: orders.length });
  }
  if (req.method === 'POST') {
    const read = readFields(req);
    if ('refused' in read) return read.refused;
    const order = await book.create(read.fields);
    return json(201, order, [['Location', `${REST_PREFIX}/${order.id}`], ...withTag(order)]);
  }
  return problem(405, `${req.method} is not an operation on the collection /orders: GET lists it, POST adds an order`, [['Allow', ALLOW_COLLECTION]]);
}

async function item(req: HttpRequest, book: OrderBook, id: number): Promise<HttpResponse> {
  const ifMatch = tagList(header(req.headers, 'if-match'));
  const expected = ifMatch ? (o: Order) => matches(ifMatch, o) : undefined;
  if (req.method === 'GET' || req.method === 'HEAD') {
    const order = await book.get(id);
    const none = tagList(header(req.headers, 'if-none-match'));
    if (none && matches(none, order)) return { status: 304, headers: [...withTag(order), ['Cache-Control', 'no-cache']], body: Buffer.alloc(0) };
    return json(200, order, withTag(order));
  }
  if (req.method === 'PUT') {
    const read = readFields(req);
    if ('refused' in read) return read.refused;
    const order = await book.update(id, read.fields, expected);
    return json(200, order, withTag(order));
  }
  if (req.method === 'DELETE') {
    await book.remove(id, expected);
    return { status: 204, headers: [], body: Buffer.alloc(0) };
  }
  return problem(405, `${req.method} is not an operation on an order: GET reads it, PUT changes it, DELETE removes it`, [['Allow', ALLOW_ITEM]]);
}
