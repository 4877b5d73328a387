/**
 * The program checks of lab sessions, with real python3: each assignment's reference
 * solution (tests/fixtures/programs/) passes against a real lab on free ports; the broken
 * variants a student writes fail with a detail that says what went wrong, every detail keyed
 * (its catalogue message's English is the detail; the UI shows it in Chinese).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgramId } from '../../../src-main/lab/api';
import type { Lab } from '../../../src-main/lab/lab';
import { runProgramCheck } from '../../../src-main/lab/labs/program-check';
import type { ProgramAssignment, ProgramCheckResult } from '../../../src-main/lab/labs/program-check-types';
import { startLab } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { english } from '../../../src-main/lab/lab-text';
import { labText } from '../../../src-renderer/src/i18n/lab-text';
import { rememberLocale } from '../../../src-renderer/src/i18n/locale';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'programs');
const reference = (file: string): string => fs.readFileSync(path.join(FIXTURES, file), 'utf8');

let lab: Lab;
beforeAll(async () => {
  ({ lab } = await startLab());
});
afterAll(() => lab.shutdown());

async function check(id: ProgramId, source: string, assignment: ProgramAssignment, options?: Record<string, unknown>): Promise<ProgramCheckResult> {
  await lab['programs.save'](id, 'python', source);
  const r = await runProgramCheck(lab, { kind: 'program', id: `${assignment}-check`, assignment, language: 'python', ...(options ? { options } : {}) });
  keyedInChinese(r);
  return r;
}

/** every account carries its catalogue message: its English is the detail, the UI shows it in Chinese */
function keyedInChinese(r: ProgramCheckResult): void {
  expect(r.detailText, r.detail).toBeDefined();
  expect(english(r.detailText!)).toBe(r.detail);
  rememberLocale('zh-CN');
  expect(labText(r.detail, r.detailText), r.detail).toMatch(/[\u4e00-\u9fff]/);
  rememberLocale('en');
  expect(labText(r.detail, r.detailText)).toBe(r.detail);
}

/** every evidence id is a record of the capture */
function evidenceIsCaptured(result: ProgramCheckResult): void {
  expect(result.evidence.length).toBeGreaterThan(0);
  for (const id of result.evidence) expect(lab.store.detail(id)).not.toBeNull();
}

describe('udp-pinger', () => {
  it('the reference pinger times out exactly on the pings the lossy link dropped', async () => {
    // 12 pings at 40 % loss: a run in which the link loses nothing has odds below 1 in 200,000
    const r = await check('udp-pinger', reference('UDPPinger.py'), 'udp-pinger', { pings: 12, lossRate: 0.4 });
    expect(r.detail).toMatch(/The link lost \d+ \(pings? [\d, ]+\); your program printed "Request timed out" for exactly those/);
    expect(r.passed).toBe(true);
    evidenceIsCaptured(r);
    expect(lab.store.connection(lab.store.detail(r.evidence[0])!.conn)?.client.name).toBe('program UDPPinger.py');
    // the link is given back as it was
    expect(lab.services.find((s) => s.id === 'echo-udp')?.link.lossRate).toBe(0);
  }, 60_000);

  it('a pinger without a socket timeout hangs on the first loss and fails, saying which ping', async () => {
    const src = reference('UDPPinger.py').replace('clientSocket.settimeout(1)\n', '');
    // the check waits its whole budget (1 s a ping + 10 s) for a pinger that hangs: two pings,
    // at 90 % loss both get through both ways with odds of 1 in 10,000
    const r = await check('udp-pinger', src, 'udp-pinger', { pings: 2, lossRate: 0.9 });
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/still running after \d+ s and was stopped\. Ping \d+'s (request|reply) was lost on the link/);
    evidenceIsCaptured(r);
  }, 60_000);

  it('a pinger that claims a reply for every ping fails on the ones the link dropped', async () => {
    const src = reference('UDPPinger.py').replace("        print('Request timed out')", "        print('Reply from 127.0.0.1: RTT = 0.000100 s')");
    // each lost ping costs the pinger its 1 s timeout: four at 90 % loss, all four through with odds of 1 in 10^8
    const r = await check('udp-pinger', src, 'udp-pinger', { pings: 4, lossRate: 0.9 });
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/ping \d+: its (request|reply) was lost on the link, yet your line says "Reply from/);
  }, 60_000);

  it('the shipped skeleton prints nothing and fails', async () => {
    const r = await check('udp-pinger', fs.readFileSync(path.resolve(FIXTURES, '../../../resources/programs/python/UDPPinger.py'), 'utf8'), 'udp-pinger', { pings: 3 });
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/no datagram of the form "Ping <sequence number> <time>"/);
  }, 60_000);
});

describe('tcp-server', () => {
  it('the textbook TCPServer.py sends every sentence back in capitals', async () => {
    await lab['programs.reset']('tcp-server', 'python');
    const r = await runProgramCheck(lab, { kind: 'program', id: 't', assignment: 'tcp-server' });
    expect(r.detail).toContain('each came back in capitals');
    expect(r.passed).toBe(true);
    evidenceIsCaptured(r);
    expect((await lab['programs.list']()).find((p) => p.id === 'tcp-server' && p.language === 'python')?.running).toBe(false);
  }, 60_000);

  it('a server that echoes without capitals fails, quoting what came back', async () => {
    const src = fs.readFileSync(path.resolve(FIXTURES, '../../../resources/programs/python/TCPServer.py'), 'utf8').replace('sentence.upper()', 'sentence');
    const r = await check('tcp-server', src, 'tcp-server');
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/"hello from the checker": came back as "hello from the checker"/);
  }, 60_000);
});

describe('web-server', () => {
  it('the reference server answers 200 with the file and 404 for a missing one', async () => {
    const r = await check('web-server', reference('WebServer.py'), 'web-server');
    expect(r.detail).toContain("200 OK with the file's bytes, then 404 Not Found");
    expect(r.passed).toBe(true);
    evidenceIsCaptured(r);
  }, 60_000);

  it('in JavaScript too: the reference web-server.mjs passes, the shipped skeleton fails', async () => {
    await lab['programs.save']('web-server', 'javascript', reference('web-server.mjs'));
    const spec = { kind: 'program', id: 'w', assignment: 'web-server', language: 'javascript' } as const;
    const r = await runProgramCheck(lab, spec);
    expect(r.detail).toContain("200 OK with the file's bytes, then 404 Not Found");
    expect(r.passed).toBe(true);
    await lab['programs.reset']('web-server', 'javascript');
    const skeleton = await runProgramCheck(lab, spec);
    expect(skeleton.passed).toBe(false);
    expect(skeleton.detail).toMatch(/GET \/NetLabCheck\.html got no HTTP response/);
  }, 60_000);

  it('a server without 404 fails', async () => {
    const src = reference('WebServer.py').replace("b'HTTP/1.1 404 Not Found", "b'HTTP/1.1 200 OK");
    const r = await check('web-server', src, 'web-server');
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/\(no such file\) was answered "HTTP\/1\.1 200 OK", not 404 Not Found/);
  }, 60_000);

  it('a server that crashes at start says so with its error', async () => {
    const r = await check('web-server', 'import sys\nsys.exit("no socket for you")\n', 'web-server');
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/ended \(exit code 1\) before accepting a connection\..*no socket for you/);
  }, 60_000);
});

describe('smtp-client', () => {
  it('the reference client delivers to bob through mail.hamburger.edu', async () => {
    const r = await check('smtp-client', reference('SMTPClient.py'), 'smtp-client');
    expect(r.detail).toMatch(/HELO → 250, MAIL → 250, RCPT → 250, DATA → 354, message → 250, QUIT → 221/);
    expect(r.detail).toContain("bob@hamburger.edu's mailbox received the message");
    expect(r.passed).toBe(true);
    evidenceIsCaptured(r);
    // the inspector names the program as the client of the dialogue
    expect(lab.store.connection(lab.store.detail(r.evidence[0])!.conn)?.client.name).toBe('program SMTPClient.py');
  }, 60_000);

  it('a client that never sends DATA fails', async () => {
    const src = reference('SMTPClient.py').replace("command('DATA\\r\\n', '354')\ncommand(msg + endmsg, '250')\n", '');
    expect(src).not.toContain('DATA');
    const r = await check('smtp-client', src, 'smtp-client');
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/There is no DATA, so no message was handed over/);
  }, 60_000);

  it('an SMTP dialogue from another client while the program runs is not the program\'s', async () => {
    const mx = lab.services.find((s) => s.id === 'smtp-hamburger')!.port;
    // the "program" only sleeps; swaks, outside, delivers to bob meanwhile
    const pending = check('smtp-client', 'import time\ntime.sleep(4)\n', 'smtp-client');
    await new Promise((r) => setTimeout(r, 1000));
    const swaks = await run('swaks', ['--server', `127.0.0.1:${mx}`, '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu'], { timeoutMs: 20_000 });
    expect(swaks.stdout).toMatch(/<-\s+221/);
    const r = await pending;
    expect(r.passed).toBe(false);
    expect(r.detail).toContain('made no connection');
  }, 60_000);

  it('mail sent with Compose while no program ran does not count', async () => {
    await lab['mail.send']({ from: 'alice@crepes.fr', to: ['bob@hamburger.edu'], subject: 'composed', text: 'hi' } as never);
    const r = await check('smtp-client', 'print("I send nothing")\n', 'smtp-client');
    expect(r.passed).toBe(false);
    expect(r.detail).toContain('made no connection');
  }, 60_000);
});

describe('web-proxy', () => {
  it('the reference proxy serves the second request from its cache', async () => {
    const r = await check('web-proxy', reference('ProxyServer.py'), 'web-proxy');
    expect(r.detail).toContain('the origin saw one request');
    expect(r.passed).toBe(true);
    evidenceIsCaptured(r);
    // the checker's connections to the proxy are named as the lab's own, the proxy's to the origin as the program's
    const clients = new Set(r.evidence.map((id) => lab.store.connection(lab.store.detail(id)!.conn)?.client.name));
    expect([...clients].sort()).toEqual(['program ProxyServer.py', 'the program check']);
  }, 60_000);

  it('a proxy that forwards every request fails the cache check', async () => {
    const src = reference('ProxyServer.py').replace('if url in cache:', 'if False:');
    const r = await check('web-proxy', src, 'web-proxy');
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/saw 2 requests for it: the second must come from your proxy's cache/);
  }, 60_000);
});
