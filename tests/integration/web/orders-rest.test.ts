/**
 * www.networkutopia.com's orders as a REST resource API (Peterson & Davie ch. 9), driven by curl
 * and by python's urllib: the collection and its members, 201 + Location, ETags with
 * If-None-Match and If-Match, problem details for bad input, and a book that survives a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab } from '../../helpers/lab';
import { PYTHON, run } from '../../helpers/proc';

let lab: Lab;
let dataDir: string;
let base: string;
const HOST = 'www.networkutopia.com';

beforeAll(async () => {
  let port: (id: string) => number;
  ({ lab, dataDir, port } = await startLab());
  base = `http://127.0.0.1:${port('http')}`;
});
afterAll(() => lab.shutdown());

interface Curl {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** curl -i, as a student would type it; headers lower-cased */
async function curl(method: string, path: string, opts: { json?: string; headers?: string[]; raw?: string[] } = {}): Promise<Curl> {
  const args = ['-s', '-i', '--max-time', '10', '-X', method, '-H', `Host: ${HOST}`, ...(opts.headers ?? []).flatMap((h) => ['-H', h])];
  if (opts.json !== undefined) args.push('-H', 'Content-Type: application/json', '--data-binary', opts.json);
  args.push(...(opts.raw ?? []), `${base}${path}`);
  const r = await run('curl', args);
  const [head, ...rest] = r.stdout.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(lines[0].split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

describe('the REST resource API on www.networkutopia.com', () => {
  it('lists the collection, creates with POST (201, Location, ETag) and reads the new member', async () => {
    const list = await curl('GET', '/orders');
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
    const before = JSON.parse(list.body) as { orders: { id: number }[]; count: number };
    expect(before.count).toBe(before.orders.length);

    const made = await curl('POST', '/orders', { json: '{"item": "router", "quantity": 2, "customer": "bob@hamburger.edu"}' });
    expect(made.status).toBe(201);
    const order = JSON.parse(made.body) as { id: number; status: string; version: number };
    expect(made.headers.location).toBe(`/orders/${order.id}`);
    expect(made.headers.etag).toBe(`"order-${order.id}-v1"`);
    expect(order).toMatchObject({ item: 'router', quantity: 2, status: 'open', version: 1 });

    const read = await curl('GET', made.headers.location);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body)).toEqual(order);
    const open = JSON.parse((await curl('GET', '/orders?status=open')).body) as { orders: { id: number; status: string }[] };
    expect(open.orders.map((o) => o.id)).toContain(order.id);
    expect(open.orders.every((o) => o.status === 'open')).toBe(true);
  });

  it('answers a conditional GET with 304, and refuses a PUT or DELETE with a stale If-Match (412)', async () => {
    const made = await curl('POST', '/orders', { json: '{"item": "switch", "quantity": 1, "customer": "alice@crepes.fr"}' });
    const url = made.headers.location;
    const tag = made.headers.etag;
    expect((await curl('GET', url, { headers: [`If-None-Match: ${tag}`] })).status).toBe(304);

    const changed = await curl('PUT', url, { json: '{"status": "shipped"}', headers: [`If-Match: ${tag}`] });
    expect(changed.status).toBe(200);
    expect(JSON.parse(changed.body)).toMatchObject({ status: 'shipped', version: 2, item: 'switch' });
    expect(changed.headers.etag).not.toBe(tag);

    const stale = await curl('PUT', url, { json: '{"quantity": 5}', headers: [`If-Match: ${tag}`] });
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(stale.body).detail).toMatch(/changed since you read it/);
    expect((await curl('DELETE', url, { headers: [`If-Match: ${tag}`] })).status).toBe(412);
    expect(JSON.parse((await curl('GET', url)).body)).toMatchObject({ quantity: 1, version: 2 });

    const gone = await curl('DELETE', url, { headers: [`If-Match: ${changed.headers.etag}`] });
    expect(gone.status).toBe(204);
    expect((await curl('GET', url)).status).toBe(404);
  });

  it('is a plain HTTP API to python urllib too', async () => {
    const script = `
import json, urllib.request
base = ${JSON.stringify(base)}
req = urllib.request.Request(base + '/orders', data=json.dumps({'item': 'modem', 'quantity': 3, 'customer': 'bob@hamburger.edu'}).encode(), headers={'Host': '${HOST}', 'Content-Type': 'application/json'}, method='POST')
with urllib.request.urlopen(req) as r:
    made = json.load(r); print(r.status, r.headers['Location'])
with urllib.request.urlopen(urllib.request.Request(base + r.headers['Location'], headers={'Host': '${HOST}'})) as r:
    print(json.load(r)['item'])
`;
    const r = await run(PYTHON, ['-c', script]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^201 \/orders\/\d+\nmodem\n$/);
  });

  it('answers bad input with a problem that says what to send, and keeps what it holds', async () => {
    const count = (JSON.parse((await curl('GET', '/orders')).body) as { count: number }).count;
    const notJson = await curl('POST', '/orders', { json: '{"item": "cable",' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).detail).toMatch(/not JSON.*An order looks like/);
    const wrongType = await curl('POST', '/orders', { raw: ['-H', 'Content-Type: text/plain', '--data-binary', 'item=cable'] });
    expect(wrongType.status).toBe(415);
    const badQuantity = await curl('POST', '/orders', { json: '{"item": "cable", "quantity": -4, "customer": "bob@hamburger.edu"}' });
    expect(badQuantity.status).toBe(422);
    expect(JSON.parse(badQuantity.body).detail).toBe('quantity is a whole number from 1 to 1000');
    const extraField = await curl('POST', '/orders', { json: '{"item": "cable", "quantity": 1, "customer": "x", "price": 3}' });
    expect(extraField.status).toBe(422);
    const big = await curl('POST', '/orders', { json: JSON.stringify({ item: 'x'.repeat(70_000) }) });
    expect(big.status).toBe(413);
    const patch = await curl('DELETE', '/orders');
    expect(patch.status).toBe(405);
    expect(patch.headers.allow).toBe('GET, HEAD, POST');
    expect((await curl('GET', '/orders/abc')).status).toBe(404);
    expect((JSON.parse((await curl('GET', '/orders')).body) as { count: number }).count).toBe(count);
  });

  it('keeps the book across a restart of the lab', async () => {
    const made = await curl('POST', '/orders', { json: '{"item": "antenna", "quantity": 4, "customer": "alice@crepes.fr"}' });
    await lab.shutdown();
    let port: (id: string) => number;
    ({ lab, port } = await startLab(dataDir));
    base = `http://127.0.0.1:${port('http')}`;
    const read = await curl('GET', made.headers.location);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ item: 'antenna', quantity: 4 });
  });
});
