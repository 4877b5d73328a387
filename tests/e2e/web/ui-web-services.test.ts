/**
 * The Web tab's "Web services" pane in Chromium against `netlab serve`: one operation sent with
 * REST and with SOAP, the two exchanges side by side, the order book updated, and "Show in
 * inspector" selecting the SOAP call whose summary names its operation. Screenshots at 1440×900
 * and 1024×700: tests/artifacts/web-services-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabShown, type LabPage } from '../../helpers/browser';

let ui: LabPage;
beforeAll(async () => {
  ui = await openLabShown();
});
afterAll(() => ui?.close());

describe('REST and SOAP side by side', () => {
  it('creates an order both ways, then reads one in SOAP 1.2, and opens the SOAP call in the inspector', async () => {
    const { page } = ui;
    await page.locator('[data-testid="tab-web"]').click();
    await page.locator('[data-testid="web-pane-services"]').click();
    const orders = page.locator('[data-testid="ws-orders"] tbody tr');
    await expect.poll(() => orders.count()).toBe(2);

    await page.locator('[data-testid="ws-item"]').fill('Fibre patch cord');
    await page.locator('[data-testid="ws-run"]').click();
    const rest = page.locator('[data-testid="ws-rest"]');
    const soap = page.locator('[data-testid="ws-soap"]');
    await expect.poll(() => rest.innerText()).toMatch(/REST 201 Created[\s\S]*POST \/orders HTTP\/1\.1[\s\S]*"item":"Fibre patch cord"[\s\S]*Location: \/orders\/3/);
    await expect.poll(() => soap.innerText()).toMatch(/SOAP 1\.1 200 OK[\s\S]*SOAPAction: "http:\/\/www\.networkutopia\.com\/orders\/CreateOrder"[\s\S]*<o:item>Fibre patch cord<\/o:item>[\s\S]*<ord:CreateOrderResponse/);
    await expect.poll(() => orders.count()).toBe(4);
    await ui.shot('web-services-1440');

    await page.locator('[data-testid="ws-operation"]').selectOption('get');
    await page.locator('[data-testid="ws-id"]').selectOption('3');
    await page.getByLabel('1.2 (application/soap+xml)').check();
    await page.locator('[data-testid="ws-run"]').click();
    await expect.poll(() => soap.innerText()).toMatch(/SOAP 1\.2 200 OK[\s\S]*<ord:GetOrderResponse[\s\S]*<ord:item>Fibre patch cord<\/ord:item>/);
    await expect.poll(() => rest.innerText()).toMatch(/REST 200 OK[\s\S]*GET \/orders\/3 HTTP\/1\.1/);

    await soap.getByRole('button', { name: 'Show in inspector' }).click();
    const selected = page.locator('[data-testid="inspector-row"].selected, [data-testid="inspector-row"][aria-selected="true"]');
    // the pair row: the request's method stays whole, its tooltip has the whole exchange
    await expect.poll(() => selected.first().innerText()).toMatch(/POST/);
    await expect.poll(() => selected.first().evaluate((row) => [...row.querySelectorAll('[title]')].map((e) => e.getAttribute('title')).join('\n'))).toMatch(/POST \/soap\/orders HTTP\/1\.1 · Host: www\.networkutopia\.com · SOAP GetOrder/);

    await page.setViewportSize({ width: 1024, height: 700 });
    await ui.shot('web-services-1024');
    expect(ui.errors).toEqual([]);
  });
});
