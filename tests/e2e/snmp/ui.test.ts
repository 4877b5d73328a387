/**
 * SNMP in the browser: the rail lists the agents under Network management, snmpget and
 * snmpset are typed in the lab terminal, the inspector pairs each response with its request
 * (an error-status in red) and its detail shows the ASN.1 fields. Screenshots at 1440×900 and
 * 1024×700 go to tests/artifacts.
 */
import { describe, expect, it } from 'vitest';
import { labPageForFile, terminalText, typeInTerminal } from '../../helpers/browser';

const held = labPageForFile();

describe('SNMP in the browser', () => {
  it('the rail shows the agents; the terminal gets and sets; the inspector pairs and shows the ASN.1 fields', async () => {
    const { ui } = held;
    const { page } = ui;
    await page.goto(ui.lab.url);
    await expect.poll(() => page.locator('body').innerText()).toContain('Network management');
    await typeInTerminal(page, 'snmpget -v2c -c public gaia.cs.umass.edu sysName.0 sysUpTime.0');
    await expect.poll(() => terminalText(page)).toContain('SNMPv2-MIB::sysName.0 = STRING: gaia.cs.umass.edu');
    await typeInTerminal(page, 'snmpset -v2c -c private gaia.cs.umass.edu sysName.0 s other');
    await expect.poll(() => terminalText(page)).toContain('Reason: notWritable');
    const inspector = page.locator('[data-testid="inspector"]');
    await expect.poll(() => inspector.innerText()).toContain('notWritable');
    await ui.shot('snmp-pairs-1440');
    // the pair row: the request, the response's value after it
    await expect.poll(() => inspector.innerText()).toMatch(/get-request\s+sysName\.0[\s\S]*get-response[\s\S]*sysName\.0 = STRING: gaia\.cs\.umass\.edu/);
    await page.locator('[data-testid="inspector-filter-service"]').selectOption('snmp');
    await page.locator('[data-testid="inspector-row"]', { hasText: 'STRING: gaia.cs.umass.edu' }).first().click();
    await page.locator('[data-testid="detail-tab-fields"]').click();
    const detail = page.locator('[data-testid="inspector-detail"]');
    await expect.poll(() => detail.innerText()).toContain('variable-bindings');
    const text = await detail.innerText();
    expect(text).toMatch(/community:?\s*public/);
    expect(text).toMatch(/request-id/);
    await ui.shot('snmp-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await ui.shot('snmp-1024');
  });

  it('logged no errors in the page', () => {
    expect(held.ui.errors).toEqual([]);
  });
});
