/** `netlab serve` as a user runs it: the printed address, the token, the Origin check, Ctrl-C. */
import fs from 'node:fs/promises';
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
    const reply = new Promise<{ id: number; result: Array<{ id: string; state: string; port: number }> }>((r) =>
      sock.on('message', (m) => {
        const msg = JSON.parse(m.toString());
        if (msg.id === 7) r(msg);
      }),
    );
    sock.send(JSON.stringify({ id: 7, method: 'services.list', args: [] }));
    const { result } = await reply;
    expect(result.find((s) => s.id === 'echo-tcp')).toMatchObject({ state: 'running', port: lab.echoPort });
    // garbage over the socket is answered, and the bridge keeps serving
    const err = new Promise<{ error: string }>((r) => sock.once('message', (m) => r(JSON.parse(m.toString()))));
    sock.send('not json');
    expect((await err).error).toMatch(/JSON/);
    sock.close();
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
