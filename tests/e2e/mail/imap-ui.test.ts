/**
 * The Mail tab shows the folders an IMAP client made: Bob creates "Work" with imaplib and
 * appends a message to it, and his mailbox list shows Work with its count, beside INBOX's, and IMAP in the
 * rail's Mail group; the inspector shows each command paired with its tagged completion. Screenshots at 1440×900 and 1024×700 go to tests/artifacts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type LabPage } from '../../helpers/browser';
import { imaplib } from '../../helpers/imap';

let ui: LabPage;
let page: Page;

beforeAll(async () => {
  ui = await openLab();
  page = ui.page;
});
afterAll(() => ui?.close());

describe('IMAP folders in the Mail tab', () => {
  it('a folder made over IMAP is listed under its user, with its count', async () => {
    await page.goto(ui.lab.url);
    await expect.poll(() => page.locator('[data-testid="service-group-mail"]').innerText().catch(() => ''), { timeout: 10_000 }).toContain('IMAP');
    await page.locator('[data-testid="tab-mail"]').click();
    // the port the Mail tab tells a student to point a client at
    const hint = await page.locator('[data-testid="mail-view"]').innerText();
    const imap = Number(/IMAP 127\.0\.0\.1:(\d+)/.exec(hint)?.[1]);
    expect(imap).toBeGreaterThan(0);
    await imaplib(
      imap,
      `
m = imaplib.IMAP4('127.0.0.1', PORT)
m.login('bob', 'hungry')
m.create('Work')
print(m.append('Work', None, None, b'From: Alice <alice@crepes.fr>\\r\\nSubject: file me\\r\\n\\r\\nDo you like ketchup?\\r\\n'))
m.logout()
`,
    );
    const folder = page.locator('[data-testid="folder-bob@hamburger.edu-Work"]');
    await folder.waitFor({ timeout: 10_000 });
    expect(await folder.innerText()).toMatch(/Work\s*1/);
    expect(await folder.getAttribute('title')).toBe('IMAP folder Work of bob@hamburger.edu (Maildir++ .Work/): 1 messages, 1 unseen');
    expect(await page.locator('[data-testid="mail-view"]').innerText()).toContain(`IMAP 127.0.0.1:${imap}`);
    // the inspector pairs each command with its tagged completion
    const create = page.locator('[data-testid="inspector-row"]', { hasText: 'CREATE Work' });
    await create.first().waitFor({ timeout: 10_000 });
    expect(await create.first().locator('[data-testid="pair-summary"]').innerText()).toMatch(/CREATE Work[\s\S]*\w+ OK/);
    await ui.shot('imap-folders-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await folder.scrollIntoViewIfNeeded();
    await ui.shot('imap-folders-1024');
    expect(ui.errors).toEqual([]);
  }, 60_000);
});
