/** The Swarm tab's editor in the e2e tests: replace its text and wait for the new text's check. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** `shown` is a pattern of the new text as the editor draws it (write scenarios in flow style
 *  throughout: the editor indents after a block line). */
export async function replaceScenario(page: Page, text: string, shown: RegExp): Promise<void> {
  await page.locator('[data-testid="swarm-editor"] .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  // the editor draws on its next frame, and the line under it still reads "valid" from before
  // the edit: wait for the new text first, then for its check
  await expect.poll(() => page.locator('[data-testid="swarm-editor"] .view-lines').innerText()).toMatch(shown);
  await expect.poll(() => page.locator('[data-testid="swarm-validation"]').innerText()).toMatch(/valid/);
}
