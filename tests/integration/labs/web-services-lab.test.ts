/**
 * web-services.yaml done start to finish through `netlab lab run` with curl: REST's 201 and
 * Location, an ETag's 304, the WSDL and a SOAP call composed by hand, a 404 and a fault — the
 * Location answer read from what curl showed, never known beforehand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, labRun, passedChecks, type LabRun } from '../../helpers/lab-run';
import { run } from '../../helpers/proc';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const SITE = 'http://www.networkutopia.com';

async function curl(lab: LabRun, path: string, ...extra: string[]): Promise<{ status: number; headers: Map<string, string> }> {
  const r = await run('curl', ['-s', '-i', '--connect-to', `www.networkutopia.com:80:127.0.0.1:${lab.ports.http}`, ...extra, `${SITE}${path}`]);
  const head = r.stdout.split('\r\n\r\n')[0].split('\r\n');
  const headers = new Map(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(head[0].split(' ')[1]), headers };
}

const call = (op: string, params: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><o:${op} xmlns:o="http://www.networkutopia.com/orders">${params}</o:${op}></soap:Body></soap:Envelope>`;
const soapHeaders = (op: string) => ['-H', 'Content-Type: text/xml', '-H', `SOAPAction: "http://www.networkutopia.com/orders/${op}"`];

describe('web services lab through netlab lab run', () => {
  it('every check passes with curl', async () => {
    lab = await labRun('web-services.yaml');
    const made = await curl(lab, '/orders', '-H', 'Content-Type: application/json', '--data', '{"item": "router", "quantity": 1, "customer": "you@crepes.fr"}');
    expect(made.status).toBe(201);
    await lab.passed('rest', 'created');
    expect(await lab.command('answer rest location /orders/999')).toMatchObject({ correct: false });
    expect(await lab.command(`answer rest location ${made.headers.get('location')}`)).toMatchObject({ correct: true });

    const url = made.headers.get('location')!;
    const read = await curl(lab, url);
    expect((await curl(lab, url, '-H', `If-None-Match: ${read.headers.get('etag')}`)).status).toBe(304);
    await lab.passed('etag', 'not-modified');

    expect((await curl(lab, '/soap/orders?wsdl')).status).toBe(200);
    await lab.passed('soap', 'wsdl');
    expect((await curl(lab, '/soap/orders', ...soapHeaders('GetOrder'), '--data', call('GetOrder', '<o:id>1</o:id>'))).status).toBe(200);
    await lab.passed('soap', 'call');

    expect((await curl(lab, '/orders/999')).status).toBe(404);
    await lab.passed('fault', 'rest-404');
    expect((await curl(lab, '/soap/orders', ...soapHeaders('GetOrder'), '--data', call('GetOrder', '<o:id>999</o:id>'))).status).toBe(500);
    await lab.passed('fault', 'soap-fault');
    expect(passedChecks(lab).sort()).toEqual(allChecks(lab).sort());
  });
});
