/** A raw TCP client for the mail tests: send lines, read SMTP replies or POP3 responses. */
import net from 'node:net';

export class Wire {
  private buf = '';
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }

  /** `from`: another loopback address to connect from (127.0.0.2 …), a client the server tells apart */
  static open(port: number, from?: string): Promise<Wire> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', ...(from ? { localAddress: from } : {}) }, () => resolve(new Wire(s)));
      s.once('error', reject);
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  line(text: string): void {
    this.socket.write(`${text}\r\n`);
  }

  /** wait until the received text matches, return it all and reset */
  async until(pattern: RegExp, ms = 5000): Promise<string> {
    const end = Date.now() + ms;
    while (!pattern.test(this.buf)) {
      if (this.closed) throw new Error(`closed before ${pattern}: got ${JSON.stringify(this.buf.slice(-300))}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}: got ${JSON.stringify(this.buf.slice(-300))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    const out = this.buf;
    this.buf = '';
    return out;
  }

  /** one SMTP reply (the last line has a space after the code) */
  reply(ms?: number): Promise<string> {
    return this.until(/(^|\n)\d{3} [^\n]*\r?\n$/, ms);
  }

  /** send a command and read its SMTP reply */
  async cmd(text: string, ms?: number): Promise<string> {
    this.line(text);
    return this.reply(ms);
  }

  async waitClosed(ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > end) throw new Error('still open');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
