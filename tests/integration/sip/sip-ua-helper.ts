/** A user agent made of a bare UDP socket, for tests: sends what it is told, collects what arrives. */
import dgram from 'node:dgram';
import { parseSip, type SipMessage } from '../../../src-main/lab/sip/sip-message';

export class TestUa {
  readonly socket = dgram.createSocket('udp4');
  readonly got: SipMessage[] = [];
  readonly raw: Buffer[] = [];
  port = 0;

  async open(): Promise<this> {
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', () => r()));
    this.port = this.socket.address().port;
    this.socket.on('message', (m) => {
      this.raw.push(m);
      const p = parseSip(m);
      if (p.ok) this.got.push(p.msg);
    });
    return this;
  }

  send(text: string, port: number): void {
    this.socket.send(Buffer.from(text.replace(/\r?\n/g, '\r\n')), port, '127.0.0.1');
  }

  async next(pred: (m: SipMessage) => boolean, what: string, ms = 4000): Promise<SipMessage> {
    const until = Date.now() + ms;
    for (;;) {
      const i = this.got.findIndex(pred);
      if (i >= 0) return this.got.splice(i, 1)[0];
      if (Date.now() > until) throw new Error(`no ${what} (got: ${this.got.map((m) => (m.kind === 'request' ? m.method : m.status)).join(', ')})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}

export const status = (code: number) => (m: SipMessage) => m.kind === 'response' && m.status === code;
export const method = (name: string) => (m: SipMessage) => m.kind === 'request' && m.method === name;
