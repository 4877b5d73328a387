/**
 * Idle connections of a TCP lab service: one sweep per listener closes a connection that
 * carried no byte either way for the service's idle time (SMTP 5 min, POP3 10 min — here a
 * listener with 400 ms, so the test waits for real).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../src-main/lab/capture/store';
import type { TcpTap } from '../../src-main/lab/capture/tcp-tap';
import { LabInternet } from '../../src-main/lab/internet/internet';
import { ClientNames } from '../../src-main/lab/internet/names';
import { TcpLabService } from '../../src-main/lab/services/tcp-service';

class Idle400 extends TcpLabService {
  readonly id = 'idle-test';
  readonly name = 'idle test';
  readonly protocol = 'text';
  readonly description = 'echoes lines, closes after 400 ms of silence';
  protected override idleMs = 400;
  protected accept(tap: TcpTap): void {
    tap.send('hello\n');
  }
  protected data(tap: TcpTap, chunk: Buffer): void {
    tap.send(chunk);
  }
}

/** closes politely when idle (its FIN only), as SMTP does with its 421 */
class HalfClose400 extends Idle400 {
  protected override allowHalfOpen = true;
  protected override idle(tap: TcpTap): void {
    tap.end('idle: the server closes its side');
  }
}

function closedAfter(port: number, keepAliveEveryMs: number, keepAliveFor: number): Promise<{ closedAtMs: number; lastByteMs: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let lastByteMs = 0;
    const s = net.connect(port, '127.0.0.1');
    s.on('data', () => (lastByteMs = performance.now() - t0));
    const timer = setInterval(() => {
      if (performance.now() - t0 < keepAliveFor) s.write('ping\n');
    }, keepAliveEveryMs);
    s.on('error', () => undefined);
    s.on('close', () => {
      clearInterval(timer);
      resolve({ closedAtMs: performance.now() - t0, lastByteMs });
    });
  });
}

describe('idle sweep of a TCP lab service', () => {
  it('closes a silent connection after its idle time, not before; traffic keeps it open', async () => {
    const store = new CaptureStore();
    const service = new Idle400({ store, names: new ClientNames(), internet: new LabInternet(), dataDir: '', resourcesDir: '', bindAddress: '127.0.0.1' }, 0);
    await service.start();
    try {
      const [silent, busy] = await Promise.all([closedAfter(service.port, 10_000, 0), closedAfter(service.port, 150, 1000)]);
      // silent: only the greeting, then closed 400–480 ms after the server sent it (this side may
      // see the greeting late on a busy machine, hence the margin below 400)
      expect(silent.closedAtMs - silent.lastByteMs).toBeGreaterThanOrEqual(300);
      expect(silent.closedAtMs).toBeLessThan(5000);
      // pinged every 150 ms for a second: open all that time, closed some 400 ms after the last echo
      expect(busy.lastByteMs).toBeGreaterThan(850);
      expect(busy.closedAtMs - busy.lastByteMs).toBeGreaterThanOrEqual(300);
      const notes = store.list(0, 1000).filter((m) => m.kind === 'event').map((m) => m.summary);
      expect(notes.filter((n) => n === 'idle for 0.4 s: the server closes the connection')).toHaveLength(2);
    } finally {
      await service.stop();
    }
  });

  it('a client that never closes its side after the idle close is dropped one idle time later', async () => {
    const store = new CaptureStore();
    const service = new HalfClose400({ store, names: new ClientNames(), internet: new LabInternet(), dataDir: '', resourcesDir: '', bindAddress: '127.0.0.1' }, 0);
    await service.start();
    try {
      const t0 = performance.now();
      const s = net.connect({ port: service.port, host: '127.0.0.1', allowHalfOpen: true });
      s.on('data', () => undefined);
      s.on('error', () => undefined);
      // the server's FIN after the idle time; this client never ends its side
      const fin = await new Promise<number>((resolve) => s.on('end', () => resolve(performance.now() - t0)));
      expect(fin).toBeGreaterThanOrEqual(400 - 5);
      while (service.connectionCount() > 0) await new Promise((r) => setTimeout(r, 20));
      expect(performance.now() - t0 - fin).toBeGreaterThanOrEqual(250);
      const notes = store.list(0, 1000).filter((m) => m.kind === 'event').map((m) => m.summary);
      expect(notes.slice(-3)).toEqual(['idle: the server closes its side', 'still open 0.4 s after the idle close: dropped', 'connection closed']);
      // the client learns when it next writes: the server's end is gone
      await new Promise<void>((resolve) => {
        s.on('close', () => resolve());
        const ping = setInterval(() => (s.destroyed ? clearInterval(ping) : s.write('anyone?\n')), 20);
      });
    } finally {
      await service.stop();
    }
  });
});
