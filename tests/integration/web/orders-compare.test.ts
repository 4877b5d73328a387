/**
 * REST and SOAP side by side (the Web tab's "Web services" pane): one operation done both ways
 * through the lab API the pane calls, both exchanges in the capture, named by the inspector
 * ("SOAP CreateOrder", the JSON's fields, the envelope's parameters).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedField } from '../../../src-main/lab/api';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, startLab } from '../../helpers/lab';

let lab: Lab;
beforeAll(async () => {
  ({ lab } = await startLab());
});
afterAll(() => lab.shutdown());

const field = (fields: DecodedField[], name: string): DecodedField | undefined => fields.find((f) => f.name === name);

describe('one operation done with REST and with SOAP', () => {
  it('creates an order each way; the capture names both requests and decodes their bodies', async () => {
    const r = await lab['web.compareServices']({ operation: 'create', item: 'cable', quantity: 2, customer: 'bob@hamburger.edu' });
    expect(r.rest.status).toBe(201);
    expect(r.rest.request).toMatch(/^POST \/orders HTTP\/1\.1\r\nHost: www\.networkutopia\.com\r\n[\s\S]*\r\n\r\n\{"item":"cable","quantity":2,"customer":"bob@hamburger\.edu"\}$/);
    expect(r.soap.style).toBe('SOAP 1.1');
    expect(r.soap.status).toBe(200);
    expect(r.soap.request).toMatch(/^POST \/soap\/orders HTTP\/1\.1\r\n[\s\S]*SOAPAction: "http:\/\/www\.networkutopia\.com\/orders\/CreateOrder"/);
    expect(r.soap.requestBytes).toBeGreaterThan(r.rest.requestBytes);
    expect(r.rest.conn).not.toBeNull();
    expect(r.soap.conn).not.toBe(r.rest.conn);

    const rows = await captured(lab);
    const soapRows = rows.filter((m) => m.conn === r.soap.conn && m.kind === 'message');
    expect(soapRows.map((m) => m.summary)).toEqual([expect.stringMatching(/^POST \/soap\/orders HTTP\/1\.1 · Host: www\.networkutopia\.com · SOAP CreateOrder$/), expect.stringMatching(/^HTTP\/1\.1 200 OK · text\/xml · SOAP CreateOrderResponse · /)]);
    expect(r.soap.firstId).toBe(soapRows[0].id);

    const soapDetail = await lab['capture.detail'](soapRows[0].id);
    const envelope = field(soapDetail!.fields, 'SOAP envelope')!;
    expect(envelope.value).toBe('CreateOrder (SOAP 1.1)');
    expect(envelope.children).toEqual(expect.arrayContaining([{ name: 'item', value: 'cable' }, { name: 'quantity', value: '2' }]));
    const restRows = rows.filter((m) => m.conn === r.rest.conn && m.kind === 'message');
    const json = field((await lab['capture.detail'](restRows[1].id))!.fields, 'JSON')!;
    expect(json.children).toEqual(expect.arrayContaining([{ name: 'item', value: '"cable"' }, { name: 'quantity', value: '2' }, { name: 'status', value: '"open"' }]));

    const orders = await lab['web.orders']();
    expect(orders.filter((o) => o.item === 'cable')).toHaveLength(2);
  });

  it('speaks SOAP 1.2 when asked, and a fault decodes as one', async () => {
    const r = await lab['web.compareServices']({ operation: 'get', id: 424242, soap: '1.2' });
    expect(r.rest.status).toBe(404);
    expect(r.soap.style).toBe('SOAP 1.2');
    expect(r.soap.status).toBe(400);
    const rows = (await captured(lab)).filter((m) => m.conn === r.soap.conn && m.kind === 'message');
    expect(rows[1].summary).toMatch(/^HTTP\/1\.1 400 Bad Request · application\/soap\+xml · SOAP Fault · /);
    const fault = field((await lab['capture.detail'](rows[1].id))!.fields, 'SOAP envelope')!;
    expect(fault.children).toContainEqual({ name: 'Reason', value: 'there is no order 424242' });
  });

  it('refuses a request the pane should not send, with a sentence', async () => {
    await expect(lab['web.compareServices']({ operation: 'delete' })).rejects.toThrow('delete names one order: give its id');
  });
});
