/**
 * The Labs tab in headless Chromium against `netlab serve`, done as a student would: the
 * sockets lab opened, a sentence typed in the lab terminal and its ✓ seen, a real `nc` from
 * outside, datagrams counted and the count answered (a wrong answer stays open, the right one
 * passes), the report exported and opened in Chromium, the progress kept across a restart of
 * the serve process on the same data directory, "Restart lab", and the lab editor marking a
 * mistake at its line and trying a saved copy at once.
 * Screenshots: tests/artifacts/labs-*.png (1440×900 and 1024×700).
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch, terminalText, typeInTerminal } from '../../helpers/browser';
import { tempDir } from '../../helpers/lab';
import { serve, type Served } from '../../helpers/serve';

let dataDir: string;
let lab: Served;
let browser: Browser;
let page: Page;
const errors: string[] = [];
/** the API's frames both ways, to see a ✓ arrive as an event and never asked for */
const sent: string[] = [];
const received: string[] = [];

async function start(): Promise<void> {
  lab = await serve({ dataDir });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => sent.push(String(f.payload)));
    ws.on('framereceived', (f) => received.push(String(f.payload)));
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(lab.url);
  await page.locator('[data-testid="tab-labs"]').click();
  await page.locator('[data-testid="lab-list"]').waitFor();
}
async function stop(): Promise<void> {
  await page?.close();
  await lab?.stop();
}

beforeAll(async () => {
  dataDir = await tempDir('netlab-labs-ui-');
  browser = await launch();
  await start();
});
afterAll(async () => {
  await stop();
  await browser?.close();
});

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
const check = (task: string, id: string) => page.locator(`[data-testid="lab-check-${task}-${id}"]`);
const passed = (task: string, id: string) => () => check(task, id).getAttribute('data-passed');
const row = () => page.locator('[data-testid="lab-row-shipped-sockets.yaml"]');
const echoPort = (id: string) => async () => Number(/(?:TCP|UDP) (\d+)/.exec(await page.locator(`[data-testid="service-row-${id}"]`).innerText())?.[1]);

/** a real nc from outside NetLab: one line sent, what came back */
function ncTcp(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const nc = spawn('nc', ['-q', '2', '127.0.0.1', String(port)]);
    let out = '';
    nc.stdout.on('data', (d) => (out += d));
    nc.on('error', reject);
    nc.on('close', () => resolve(out));
    nc.stdin.end(`${line}\n`);
  });
}

describe('the Labs tab, as a student does a lab', () => {
  it('lists the shipped labs with their progress and opens the sockets lab', async () => {
    await expect.poll(() => row().innerText()).toMatch(/Socket programming[\s\S]*K&R §2\.7[\s\S]*0\/7/);
    await row().click();
    await expect.poll(() => page.locator('[data-testid="lab-title"]').innerText()).toBe('Socket programming with UDP and TCP');
    expect(await page.locator('[data-testid="lab-progress"]').innerText()).toContain('0/7');
    // the intro's Markdown is rendered: bold text, not asterisks
    expect(await page.locator('[data-testid="lab-session"] .intro strong').first().innerText()).toBe('socket');
    expect(await check('tcp-terminal', 'echoed').getAttribute('data-passed')).toBe('false');
    await shot('labs-open-1440');
  });

  it('reveals hints one at a time', async () => {
    const more = page.locator('[data-testid="lab-hint-tcp-terminal"]');
    expect(await more.innerText()).toBe('Show a hint (2 left)');
    await more.click();
    await expect.poll(() => page.locator('[data-testid="lab-hint-tcp-terminal-0"]').innerText()).toContain('telnet localhost 12000');
    expect(await page.locator('[data-testid="lab-hint-tcp-terminal-1"]').count()).toBe(0);
    expect(await more.innerText()).toBe('Another hint (1 left)');
  });

  it('a sentence typed in the lab terminal turns its check ✓, pushed while the Labs tab is hidden', async () => {
    const port = await echoPort('echo-tcp')();
    await page.locator('[data-testid="tab-terminal"]').click();
    const [sentBefore, receivedBefore] = [sent.length, received.length];
    await page.locator('[data-testid="terminal-new"]').click();
    await expect.poll(() => terminalText(page)).toContain('netlab>');
    await typeInTerminal(page, `nc localhost ${port}`);
    await typeInTerminal(page, 'sockets are doors');
    await expect.poll(() => terminalText(page)).toContain('SOCKETS ARE DOORS');
    // the tab's own count moves without the Labs tab being shown
    await expect.poll(() => page.locator('[data-testid="tab-labs-progress"]').innerText(), { timeout: 10_000 }).toBe('1/7');
    // pushed by the lab: the event came, and the page never asked for the status
    expect(received.slice(receivedBefore).some((f) => f.includes('"event":"labs.passed"') && f.includes('"check":"echoed"'))).toBe(true);
    expect(sent.slice(sentBefore).filter((f) => /"method":"labs\./.test(f))).toEqual([]);
    await page.locator('[data-testid="tab-labs"]').click();
    expect(await passed('tcp-terminal', 'echoed')()).toBe('true');
    expect(await page.locator('[data-testid="lab-check-tcp-terminal-echoed-mark"]').getAttribute('aria-label')).toBe('passed');
    expect(await row().innerText()).toContain('1/7');
    // an outside client does not pass the terminal's check and the terminal's did not pass the outside one
    expect(await passed('tcp-outside', 'echoed-outside')()).toBe('false');
  });

  it('links a passed check to the messages that satisfied it in the inspector', async () => {
    const link = check('tcp-terminal', 'echoed').locator('[data-testid^="lab-check-tcp-terminal-echoed-evidence-"]').first();
    const id = (await link.getAttribute('data-testid'))!.replace(/.*-/, '');
    await link.click();
    await expect.poll(() => page.locator('[data-testid="inspector-row"].selected').getAttribute('data-id')).toBe(id);
    expect(await page.locator('[data-testid="inspector-row"].selected').innerText()).toContain('sockets are doors');
    // the inspector's Export downloads that connection's messages (the same download path as the report)
    const download = collectDownloads(1);
    await page.locator('[data-testid="capture-export"]').click();
    await page.locator('[data-testid="capture-export-jsonl"]').click();
    const [jsonl] = await download;
    expect(jsonl.suggestedFilename()).toBe('netlab-capture.jsonl');
    const file = path.join(ARTIFACTS, 'labs-capture.jsonl');
    await jsonl.saveAs(file);
    expect(await fs.readFile(file, 'utf8')).toContain('sockets are doors');
  });

  it('a real nc from outside NetLab passes the outside task', async () => {
    const reply = await ncTcp(await echoPort('echo-tcp')(), 'from my own shell');
    expect(reply).toContain('FROM MY OWN SHELL');
    await expect.poll(passed('tcp-outside', 'echoed-outside'), { timeout: 10_000 }).toBe('true');
    // said to a screen reader as well as drawn
    expect(await page.locator('[data-testid="lab-announce"]').innerText()).toBe('Passed: a sentence from an outside client came back in capitals (The same with a client outside NetLab)');
  });

  it('datagrams from a real UDP client; a wrong count stays open without the value, the right one passes', async () => {
    const port = await echoPort('echo-udp')();
    const sock = dgram.createSocket('udp4');
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString()));
    for (const s of ['one datagram', 'two datagrams', 'three datagrams']) {
      sock.send(s, port, '127.0.0.1');
      await expect.poll(() => replies.length).toBeGreaterThan(replies.length);
    }
    sock.close();
    await expect.poll(passed('udp', 'three-datagrams'), { timeout: 10_000 }).toBe('true');
    await expect.poll(passed('udp', 'udp-echoed')).toBe('true');

    const input = page.locator('[data-testid="lab-check-udp-udp-count-input"]');
    await input.fill('7');
    await page.locator('[data-testid="lab-check-udp-udp-count-submit"]').click();
    const verdict = page.locator('[data-testid="lab-check-udp-udp-count-verdict"]');
    await expect.poll(() => verdict.innerText()).not.toBe('');
    expect(await verdict.getAttribute('class')).toContain('wrong');
    expect(await verdict.innerText()).not.toContain('3');
    expect(await passed('udp', 'udp-count')()).toBe('false');
    await verdict.scrollIntoViewIfNeeded();
    await shot('labs-wrong-answer-1440');

    await input.fill('3');
    await page.locator('[data-testid="lab-check-udp-udp-count-submit"]').click();
    await expect.poll(passed('udp', 'udp-count')).toBe('true');
    await expect.poll(() => page.locator('[data-testid="lab-progress"]').innerText()).toContain('5/7');
    // the two program tasks (a TCP server, a web server of one's own) are still to do
    expect(await row().innerText()).toContain('5/7');
    expect(await row().innerText()).not.toContain('✓');
  });

  it('exports the report, HTML and JSON, and the HTML opens in Chromium without a network', async () => {
    await page.locator('[data-testid="lab-student-name"]').fill('Ada <Lovelace>');
    const downloads = collectDownloads(2);
    await page.locator('[data-testid="lab-export"]').click();
    const got = await downloads;
    const names = got.map((d) => d.suggestedFilename()).sort();
    expect(names[0]).toMatch(/^sockets-.*\.html$/);
    expect(names[1]).toMatch(/^sockets-.*\.json$/);
    const htmlPath = path.join(ARTIFACTS, 'labs-report.html');
    const jsonPath = path.join(ARTIFACTS, 'labs-report.json');
    await got.find((d) => d.suggestedFilename().endsWith('.html'))!.saveAs(htmlPath);
    await got.find((d) => d.suggestedFilename().endsWith('.json'))!.saveAs(jsonPath);
    await expect.poll(() => page.locator('[data-testid="lab-export-done"]').innerText()).toMatch(/^Downloaded sockets-.*\.html and sockets-.*\.json\.$/);

    const data = JSON.parse(await fs.readFile(jsonPath, 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(data)).toContain('Ada <Lovelace>');

    // a page that may load nothing from a network: the report stands on its own
    const reader = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    const fetched: string[] = [];
    await reader.route(/^(https?|wss?):/, (r) => {
      fetched.push(r.request().url());
      void r.abort();
    });
    await reader.goto(`file://${htmlPath}`);
    const text = await reader.locator('body').innerText();
    expect(text).toContain('Socket programming with UDP and TCP');
    expect(text).toContain('Ada <Lovelace>');
    expect(text).toContain('a sentence sent from the lab terminal came back in capitals');
    expect(text).toMatch(/tamper/i);
    // the student's name is text in the report, never markup
    expect(await reader.locator('lovelace').count()).toBe(0);
    expect(fetched).toEqual([]);
    await reader.screenshot({ path: path.join(ARTIFACTS, 'labs-report-1024.png'), fullPage: false });
    await reader.close();
  });
});

describe('the progress kept, the lab restarted, the editor', () => {
  it('keeps the progress across a restart of the serve process on the same data directory', async () => {
    await stop();
    await start();
    await expect.poll(() => row().innerText()).toContain('5/7');
    await row().click();
    await expect.poll(() => page.locator('[data-testid="lab-progress"]').innerText()).toContain('5/7');
    expect(await passed('tcp-terminal', 'echoed')()).toBe('true');
    expect(await check('udp', 'udp-count').locator('input').inputValue()).toBe('3');
  });

  it('"Restart lab" asks first, then every check is open again', async () => {
    page.once('dialog', (d) => void d.dismiss());
    await page.locator('[data-testid="lab-restart"]').click();
    expect(await passed('tcp-terminal', 'echoed')()).toBe('true');
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid="lab-restart"]').click();
    await expect.poll(passed('tcp-terminal', 'echoed')).toBe('false');
    await expect.poll(() => page.locator('[data-testid="lab-progress"]').innerText()).toContain('0/7');
    expect(await row().innerText()).toContain('0/7');
  });

  it('fits a 1024×700 window: the open lab takes the width, the list comes over it on request', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect.poll(() => row().isVisible()).toBe(false);
    await shot('labs-open-1024');
    await page.locator('[data-testid="lab-all"]').click();
    await expect.poll(() => row().isVisible()).toBe(true);
    await shot('labs-list-1024');
    await page.locator('[data-testid="lab-list-backdrop"]').click({ position: { x: 600, y: 200 } });
    await expect.poll(() => row().isVisible()).toBe(false);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('the editor marks a mistake at its line, a copy saved as a new lab opens at once', async () => {
    await page.locator('[data-testid="labs-pane-editor"]').click();
    const lines = page.locator('[data-testid="lab-editor-monaco"] .view-lines');
    await lines.waitFor();
    // monaco draws spaces as no-break spaces
    const editorText = async () => (await lines.innerText()).replace(/\u00a0/g, ' ');
    await page.locator('[data-testid="lab-editor-select"]').selectOption('shipped/sockets.yaml');
    await expect.poll(editorText).toContain('title: Socket programming');
    const validation = page.locator('[data-testid="lab-editor-validation"]');
    await expect.poll(() => validation.innerText()).toMatch(/^Valid: “Socket programming with UDP and TCP”, 5 tasks/);
    // a second title on line 4: YAML refuses the duplicate key there
    await lines.click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Home');
    const typo = 'title: again\n';
    await page.keyboard.type(typo);
    await expect.poll(() => validation.innerText()).toMatch(/^Line 4: /);
    expect(await page.locator('[data-testid="lab-editor-try"]').isDisabled()).toBe(true);
    // monaco marks the mistake at its line too (the squiggle, and the ruler's mark)
    await expect.poll(() => page.locator('[data-testid="lab-editor-monaco"] .squiggly-error').count()).toBeGreaterThan(0);
    await shot('labs-editor-mistake-1440');
    for (let i = 0; i < typo.length; i++) await page.keyboard.press('Backspace');
    await expect.poll(() => validation.innerText()).toMatch(/^Valid/);
    // a new title, saved as a lab of one's own, and tried
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await expect.poll(editorText).toContain('title: Socket programming with UDP and TCP');
    await page.keyboard.type(' (class 1)');
    await expect.poll(() => validation.innerText()).toContain('(class 1)');
    await page.locator('[data-testid="lab-editor-save-as"]').click();
    await page.locator('[data-testid="lab-editor-new-name"]').fill('Class 1');
    expect(await page.locator('[data-testid="lab-editor-save-as-ok"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="lab-editor-new-name"]').fill('class-1');
    await page.locator('[data-testid="lab-editor-new-name"]').press('Enter');
    await expect.poll(() => page.locator('[data-testid="lab-editor-notice"]').innerText()).toContain('Saved class-1.yaml in your labs.');
    expect(await fs.readFile(path.join(dataDir, 'labs', 'class-1.yaml'), 'utf8')).toContain('(class 1)');
    await page.locator('[data-testid="lab-editor-try"]').click();
    await expect.poll(() => page.locator('[data-testid="lab-title"]').innerText()).toBe('Socket programming with UDP and TCP (class 1)');
    expect(await page.locator('[data-testid="lab-row-user-class-1.yaml"]').getAttribute('aria-current')).toBe('true');
  });

  it('lists a broken lab file of the user with its line; a click opens it in the editor at its mistake', async () => {
    await fs.mkdir(path.join(dataDir, 'labs'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'labs', 'broken.yaml'), 'title: Broken\nsection: x\ntasks: 3\n');
    await page.locator('[data-testid="labs-pane-session"]').click();
    // the list is read again when a lab is saved or closed: close, and it is there
    await page.locator('[data-testid="lab-close"]').click();
    const broken = page.locator('[data-testid="lab-row-user-broken.yaml"]');
    await expect.poll(() => broken.innerText()).toMatch(/line 3/);
    expect(await page.locator('[data-testid="lab-none"]').isVisible()).toBe(true);
    await shot('labs-list-1440');
    await broken.click();
    await expect.poll(() => page.locator('[data-testid="lab-editor-validation"]').innerText()).toMatch(/^Line 3: /);
    expect(await page.locator('[data-testid="lab-editor-select"] option:checked').innerText()).toContain('broken.yaml');
    // nothing was opened: the lab stays closed
    await page.locator('[data-testid="labs-pane-session"]').click();
    expect(await page.locator('[data-testid="lab-none"]').isVisible()).toBe(true);
  });
});

describe("the HTTP lab: a question answered from one's own capture", () => {
  /** curl from a shell of the student's, to the lab's gaia.cs.umass.edu */
  function curl(url: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const port = lab.ports.http as number;
      const c = spawn('curl', ['-s', '-i', '--connect-to', `gaia.cs.umass.edu:80:127.0.0.1:${port}`, url]);
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.on('error', reject);
      c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`curl exited ${code}: ${out}`))));
    });
  }

  it('a GET of file1 with curl turns ✓; a wrong Last-Modified stays open, the one in the response passes', async () => {
    await page.locator('[data-testid="lab-row-shipped-http.yaml"]').click();
    await expect.poll(() => page.locator('[data-testid="lab-title"]').innerText()).toBe('HTTP: requests and responses you captured');
    const response = await curl('http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html');
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    const lastModified = /^Last-Modified: (.+?)\r?$/im.exec(response)![1];
    await expect.poll(passed('basic', 'get-file1'), { timeout: 10_000 }).toBe('true');

    const input = page.locator('[data-testid="lab-check-basic-last-modified-input"]');
    await input.fill('Mon, 01 Jan 1990 00:00:00 GMT');
    await input.press('Enter');
    const verdict = page.locator('[data-testid="lab-check-basic-last-modified-verdict"]');
    await expect.poll(() => verdict.getAttribute('class')).toContain('wrong');
    expect(await verdict.innerText()).not.toContain(lastModified);
    expect(await passed('basic', 'last-modified')()).toBe('false');

    await input.fill(lastModified);
    await input.press('Enter');
    await expect.poll(passed('basic', 'last-modified')).toBe('true');
    expect(await page.locator('[data-testid="lab-check-basic-last-modified-mark"]').getAttribute('aria-label')).toBe('passed');
    await check('basic', 'last-modified').scrollIntoViewIfNeeded();
    await shot('labs-http-answered-1440');
    // the Web tab's HAR export holds the same exchange
    await page.locator('[data-testid="tab-web"]').click();
    const download = collectDownloads(1);
    await page.locator('[data-testid="web-har"]').click();
    const [har] = await download;
    expect(har.suggestedFilename()).toMatch(/^netlab-.*\.har$/);
    const file = path.join(ARTIFACTS, 'labs-http.har');
    await har.saveAs(file);
    expect(await fs.readFile(file, 'utf8')).toContain('HTTP-wireshark-file1.html');
    expect(errors).toEqual([]);
  });
});

/** the next `n` downloads of the page */
function collectDownloads(n: number): Promise<Download[]> {
  return new Promise((resolve) => {
    const got: Download[] = [];
    const on = (d: Download) => {
      got.push(d);
      if (got.length === n) {
        page.off('download', on);
        resolve(got);
      }
    };
    page.on('download', on);
  });
}
