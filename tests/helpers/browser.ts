/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { parseDocument } from 'yaml';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { tempDir } from './lab';
import { freeTcpUdpPort, labDefaultPorts, labPorts } from './ports';
import { serve, type Served } from './serve';

export { labDefaultPorts, labPorts };

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

/**
 * Start `netlab serve` (with `args`), launch Chromium and open a page collecting errors.
 * Every service the scenario (`--scenario` in `args`, or none) gives no port gets a free one,
 * so a test never takes a default port (2525, 1053, 8080 …) from a lab someone has open or
 * from another test file running at the same time.
 */
/** `locale`: the browser's language (the UI picks its own from it: en-US, zh-CN, de-DE …) */
export async function openLab(opts: { args?: string[]; consoleErrors?: boolean; dataDir?: string; locale?: string } = {}): Promise<LabPage> {
  const { args, echoPort } = await withFreePorts(opts.args ?? []);
  const lab = await serve({ args, echoPort, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...(opts.locale ? { locale: opts.locale } : {}) });
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

/** A lab page for the tests of one file: opened before them, closed after. Read `held.ui` inside the tests. */
export function labPageForFile(opts: Parameters<typeof openLab>[0] = {}): { ui: LabPage } {
  const held = {} as { ui: LabPage };
  beforeAll(async () => {
    held.ui = await openLab(opts);
  });
  afterAll(() => held.ui?.close());
  return held;
}

/** openLab, with the page on the lab and its services rail shown. */
export async function openLabShown(opts: Parameters<typeof openLab>[0] = {}): Promise<LabPage> {
  const ui = await openLab(opts);
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('[data-testid="service-row-echo-tcp"]').waitFor();
  return ui;
}

/**
 * Write a scenario file giving services their ports (`false`: the service is off) and
 * return `--scenario` for it. Every service not named gets a free port.
 */
export async function scenarioArgs(name: string, services: Record<string, number | false>): Promise<string[]> {
  const file = path.join(await tempDir('netlab-e2e-'), 'scenario.yaml');
  const all = await labPorts(services);
  const lines = Object.entries(all).map(([id, port]) => `  ${id}: ${port === false ? '{ enabled: false }' : `{ port: ${port} }`}
`);
  await fs.writeFile(file, `name: ${name}\nservices:\n${lines.join('')}`);
  return ['--scenario', file];
}

/**
 * `args` with its `--scenario` (or a new one) copied to a file where every service without a
 * port and not turned off gets a free port; and the echo port, for `lab.echoPort`.
 */
async function withFreePorts(args: string[]): Promise<{ args: string[]; echoPort?: number }> {
  const at = args.indexOf('--scenario');
  const doc = parseDocument(at >= 0 ? await fs.readFile(args[at + 1], 'utf8') : 'name: test ports\n');
  const fixed: Record<string, number | false> = {};
  for (const id of (await labDefaultPorts()).keys()) {
    const port = doc.getIn(['services', id, 'port']);
    if (typeof port === 'number') fixed[id] = port;
    else if (doc.getIn(['services', id, 'enabled']) === false) fixed[id] = false;
  }
  const ports = await labPorts(fixed);
  for (const [id, port] of Object.entries(ports)) if (port !== false && !(id in fixed)) doc.setIn(['services', id, 'port'], port);
  const file = path.join(await tempDir('netlab-e2e-'), 'scenario.yaml');
  await fs.writeFile(file, doc.toString());
  const rest = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  const echo = ports['echo-tcp'];
  return { args: [...rest, '--scenario', file], echoPort: typeof echo === 'number' ? echo : undefined };
}

/** The echo services and the program relay, each pair on one port free for TCP and for UDP. */
export async function echoAndRelayPorts(): Promise<Record<string, number>> {
  const echo = await freeTcpUdpPort();
  let relay = await freeTcpUdpPort();
  while (relay === echo) relay = await freeTcpUdpPort();
  return { 'echo-tcp': echo, 'echo-udp': echo, 'program-tcp': relay, 'program-udp': relay };
}

/** The lab terminal's visible text, and a line typed into it (Enter sends it). */
export const terminalText = (page: Page): Promise<string> => page.locator('[data-testid="terminal-pane"] .xterm-rows').innerText();

export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="terminal-pane"]').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
