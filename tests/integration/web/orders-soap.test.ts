/**
 * The same orders as a SOAP endpoint (Peterson & Davie ch. 9): a call composed by hand and
 * POSTed with curl in SOAP 1.1 (text/xml + SOAPAction) and 1.2 (application/soap+xml), the WSDL
 * that describes it, faults for bad input in each version's form, and the book shared with REST.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let base: string;
const HOST = 'www.networkutopia.com';
const NS = 'http://www.networkutopia.com/orders';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

beforeAll(async () => {
  let port: (id: string) => number;
  ({ lab, port } = await startLab());
  base = `http://127.0.0.1:${port('http')}`;
});
afterAll(() => lab.shutdown());

async function post(body: string, headers: string[], path = '/soap/orders'): Promise<{ status: number; type: string; body: string }> {
  const r = await run('curl', ['-s', '--max-time', '10', '-H', `Host: ${HOST}`, ...headers.flatMap((h) => ['-H', h]), '--data-binary', body, '-w', '\n%{http_code} %{content_type}', `${base}${path}`]);
  const cut = r.stdout.lastIndexOf('\n');
  const tail = r.stdout.slice(cut + 1);
  const space = tail.indexOf(' ');
  return { status: Number(tail.slice(0, space)), type: tail.slice(space + 1), body: r.stdout.slice(0, cut) };
}

const envelope = (ns: string, op: string, params = ''): string =>
  `<?xml version="1.0"?><soap:Envelope xmlns:soap="${ns}"><soap:Body><o:${op} xmlns:o="${NS}">${params}</o:${op}></soap:Body></soap:Envelope>`;
const soap11 = (op: string, params = '') => post(envelope(SOAP11, op, params), ['Content-Type: text/xml; charset=utf-8', `SOAPAction: "${NS}/${op}"`]);
const soap12 = (op: string, params = '') => post(envelope(SOAP12, op, params), [`Content-Type: application/soap+xml; charset=utf-8; action="${NS}/${op}"`]);

describe('the SOAP endpoint on www.networkutopia.com', () => {
  it('publishes a WSDL naming the five operations and both bindings', async () => {
    const r = await run('curl', ['-s', '-H', `Host: ${HOST}`, `${base}/soap/orders?wsdl`]);
    for (const op of ['ListOrders', 'GetOrder', 'CreateOrder', 'UpdateOrder', 'DeleteOrder']) expect(r.stdout).toContain(`<wsdl:operation name="${op}">`);
    expect(r.stdout).toContain(`<soap:address location="http://${HOST}/soap/orders"/>`);
    expect(r.stdout).toContain(`<soap12:address location="http://${HOST}/soap/orders"/>`);
  });

  it('creates an order in SOAP 1.1, reads it in SOAP 1.2, and REST sees the same order', async () => {
    const made = await soap11('CreateOrder', '<o:item>hub</o:item><o:quantity>6</o:quantity><o:customer>alice@crepes.fr</o:customer>');
    expect(made.status).toBe(200);
    expect(made.type).toBe('text/xml; charset=utf-8');
    expect(made.body).toContain(`<soap:Envelope xmlns:soap="${SOAP11}">`);
    expect(made.body).toContain('<ord:CreateOrderResponse');
    const id = Number(/<ord:id>(\d+)<\/ord:id>/.exec(made.body)![1]);

    const read = await soap12('GetOrder', `<o:id>${id}</o:id>`);
    expect(read.status).toBe(200);
    expect(read.type).toBe('application/soap+xml; charset=utf-8');
    expect(read.body).toContain(`<soap:Envelope xmlns:soap="${SOAP12}">`);
    expect(read.body).toMatch(/<ord:item>hub<\/ord:item>\s*<ord:quantity>6<\/ord:quantity>/);

    const rest = await run('curl', ['-s', '-H', `Host: ${HOST}`, `${base}/orders/${id}`]);
    expect(JSON.parse(rest.stdout)).toMatchObject({ id, item: 'hub', quantity: 6, customer: 'alice@crepes.fr' });

    const updated = await soap11('UpdateOrder', `<o:id>${id}</o:id><o:version>1</o:version><o:status>shipped</o:status>`);
    expect(updated.body).toContain('<ord:status>shipped</ord:status>');
    const stale = await soap11('UpdateOrder', `<o:id>${id}</o:id><o:version>1</o:version><o:quantity>2</o:quantity>`);
    expect(stale.status).toBe(500);
    expect(stale.body).toMatch(/<faultcode>soap:Client<\/faultcode>\s*<faultstring>order \d+ changed since you read it/);
    const deleted = await soap12('DeleteOrder', `<o:id>${id}</o:id>`);
    expect(deleted.body).toContain(`<ord:deleted>${id}</ord:deleted>`);
    expect((await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Host: ${HOST}`, `${base}/orders/${id}`])).stdout).toBe('404');
  });

  it('answers mistakes with faults in the version spoken: 1.1 Client/500, 1.2 Sender/400', async () => {
    const missing11 = await soap11('GetOrder', '<o:id>99999</o:id>');
    expect(missing11.status).toBe(500);
    expect(missing11.body).toMatch(/<faultcode>soap:Client<\/faultcode>\s*<faultstring>there is no order 99999<\/faultstring>/);
    const missing12 = await soap12('GetOrder', '<o:id>99999</o:id>');
    expect(missing12.status).toBe(400);
    expect(missing12.body).toMatch(/<soap:Value>soap:Sender<\/soap:Value>.*there is no order 99999/s);

    const unknown = await soap11('ShipEverything');
    expect(unknown.body).toMatch(/no operation ShipEverything: it has ListOrders, GetOrder, CreateOrder, UpdateOrder, DeleteOrder/);
    const wrongParam = await soap11('GetOrder', '<o:order>3</o:order>');
    expect(wrongParam.body).toContain('GetOrder has no parameter &lt;order&gt;: it takes id');
    const notInt = await soap12('GetOrder', '<o:id>three</o:id>');
    expect(notInt.body).toContain('&lt;id&gt; is a whole number (xs:int)');

    const version = await post(envelope(SOAP12, 'ListOrders'), ['Content-Type: text/xml', `SOAPAction: "${NS}/ListOrders"`]);
    expect(version.status).toBe(500);
    expect(version.body).toMatch(/<faultcode>soap:VersionMismatch<\/faultcode>\s*<faultstring>a SOAP 1.2 envelope sent as SOAP 1.1/);
    const noAction = await post(envelope(SOAP11, 'ListOrders'), ['Content-Type: text/xml']);
    expect(noAction.body).toContain('needs a SOAPAction header');
    const mismatch = await post(envelope(SOAP11, 'ListOrders'), ['Content-Type: text/xml', `SOAPAction: "${NS}/DeleteOrder"`]);
    expect(mismatch.body).toContain('the action says DeleteOrder but the Body asks for ListOrders');
  });

  it('refuses XML that is not well formed, DTDs and unknown mustUnderstand headers, and goes on serving', async () => {
    const broken = await post('<soap:Envelope xmlns:soap="' + SOAP11 + '"><soap:Body><GetOrder>', ['Content-Type: text/xml', 'SOAPAction: ""']);
    expect(broken.status).toBe(500);
    expect(broken.body).toMatch(/not well-formed XML at line 1, column \d+/);
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>${envelope(SOAP11, 'ListOrders')}`;
    expect((await post(bomb, ['Content-Type: text/xml', 'SOAPAction: ""'])).body).toContain('must not contain a document type declaration');
    const header = `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Header><t:Transaction xmlns:t="urn:x" soap:mustUnderstand="1">5</t:Transaction></soap:Header><soap:Body><o:ListOrders xmlns:o="${NS}"/></soap:Body></soap:Envelope>`;
    expect((await post(header, ['Content-Type: text/xml', 'SOAPAction: ""'])).body).toMatch(/<faultcode>soap:MustUnderstand<\/faultcode>/);
    const form = await post('id=3', ['Content-Type: application/x-www-form-urlencoded']);
    expect(form.status).toBe(415);
    expect((await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Host: ${HOST}`, `${base}/soap/orders`])).stdout).toBe('405');
    const list = await soap11('ListOrders');
    expect(list.status).toBe(200);
    expect(list.body).toContain('<ord:ListOrdersResponse');
  });
});
