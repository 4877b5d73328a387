/** `netlab serve` as a user runs it: the printed address, the token, the Host and Origin
 *  checks, bad input over the API's socket, Ctrl-C. */
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { run } from '../helpers/proc';
import { freePort, ROOT, serve, type Served } from '../helpers/serve';
import { tempDir } from '../helpers/lab';

let lab: Served;
beforeAll(async () => {
  lab = await serve();
});
afterAll(async () => {
  await lab.stop();
});

function wsConnect(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

/** One HTTP/1.1 request as raw bytes (fetch will not send a Host of our choosing). */
function rawRequest(port: number, head: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(`${head}\r\nConnection: close\r\n\r\n`));
    s.setEncoding('utf8');
    s.on('data', (d) => (text += d));
    s.on('error', reject);
    s.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
  });
}

async function tokenCookieOf(lab: Served): Promise<string> {
  const first = await fetch(lab.url, { redirect: 'manual' });
  return first.headers.get('set-cookie')!.split(';')[0];
}

/** Calls over an open API socket, answered by id. */
function caller(ws: WebSocket): (frame: string, id: number | null) => Promise<{ id: number | null; result?: unknown; error?: string }> {
  return (frame, id) =>
    new Promise((resolve) => {
      const on = (m: Buffer, isBinary: boolean): void => {
        if (isBinary) return; // the capture's batches
        const msg = JSON.parse(m.toString());
        if (msg.id === id) {
          ws.off('message', on);
          resolve(msg);
        }
      };
      ws.on('message', on);
      ws.send(frame);
    });
}

function tcpEcho(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(`${text}\n`));
    s.setEncoding('utf8');
    s.on('data', (d) => (reply += d));
    s.on('error', reject);
    s.on('close', () => resolve(reply.trim()));
  });
}

describe('netlab serve', () => {
  it('prints the address with its token and a table of services and ports', () => {
    expect(lab.output()).toMatch(/Open the lab in your browser/);
    expect(lab.output()).toMatch(new RegExp(`Echo \\(TCP\\)\\s+echo\\s+TCP ${lab.echoPort}\\s+running`));
    expect(lab.output()).toMatch(new RegExp(`Echo \\(UDP\\)\\s+echo\\s+UDP ${lab.echoPort}\\s+running`));
    expect(lab.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('refuses every request without the token, / included', async () => {
    const base = `http://127.0.0.1:${lab.uiPort}`;
    for (const p of ['/', '/index.html', '/assets/x.js', '/api']) {
      const res = await fetch(base + p, { redirect: 'manual' });
      expect(res.status, p).toBe(401);
    }
    expect((await fetch(`${base}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
  });

  it('with the token: keeps it in a cookie and serves the UI', async () => {
    const first = await fetch(lab.url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`http://127.0.0.1:${lab.uiPort}/`, { headers: { cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
  });

  it('the WebSocket needs the token and our own Origin', async () => {
    const api = `ws://127.0.0.1:${lab.uiPort}/api`;
    const origin = `http://127.0.0.1:${lab.uiPort}`;
    expect(await wsConnect(api, { Origin: origin })).toBe(401);
    expect(await wsConnect(`${api}?token=${lab.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await wsConnect(`${api}?token=${lab.token}`, {})).toBe(403);
    const ws = await wsConnect(`${api}?token=${lab.token}`, { Origin: origin });
    expect(ws).toBeInstanceOf(WebSocket);
    const sock = ws as WebSocket;
    // caller skips the lab's events and the capture's batches sharing the socket
    const call = caller(sock);
    const { result } = (await call(JSON.stringify({ id: 7, method: 'services.list', args: [] }), 7)) as {
      result: Array<{ id: string; state: string; port: number }>;
    };
    expect(result.find((s) => s.id === 'echo-tcp')).toMatchObject({ state: 'running', port: lab.echoPort });
    // garbage over the socket is answered, and the bridge keeps serving
    expect((await call('not json', null)).error).toMatch(/JSON/);
    expect((await call(JSON.stringify({ id: 8, method: 'services.list', args: [] }), 8)).result).toBeInstanceOf(Array);
    sock.close();
  });

  it('answers only requests that name it by 127.0.0.1, localhost or [::1] with its port', async () => {
    const cookie = await tokenCookieOf(lab);
    const p = lab.uiPort;
    for (const host of [`evil.example:${p}`, 'evil.example', `127.0.0.1:${p + 1}`, `127.0.0.1.evil.example:${p}`, `localhost.evil.example:${p}`, '127.0.0.1']) {
      const r = await rawRequest(p, `GET / HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}`);
      expect(r.status, host).toBe(421);
      expect(r.text).toContain(`NetLab answers only at 127.0.0.1:${p}`);
      expect(r.text).not.toContain('<div id="app">');
    }
    // the printed address, opened under another name, sets no cookie
    const first = await rawRequest(p, `GET /?token=${lab.token} HTTP/1.1\r\nHost: evil.example:${p}`);
    expect(first.status).toBe(421);
    expect(first.text).not.toMatch(/set-cookie/i);
    for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, `LocalHost:${p}`, `[::1]:${p}`]) {
      const r = await rawRequest(p, `GET / HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}`);
      expect(r.status, host).toBe(200);
      expect(r.text).toContain('<div id="app">');
    }
  });

  it('the WebSocket refuses a foreign Host even with the token, the cookie and an allowed Origin', async () => {
    const cookie = await tokenCookieOf(lab);
    const p = lab.uiPort;
    const api = `ws://127.0.0.1:${p}/api`;
    expect(await wsConnect(api, { Host: `evil.example:${p}`, Cookie: cookie, Origin: `http://127.0.0.1:${p}` })).toBe(421);
    expect(await wsConnect(`${api}?token=${lab.token}`, { Host: `evil.example:${p}`, Origin: `http://evil.example:${p}` })).toBe(421);
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) {
      const ws = await wsConnect(api, { Host: `${name}:${p}`, Cookie: cookie, Origin: `http://${name}:${p}` });
      expect(ws, name).toBeInstanceOf(WebSocket);
      (ws as WebSocket).close();
    }
  });

  it('deeply nested input over the API is answered with an error in milliseconds, and the lab keeps serving', async () => {
    const ws = (await wsConnect(`ws://127.0.0.1:${lab.uiPort}/api?token=${lab.token}`, { Origin: `http://127.0.0.1:${lab.uiPort}` })) as WebSocket;
    const call = caller(ws);
    // a JSON frame a million levels deep (just under the 2 MiB frame limit)
    let t0 = performance.now();
    const n = 1_000_000;
    const deepJson = await call(`{"id":1,"method":"swarm.validate","args":${'['.repeat(n)}${']'.repeat(n)}}`, null);
    expect(deepJson.error).toMatch(/nested more than 16 levels deep/);
    expect(performance.now() - t0).toBeLessThan(2000);
    // the editor's check of a scenario ten thousand levels deep
    for (const method of ['swarm.validate', 'scenarios.validate']) {
      t0 = performance.now();
      const deepYaml = await call(JSON.stringify({ id: 2, method, args: [`name: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`] }), 2);
      expect(deepYaml.result, method).toEqual({ ok: false, error: 'line 1: nested more than 64 levels deep', line: 1 });
      expect(performance.now() - t0).toBeLessThan(2000);
    }
    // the same socket, the process's other services: all still there
    const list = await call(JSON.stringify({ id: 3, method: 'services.list', args: [] }), 3);
    expect((list.result as Array<{ id: string; state: string }>).find((s) => s.id === 'echo-tcp')?.state).toBe('running');
    expect(await tcpEcho(lab.echoPort, 'still serving')).toBe('STILL SERVING');
    expect(lab.child.exitCode).toBeNull();
    ws.close();
  });

  it('a scenario file of 2 MB, a million levels deep, is refused at its line at once', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'deep.yaml');
    await fs.writeFile(file, `name: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`);
    const r = await run(process.execPath, [path.join(ROOT, 'bin', 'netlab.mjs'), 'serve', '--no-open', '--ui-port', String(await freePort()), '--scenario', file, '--data-dir', dir], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deep\.yaml: line 1: the text is longer than 200000 characters/);
  });

  it('a taken UI port is a clear message, not a stack trace', async () => {
    const r = await run(process.execPath, [path.join(ROOT, 'bin', 'netlab.mjs'), 'serve', '--no-open', '--ui-port', String(lab.uiPort), '--data-dir', await tempDir()], { timeoutMs: 10_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`port ${lab.uiPort} for the browser UI is already in use`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a scenario with an error names its line and stops', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bad.yaml');
    await fs.writeFile(file, 'services:\n  echo-tcp:\n    mode: sometimes\n');
    const r = await run(process.execPath, [path.join(ROOT, 'bin', 'netlab.mjs'), 'serve', '--no-open', '--ui-port', String(await freePort()), '--scenario', file, '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: line 3: services\.echo-tcp\.mode/);
  });

  it('a taken service port is reported in the table and the rest of the lab runs', async () => {
    const other = await serve({ echoPort: lab.echoPort });
    try {
      expect(other.output()).toMatch(new RegExp(`port ${lab.echoPort} \\(TCP\\) is already in use`));
      expect(other.output()).toMatch(/Echo \(TCP\)\s+echo\s+TCP \d+\s+error/);
      const res = await fetch(other.url, { redirect: 'manual' });
      expect(res.status).toBe(302);
    } finally {
      await other.stop();
    }
  });

  it('Ctrl-C stops every service cleanly', async () => {
    const other = await serve();
    const code = await other.stop();
    expect(code).toBe(0);
    expect(other.output()).toContain('All services stopped.');
    const r = await run('nc', ['-z', '-w', '1', '127.0.0.1', String(other.echoPort)]);
    expect(r.code).not.toBe(0);
  });
});
