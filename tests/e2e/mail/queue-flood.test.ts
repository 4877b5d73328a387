/**
 * A flood into the queue, as an instructor shows it: the next hop (hamburger.edu's MX) is
 * stopped in the rail, postfix's smtp-source sends 260 messages to alice's submission server,
 * and the Mail tab's Queue pane lists the first 200 with a line for the rest (a table of
 * thousands, drawn again each second, would take the machine from the lab draining them).
 * Started again, the queue drains, and Bob's mailbox, not shown meanwhile, lists every message
 * once its pane is opened.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoAndRelayPorts, openLab, scenarioArgs, type LabPage } from '../../helpers/browser';
import { freePort } from '../../helpers/serve';

const ids = ['smtp', 'smtp-crepes', 'smtp-hamburger', 'smtp-networkutopia', 'pop3'];
const SENT = 260;
let ui: LabPage;
let submission: number;

beforeAll(async () => {
  const ports = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await freePort()] as const)));
  submission = ports.smtp;
  ui = await openLab({ args: await scenarioArgs('mail queue flood', { ...(await echoAndRelayPorts()), ...ports }) });
});
afterAll(() => ui?.close());

describe('the Mail tab under a flood of queued messages', () => {
  it('lists the first 200 of 260 queued, says how many more wait, and shows every one delivered after the next hop is back', async () => {
    const { page, lab } = ui;
    await page.goto(lab.url);
    await page.locator('[data-testid="service-stop-smtp-hamburger"]').click();
    await expect.poll(() => page.locator('[data-testid="service-row-smtp-hamburger"]').getAttribute('data-state')).toBe('stopped');
    await page.locator('[data-testid="tab-mail"]').click();
    await page.locator('[data-testid="mail-pane-queue"]').click();

    const sent = spawnSync('/usr/sbin/smtp-source', ['-s', '10', '-l', '512', '-m', String(SENT), '-f', 'alice@crepes.fr', '-t', 'bob@hamburger.edu', `127.0.0.1:${submission}`], { encoding: 'utf8', timeout: 60_000 });
    expect(sent.status, sent.stderr).toBe(0);

    const more = page.locator('[data-testid="mail-queue-more"]');
    await expect.poll(() => more.innerText(), { timeout: 15_000 }).toBe(`… and ${SENT - 200} more waiting: the first 200 are listed, in the order they were queued`);
    expect(await page.locator('[data-testid="mail-queue-row"]').count()).toBe(200);
    expect(await page.locator('[data-testid="mail-pane-queue"]').innerText()).toContain(String(SENT));
    await more.scrollIntoViewIfNeeded();
    await ui.shot('mail-queue-flood');

    await page.locator('[data-testid="service-start-smtp-hamburger"]').click();
    await page.locator('[data-testid="mail-retry"]').click();
    await expect.poll(() => page.locator('[data-testid="mail-queue"]').innerText(), { timeout: 30_000 }).toContain('The queue is empty');
    expect(await more.count()).toBe(0);
    // Bob's mailbox was not listed while the queue was shown: it is when its pane opens, all of it
    await page.locator('[data-testid="mail-pane-mailbox"]').click();
    await expect.poll(() => page.locator('[data-testid="mail-row"]').count(), { timeout: 10_000 }).toBe(SENT);
    expect(ui.errors).toEqual([]);
  });
});
