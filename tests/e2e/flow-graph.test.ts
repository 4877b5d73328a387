/**
 * The inspector's Flow graph (issue 14): after real traffic — dig's walk of the DNS
 * hierarchy, curl fetching gaia's page through the proxy cache, Alice's mail submitted with
 * python's smtplib, relayed to hamburger.edu's MX and read by Bob over POP3 — the Flow view
 * draws one column per lab host and one arrow per message in capture order; a click opens
 * the message in the detail, the keyboard steps through it, a filter narrows it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabShown, type LabPage } from '../helpers/browser';
import { maildirSubjects } from '../helpers/maildir';
import { PYTHON, run } from '../helpers/proc';

let ui: LabPage;
let page: Page;
beforeAll(async () => {
  ui = await openLabShown();
  page = ui.page;
}, 60_000);
afterAll(() => ui?.close());

/** A service's port as the rail shows it. */
const ports = new Map<string, string>();
async function port(id: string): Promise<string> {
  if (!ports.has(id)) ports.set(id, /\b(\d{4,5})\b/.exec(await page.locator(`[data-testid="service-row-${id}"]`).innerText())?.[1] ?? '');
  return ports.get(id)!;
}
const bar = () => page.locator('[data-testid="inspector-filter-text"]');

/** The columns' names and addresses, left to right. */
const hosts = (): Promise<string[]> =>
  page.locator('[data-testid="flow-host"]').evaluateAll((els) => els.map((e) => `${e.querySelector('.name')?.textContent} ${e.querySelector('.addr')?.textContent}`));

const TWO_FRAMES = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';

/**
 * The arrows drawn, top to bottom (the first `upTo` or so), as a screen reader says them:
 * "sender → receiver: label".
 * The label drawn over each arrow is the start of that label (shortened to fit its lanes).
 */
async function arrows(upTo = Infinity): Promise<string[]> {
  const seen = new Map<number, { said: string; drawn: string }>();
  const flow = page.locator('[data-testid="flow-graph"]');
  // only the rows in view are drawn: scroll through the graph, a screenful at a time
  await flow.evaluate((el) => (el.scrollTop = 0));
  for (;;) {
    const rows = await page.locator('[data-testid="flow-row"]').evaluateAll((els) =>
      els.map((e) => ({ row: Number(e.getAttribute('data-row')), said: e.getAttribute('aria-label') ?? '', drawn: e.querySelector('[data-testid="flow-label"]')?.textContent ?? '' })),
    );
    for (const r of rows) seen.set(r.row, r);
    if (seen.size >= upTo) break;
    const more = await flow.evaluate((el) => {
      const before = el.scrollTop;
      el.scrollTop += el.clientHeight - 60;
      return el.scrollTop > before;
    });
    if (!more) break;
    await page.evaluate(TWO_FRAMES);
  }
  return [...seen]
    .sort((a, b) => a[0] - b[0])
    .map(([, r]) => {
      const said = r.said.replace(/ \([\w-]+, [\d.]+ m?s\)$/, '');
      expect(said.slice(said.indexOf(': ') + 2).startsWith(r.drawn.replace(/…$/, ''))).toBe(true);
      return said;
    });
}

/** Scroll the graph from the top until `row` is drawn. */
async function scrollUntil(row: ReturnType<Page['locator']>): Promise<void> {
  const flow = page.locator('[data-testid="flow-graph"]');
  await flow.evaluate((el) => (el.scrollTop = 0));
  for (let i = 0; i < 50 && (await row.count()) === 0; i++) {
    await flow.evaluate((el) => (el.scrollTop += el.clientHeight / 2));
    await page.evaluate(TWO_FRAMES);
  }
  await row.scrollIntoViewIfNeeded();
}

describe('Flow graph', () => {
  it('draws a page load through the proxy with its DNS walk, and Alice’s mail to Bob', async () => {
    // open before the traffic: the graph grows as the messages arrive
    await page.locator('[data-testid="inspector-view-flow"]').click();
    await expect.poll(() => page.locator('[data-testid="flow-graph"]').innerText()).toContain('No messages between hosts');
    expect(await page.locator('[data-testid="inspector-view-flow"]').getAttribute('aria-pressed')).toBe('true');
    const dig = await run('dig', ['@127.0.0.1', '-p', await port('dns-local'), '+tries=1', '+time=5', 'gaia.cs.umass.edu', 'A']);
    expect(dig.stdout).toContain('128.119.40.205');
    const curl = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', '-x', `http://127.0.0.1:${await port('proxy')}`, 'http://gaia.cs.umass.edu/']);
    expect(curl.stdout, curl.stderr).toBe('200');
    const send = await run(PYTHON, ['-c', `import smtplib
s = smtplib.SMTP('127.0.0.1', ${await port('smtp')}, timeout=10)
s.sendmail('alice@crepes.fr', ['bob@hamburger.edu'], 'Subject: Flow graph\\r\\n\\r\\nHello Bob\\r\\n')
s.quit()`]);
    expect(send.code, send.stderr).toBe(0);
    await expect.poll(() => maildirSubjects(ui.lab.dataDir, 'hamburger.edu', 'bob'), { timeout: 15_000 }).toContain('Flow graph');
    const pop = await run(PYTHON, ['-c', `import poplib
m = poplib.POP3('127.0.0.1', ${await port('pop3')}, timeout=10)
m.user('bob'); m.pass_('hungry')
print(b'\\n'.join(m.retr(len(m.list()[1]))[1]).decode())
m.quit()`]);
    expect(pop.stdout, pop.stderr).toContain('Hello Bob');

    await expect.poll(hosts, { timeout: 10_000 }).toContain('POP3 127.0.0.1');
    // one column per host, in the order each first spoke or was spoken to
    expect(await hosts()).toEqual([
      'client 127.0.0.1',
      'local DNS server 127.0.0.1',
      'a.root-servers.net 198.41.0.4',
      'a.edu-servers.net 192.12.94.30',
      'dns.umass.edu 128.119.40.111',
      'proxy cache 127.0.0.1',
      'resolver (stub) 127.0.0.1',
      'gaia.cs.umass.edu 128.119.40.205',
      'mail.crepes.fr 192.0.2.21',
      'dns.hamburger.edu 192.0.2.34',
      'mail.hamburger.edu 192.0.2.31',
      'POP3 127.0.0.1',
    ]);
    const top = await arrows();
    expect(top.slice(0, 8)).toEqual([
      'client → local DNS server: query A gaia.cs.umass.edu',
      'local DNS server → a.root-servers.net: query A gaia.cs.umass.edu',
      expect.stringMatching(/^a\.root-servers\.net → local DNS server: response A gaia\.cs\.umass\.edu referral: edu/),
      'local DNS server → a.edu-servers.net: query A gaia.cs.umass.edu',
      expect.stringMatching(/^a\.edu-servers\.net → local DNS server: response A gaia\.cs\.umass\.edu referral: umass\.edu/),
      'local DNS server → dns.umass.edu: query A gaia.cs.umass.edu',
      expect.stringMatching(/^dns\.umass\.edu → local DNS server: response A gaia\.cs\.umass\.edu A 128\.119\.40\.205/),
      expect.stringMatching(/^local DNS server → client: response A gaia\.cs\.umass\.edu A 128\.119\.40\.205/),
    ]);
    await ui.shot('flow-graph');

    // a display filter narrows it to the page load: the walk, the proxy's lookups, the two GETs
    await bar().fill('dns.qname contains "gaia" || http');
    await expect.poll(hosts, { timeout: 10_000 }).not.toContain('mail.crepes.fr 192.0.2.21');
    const http = (await arrows()).filter((a) => !a.includes('query') && !a.includes('response A'));
    expect(http).toEqual([
      'client → proxy cache: GET http://gaia.cs.umass.edu/ HTTP/1.1 · Host: gaia.cs.umass.edu',
      'proxy cache → gaia.cs.umass.edu: GET / HTTP/1.1 · Host: gaia.cs.umass.edu',
      expect.stringMatching(/^gaia\.cs\.umass\.edu → proxy cache: HTTP\/1\.1 200 OK/),
      expect.stringMatching(/^proxy cache → client: HTTP\/1\.1 200 OK .*X-Cache: MISS/),
    ]);

    // a display filter: Alice's mail from submission to relay to MX, and Bob's POP3
    await bar().fill('smtp || pop3');
    await expect.poll(hosts, { timeout: 10_000 }).toEqual(['client 127.0.0.1', 'mail.crepes.fr 192.0.2.21', 'mail.hamburger.edu 192.0.2.31', 'POP3 127.0.0.1']);
    const mail = await arrows();
    expect(mail[0]).toBe('mail.crepes.fr → client: 220 mail.crepes.fr');
    expect(mail).toContain('client → mail.crepes.fr: rcpt TO:<bob@hamburger.edu>');
    const relayed = mail.indexOf('mail.crepes.fr → mail.hamburger.edu: RCPT TO:<bob@hamburger.edu>');
    const retr = mail.findIndex((a) => a.startsWith('client → POP3: RETR'));
    expect(mail.indexOf('client → mail.crepes.fr: quit')).toBeGreaterThan(0);
    expect(relayed).toBeGreaterThan(mail.indexOf('client → mail.crepes.fr: data'));
    expect(retr).toBeGreaterThan(relayed);
    expect(mail[retr + 1]).toMatch(/^POP3 → client: \+OK \d+ octets/);
    await ui.shot('flow-graph-mail');

    // SYN/FIN: the submission connection's open and close drawn as its segments (Wireshark's
    // TCP flows), from the capture's notes of them (which a filter on protocol fields leaves out)
    const service = page.locator('[data-testid="inspector-filter-service"]');
    await bar().fill('');
    await service.selectOption('smtp');
    await page.locator('[data-testid="flow-tcp"]').check();
    await expect.poll(() => arrows().then((a) => a.slice(0, 4)), { timeout: 10_000 }).toEqual([
      'client → mail.crepes.fr: SYN',
      'mail.crepes.fr → client: SYN, ACK',
      'client → mail.crepes.fr: ACK',
      'mail.crepes.fr → client: 220 mail.crepes.fr',
    ]);
    const withTcp = await arrows();
    const close = withTcp.slice(-3);
    expect(close.map((a) => a.slice(a.indexOf(': ') + 2))).toEqual(['FIN, ACK', 'FIN, ACK', 'ACK']);
    expect(close[0].split(':')[0]).not.toBe(close[1].split(':')[0]);
    expect(withTcp.slice(3, -3)).toEqual(mail.filter((a) => a.includes('client')).filter((a) => !a.includes('POP3')));
    await ui.shot('flow-graph-tcp');
    // under a filter on protocol fields, the connections whose messages it shows open and close too
    await service.selectOption('');
    await bar().fill('smtp || pop3');
    await expect.poll(() => arrows().then((a) => a.filter((x) => x.endsWith(': SYN')).length), { timeout: 10_000 }).toBe(3);
    const mailTcp = await arrows();
    expect(mailTcp.filter((a) => a.endsWith(': FIN, ACK'))).toHaveLength(6);
    expect(mailTcp).toContain('mail.crepes.fr → mail.hamburger.edu: SYN');
    expect(mailTcp.filter((a) => !/: (SYN|SYN, ACK|ACK|FIN, ACK)$/.test(a))).toEqual(mail);
    await page.locator('[data-testid="flow-tcp"]').uncheck();
    await expect.poll(arrows, { timeout: 10_000 }).toEqual(mail);

    // a click on an arrow opens that message in the detail; ↓ steps to the next one
    const rcpt = page.locator('[data-testid="flow-row"][aria-label^="mail.crepes.fr → mail.hamburger.edu: RCPT TO:<bob@hamburger.edu>"]');
    await scrollUntil(rcpt);
    const id = await rcpt.getAttribute('data-id');
    await rcpt.locator('[data-testid="flow-label"]').click();
    await expect.poll(() => page.locator('[data-testid="inspector-detail"]').getAttribute('data-id')).toBe(id);
    await expect.poll(() => page.locator('[data-testid="inspector-detail"]').innerText()).toContain('RCPT TO:<bob@hamburger.edu>');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-testid="inspector-detail"]').innerText()).toContain('Recipient ok');
    expect(await page.locator('[data-testid="flow-row"].selected').getAttribute('aria-label')).toMatch(/^mail\.hamburger\.edu → mail\.crepes\.fr: 250 bob@hamburger\.edu \.\.\. Recipient ok/);
    await ui.shot('flow-graph-selected');

    // the same graph in the dark theme and a small window
    await page.locator('[data-testid="theme-toggle"]').click();
    await page.setViewportSize({ width: 1024, height: 700 });
    await bar().fill('');
    await expect.poll(() => hosts().then((h) => h.length), { timeout: 10_000 }).toBe(12);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    // the hosts scroll sideways under a time axis that stays in view
    const flow = page.locator('[data-testid="flow-graph"]');
    await flow.evaluate((el) => (el.scrollLeft = 200));
    await expect.poll(() => flow.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    const time = await page.locator('[data-testid="flow-row"] .time').first().boundingBox();
    expect(Math.abs(time!.x - (await flow.boundingBox())!.x)).toBeLessThan(2);
    await ui.shot('flow-graph-1024');
    await page.locator('[data-testid="theme-toggle"]').click();
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(ui.errors).toEqual([]);
  }, 60_000);

  it('draws a swarm’s first seconds: the tracker and each peer a column, the peer wire between them', async () => {
    await page.locator('[data-testid="capture-clear"]').click();
    await page.locator('[data-testid="tab-swarm"]').click();
    await page.locator('[data-testid="swarm-editor"] .view-lines').waitFor();
    // the shipped swarm that keeps its peer wire in the capture: five peers and a seed, UDP announces
    await page.locator('select[aria-label="swarm scenario"]').selectOption({ label: 'swarm-udp-tracker.yaml' });
    await expect.poll(() => page.locator('[data-testid="swarm-editor"] .view-lines').innerText()).toMatch(/name:\s+udp-tracker/);
    await page.locator('[data-testid="swarm-run"]').click();
    await expect.poll(hosts, { timeout: 20_000 }).toEqual(['server 127.0.0.2', 'Tracker (UDP) 127.0.0.1', 'p1 127.0.0.3', 'p2 127.0.0.4', 'p3 127.0.0.5', 'p4 127.0.0.6', 'p5 127.0.0.7']);
    const first = await arrows(80);
    expect(first[0]).toMatch(/^server → Tracker \(UDP\): UDP connect request/);
    expect(first[1]).toMatch(/^Tracker \(UDP\) → server: UDP connect reply/);
    // peers hand-shake with each other and ask for pieces (BEP 3)
    expect(first.some((a) => /^p\d → (p\d|server): handshake/.test(a))).toBe(true);
    await ui.shot('flow-graph-swarm');
    expect(ui.errors).toEqual([]);
  }, 60_000);
});
