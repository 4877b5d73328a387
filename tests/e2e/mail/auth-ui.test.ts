/**
 * SMTP AUTH typed in the lab terminal (telnet to the submission port, as mail.crepes.fr 587),
 * and the inspector decoding the base64 of each AUTH line. Screenshot: tests/artifacts/mail-auth-inspector.png.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { echoAndRelayPorts, openLab, scenarioArgs, terminalText, typeInTerminal, type LabPage } from '../../helpers/browser';
import { freePort } from '../../helpers/serve';
let ui: LabPage;
beforeAll(async () => {
  const ids = ['smtp', 'smtp-crepes', 'smtp-hamburger', 'smtp-networkutopia', 'pop3'];
  const ports = await Promise.all(ids.map(async (id) => [id, await freePort()] as const));
  ui = await openLab({ args: await scenarioArgs('auth shot', { ...(await echoAndRelayPorts()), ...Object.fromEntries(ports) }) });
});
afterAll(() => ui?.close());
it('AUTH LOGIN refused, AUTH PLAIN accepted; the inspector shows user and password decoded', async () => {
  const { page, lab } = ui;
  await page.goto(lab.url);
  await page.locator('[data-testid="tab-terminal"]').click();
  await page.locator('[data-testid="terminal-new"]').click();
  await expect.poll(() => terminalText(page)).toContain('netlab>');
  await typeInTerminal(page, 'telnet mail.crepes.fr 587');
  await expect.poll(() => terminalText(page)).toContain('220 mail.crepes.fr');
  await typeInTerminal(page, 'EHLO alice-pc');
  await expect.poll(() => terminalText(page)).toContain('AUTH PLAIN LOGIN');
  await typeInTerminal(page, 'AUTH LOGIN');
  await typeInTerminal(page, 'YWxpY2U=');
  await typeInTerminal(page, 'd3Jvbmc=');
  // a wrong password is answered after the login delay (1 s), not at once
  await expect.poll(() => terminalText(page), { timeout: 5000 }).toContain('535 5.7.8');
  await typeInTerminal(page, `AUTH PLAIN ${Buffer.from('\0alice\0hungry').toString('base64')}`);
  await expect.poll(() => terminalText(page)).toContain('235 2.7.0');
  await page.locator('[data-testid="inspector-filter-service"]').selectOption('smtp');
  const row = page.locator('[data-testid="inspector-row"]', { hasText: 'AUTH PLAIN AGF' });
  await row.last().click();
  await page.locator('[data-testid="detail-tab-fields"]').click();
  const detail = page.locator('[data-testid="inspector-detail"]');
  await expect.poll(() => detail.innerText()).toContain('authcid (user)');
  const text = await detail.innerText();
  expect(text).toMatch(/Mechanism:?\s*PLAIN/);
  expect(text).toMatch(/password:?\s*hungry/);
  expect(await page.locator('[data-testid="inspector-row"]', { hasText: '(AUTH response: "wrong")' }).count()).toBe(1);
  await ui.shot('mail-auth-inspector');
  expect(ui.errors).toEqual([]);
});
