/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { tempDir } from './lab';
import { freePort, serve, type Served } from './serve';

export const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
export const CHROMIUM = CHROMIUM_PATH;

export async function launch(): Promise<Browser> {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}

export interface LabPage {
  lab: Served;
  browser: Browser;
  /** A 1440×900 page, not yet navigated (lab.url opens the lab). */
  page: Page;
  /** The page's uncaught errors, and with consoleErrors its console.error lines. */
  errors: string[];
  /** A screenshot of the page to tests/artifacts/NAME.png. */
  shot: (name: string) => Promise<Buffer>;
  /** Close the browser and stop the lab. */
  close: () => Promise<void>;
}

/** Start `netlab serve` (with `args`), launch Chromium and open a page collecting errors. */
export async function openLab(opts: { args?: string[]; consoleErrors?: boolean } = {}): Promise<LabPage> {
  const lab = await serve({ args: opts.args });
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (opts.consoleErrors ?? true) {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  }
  return {
    lab,
    browser,
    page,
    errors,
    shot: (name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) }),
    close: async () => {
      await browser.close();
      await lab.stop();
    },
  };
}

/**
 * Write a scenario file giving services their ports (`false`: the service is off) and
 * return `--scenario` for it.
 */
export async function scenarioArgs(name: string, services: Record<string, number | false>): Promise<string[]> {
  const file = path.join(await tempDir('netlab-e2e-'), 'scenario.yaml');
  const lines = Object.entries(services).map(([id, port]) => `  ${id}: ${port === false ? '{ enabled: false }' : `{ port: ${port} }`}
`);
  await fs.writeFile(file, `name: ${name}\nservices:\n${lines.join('')}`);
  return ['--scenario', file];
}

/** The echo services and the program relay, each pair on one free port. */
export async function echoAndRelayPorts(): Promise<Record<string, number>> {
  const echo = await freePort();
  const relay = await freePort();
  return { 'echo-tcp': echo, 'echo-udp': echo, 'program-tcp': relay, 'program-udp': relay };
}

/** The lab terminal's visible text, and a line typed into it (Enter sends it). */
export const terminalText = (page: Page): Promise<string> => page.locator('[data-testid="terminal-pane"] .xterm-rows').innerText();

export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="terminal-pane"]').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
