/**
 * Deeply nested and oversized YAML through the API the editors call, on a lab that has been
 * busy first: each text is answered with an error at a line, in milliseconds rather than
 * hanging, and the lab keeps serving — its echo servers answer on real sockets after every
 * one. Before the limits, such a text aborted the whole lab process inside V8.
 */
import dgram from 'node:dgram';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type ScenarioCheck } from '../../src-main/lab/api';
import type { Lab } from '../../src-main/lab/lab';
import { RESOURCES, startLab } from '../helpers/lab';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
});
afterAll(() => lab.shutdown());

function tcpEcho(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = '';
    const s = net.connect(port('echo-tcp'), '127.0.0.1', () => s.write(`${text}\n`));
    s.setEncoding('utf8');
    s.on('data', (d) => {
      reply += d;
      if (reply.includes('\n')) s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve(reply.trim()));
  });
}

function udpEcho(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error('no UDP echo reply'));
    }, 5000);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m.toString());
    });
    s.send(text, port('echo-udp'), '127.0.0.1');
  });
}

async function stillServing(): Promise<void> {
  expect(await tcpEcho('still here')).toBe('STILL HERE');
  expect(await udpEcho('and here')).toBe('AND HERE');
  expect((await lab['services.list']()).find((s) => s.id === 'echo-tcp')?.state).toBe('running');
}

/** One call through the door both shells use, and how long it took. */
async function call(method: string, text: string): Promise<{ value?: unknown; error?: string; ms: number }> {
  const t0 = performance.now();
  try {
    const value = await dispatch(lab, method, [text]);
    return { value, ms: performance.now() - t0 };
  } catch (err) {
    return { error: (err as Error).message, ms: performance.now() - t0 };
  }
}

const deep = {
  'flow sequences': (n: number) => `name: ${'['.repeat(n)}${']'.repeat(n)}\n`,
  'flow mappings': (n: number) => `name: deep\ndescription: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`,
  'block sequences': (n: number) => `name: deep\npeers:\n${'- '.repeat(n)}x\n`,
};
/** the line each shape passes the limit on */
const lineOf = { 'flow sequences': 1, 'flow mappings': 2, 'block sequences': 3 };
/** 10^4 levels, and as many as the editors' 200 000 characters hold */
const depths = (shape: keyof typeof deep): number[] => [10_000, shape === 'flow mappings' ? 39_000 : 99_000];

describe('nesting and size limits on scenario text', () => {
  it('a busy lab: echo traffic and scenario checks for a while', async () => {
    const swarmText = await fs.readFile(path.join(RESOURCES, 'scenarios', 'swarm-textbook.yaml'), 'utf8');
    for (let round = 0; round < 15; round++) {
      const replies = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => tcpEcho(`load ${round} ${i}`)),
        ...Array.from({ length: 10 }, (_, i) => udpEcho(`load ${round} ${i}`)),
      ]);
      expect(replies[0]).toBe(`LOAD ${round} 0`);
      for (let i = 0; i < 10; i++) expect(await call('swarm.validate', swarmText)).toMatchObject({ value: { ok: true } });
    }
    await stillServing();
  });

  for (const shape of Object.keys(deep) as Array<keyof typeof deep>) {
    it(`${shape} nested 10^4 to 10^5 deep: the editor's checks answer at the line, the lab keeps serving`, async () => {
      for (const n of depths(shape)) {
        const text = deep[shape](n);
        for (const method of ['swarm.validate', 'scenarios.validate']) {
          const r = await call(method, text);
          expect(r.value as ScenarioCheck, `${method} ${n}`).toEqual({ ok: false, error: `line ${lineOf[shape]}: nested more than 64 levels deep`, line: lineOf[shape] });
          expect(r.ms).toBeLessThan(2000);
        }
        // the buttons that act on the text refuse it the same way
        for (const method of ['scenarios.apply', 'swarm.start']) {
          const r = await call(method, text);
          expect(r.error, `${method} ${n}`).toBe(`line ${lineOf[shape]}: nested more than 64 levels deep`);
          expect(r.ms).toBeLessThan(2000);
        }
        await stillServing();
      }
    });
  }

  it('2 MB scenario files, a million levels deep or just long, are refused at a line', async () => {
    const deepFile = path.join(dataDir, 'deep.yaml');
    await fs.writeFile(deepFile, deep['flow sequences'](1_000_000));
    const longFile = path.join(dataDir, 'long.yaml');
    const line = '# a comment line of forty characters...\n';
    await fs.writeFile(longFile, `name: long\n${line.repeat(50_000)}`);
    for (const [file, at, why] of [
      [deepFile, 1, 'longer than 200000 characters'],
      [longFile, 1 + Math.ceil((200_000 - 'name: long\n'.length) / line.length), 'longer than 200000 characters'],
    ] as const) {
      const t0 = performance.now();
      await expect(lab.scenarios.load(file)).rejects.toThrow(`line ${at}: the text is ${why}`);
      expect(performance.now() - t0).toBeLessThan(2000);
    }
    // through the API, the editors' cap says what is wrong
    const r = await call('swarm.validate', await fs.readFile(deepFile, 'utf8'));
    expect(r.error).toMatch(/the text is longer than 200000 characters/);
    await stillServing();
  });
});
