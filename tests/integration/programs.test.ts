/** The shipped echo programs, run by the lab as child processes, against the lab's servers. */
import fs from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgramId, ProgramLanguage, ProgramOutput } from '../../src-main/lab/api';
import type { Lab } from '../../src-main/lab/lab';
import { captured, RESOURCES, startLab, waitFor } from '../helpers/lab';
import { freePort } from '../helpers/ports';

let lab: Lab;
let dataDir: string;
beforeAll(async () => {
  ({ lab, dataDir } = await startLab());
});
afterAll(() => lab.shutdown());

function console(id: ProgramId, language: ProgramLanguage) {
  let text = '';
  const off = lab.on('program.output', (o: ProgramOutput) => {
    if (o.id === id && o.language === language) text += o.text;
  });
  return { text: () => text, off };
}

async function exited(id: ProgramId, language: ProgramLanguage): Promise<number | null | undefined> {
  return new Promise((resolve) => {
    const off = lab.on('program.state', (s) => {
      if (s.id === id && s.language === language && !s.running) {
        off();
        resolve(s.exitCode);
      }
    });
  });
}

const languages: ProgramLanguage[] = ['python', 'javascript'];

describe.each(languages)('%s echo programs', (language) => {
  it('the UDP client asks for a sentence, sends it to the lab, prints the capitals', async () => {
    const out = console('udp-client', language);
    const done = exited('udp-client', language);
    await lab['programs.run']('udp-client', language);
    await waitFor(() => out.text().includes('Input lowercase sentence:'), `the prompt; got ${out.text()}`);
    await lab['programs.stdin']('udp-client', language, `hello from ${language}`);
    expect(await done).toBe(0);
    expect(out.text()).toContain(`HELLO FROM ${language.toUpperCase()}`);
    expect(out.text()).toMatch(/talk to 127\.0\.0\.1:\d+ \(the lab's Echo \(UDP\) service\)/);
    const msgs = await captured(lab);
    expect(msgs.some((m) => m.service === 'echo-udp' && m.dir === 'c2s' && m.summary === `hello from ${language}`)).toBe(true);
    out.off();
  });

  it('the TCP client gets its sentence back from the lab', async () => {
    const out = console('tcp-client', language);
    const done = exited('tcp-client', language);
    await lab['programs.run']('tcp-client', language);
    await waitFor(() => out.text().includes('Input lowercase sentence:'), 'the prompt');
    await lab['programs.stdin']('tcp-client', language, 'tcp sentence');
    expect(await done).toBe(0);
    expect(out.text()).toContain('From Server:  TCP SENTENCE');
    out.off();
  });

  it.each(['udp', 'tcp'] as const)('the %s server program answers the client program through the lab relay', async (t) => {
    const server = `${t}-server` as ProgramId;
    const client = `${t}-client` as ProgramId;
    const sout = console(server, language);
    await lab['programs.run'](server, language);
    await waitFor(() => sout.text().includes('The server is ready to receive'), `the server to start; got ${sout.text()}`);
    // the relay opens once the lab sees the program's socket bound (polled): a client started
    // before that talks to the lab's own echo, as a student's would
    await waitFor(() => lab['allServices']().find((s) => s.id === `program-${t}`)?.state === 'running', 'the relay in front of the server program');
    const cout = console(client, language);
    const done = exited(client, language);
    await lab['programs.run'](client, language);
    await waitFor(() => cout.text().includes('Input lowercase sentence:'), 'the prompt');
    await lab['programs.stdin'](client, language, `via my ${t} server`);
    expect(await done).toBe(0);
    expect(cout.text()).toContain(`VIA MY ${t.toUpperCase()} SERVER`);
    expect(cout.text()).toContain(`your ${t.toUpperCase()} server program`);
    const msgs = await captured(lab);
    expect(msgs.some((m) => m.service === `program-${t}` && m.dir === 's2c' && m.summary.includes(`VIA MY ${t.toUpperCase()} SERVER`))).toBe(true);
    await lab['programs.stop'](server, language);
    expect((await lab['programs.list']()).find((p) => p.id === server && p.language === language)?.running).toBe(false);
    sout.off();
    cout.off();
  });
});

describe('the relay while a server program starts (issue 13 item 7)', () => {
  it('refuses a client until the program listens, then carries it: never accepts and closes', async () => {
    await lab['programs.stop']('tcp-server', 'python');
    // the relay opens with the program: give it a port known before (the lab's default is 12001)
    const relay = lab['allServices']().find((s) => s.id === 'program-tcp')!;
    const relayPort = await freePort();
    relay.port = relayPort;
    const outcomes: string[] = [];
    const attempt = () =>
      new Promise<string>((resolve) => {
        const s = net.connect(relayPort, '127.0.0.1', () => s.end('early bird\n'));
        let got = '';
        s.on('data', (d) => (got += d));
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        s.on('close', () => resolve(got ? `reply:${got.trim()}` : 'accepted-and-closed'));
      });
    const running = lab['programs.run']('tcp-server', 'python');
    let served = false;
    const until = Date.now() + 10_000;
    while (!served && Date.now() < until) {
      const o = await attempt();
      outcomes.push(o);
      served = o.startsWith('reply:');
      await new Promise((r) => setTimeout(r, 20));
    }
    await running;
    expect(served).toBe(true);
    expect(outcomes).not.toContain('accepted-and-closed');
    expect(outcomes.at(-1)).toBe('reply:EARLY BIRD');
    await lab['programs.stop']('tcp-server', 'python');
  });
});

describe('editing programs', () => {
  it('saves a user copy in the data directory, never over the shipped file, and resets', async () => {
    const shipped = await fs.readFile(`${RESOURCES}/programs/python/UDPClient.py`, 'utf8');
    const edited = shipped.replace("input('Input lowercase sentence:')", "'edited by the student'");
    const saved = await lab['programs.save']('udp-client', 'python', edited);
    expect(saved.modified).toBe(true);
    expect(saved.path.startsWith(dataDir)).toBe(true);
    expect(await fs.readFile(`${RESOURCES}/programs/python/UDPClient.py`, 'utf8')).toBe(shipped);
    const out = console('udp-client', 'python');
    const done = exited('udp-client', 'python');
    await lab['programs.run']('udp-client', 'python');
    await done;
    expect(out.text()).toContain('EDITED BY THE STUDENT');
    out.off();
    const reset = await lab['programs.reset']('udp-client', 'python');
    expect(reset).toMatchObject({ modified: false, source: shipped });
    expect((await lab['programs.list']()).find((p) => p.id === 'udp-client' && p.language === 'python')?.modified).toBe(false);
  });

  it('a stopped program can be stopped again, and stdin to it is refused clearly', async () => {
    await expect(lab['programs.stop']('tcp-server', 'python')).resolves.toMatchObject({ running: false });
    await expect(lab['programs.stdin']('tcp-server', 'python', 'x')).rejects.toThrow('the program is not running');
  });

  it('says clearly when python3 is not on PATH', async () => {
    const saved = process.env.PATH;
    const { lab: bare } = await startLab();
    process.env.PATH = '/nonexistent';
    try {
      let system = '';
      bare.on('program.output', (o) => (system += o.text));
      await expect(bare['programs.run']('udp-client', 'python')).rejects.toThrow(/python3 was not found on PATH/);
      expect(system).toContain('switch to the JavaScript version');
    } finally {
      process.env.PATH = saved;
      await bare.shutdown();
    }
  });
});
