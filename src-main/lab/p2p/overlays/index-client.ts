/**
 * A lab peer's side of the index protocol: it logs in, uploads its file list (Napster's index
 * server, or its KaZaA super-node) and searches. One command at a time; a reply ends at the
 * first line that is not a 210 hit (and not the greeting).
 */
import net from 'node:net';

export class IndexClient {
  private buf = '';
  private waiting: { lines: string[]; done: (lines: string[]) => void } | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.data(chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => this.waiting?.done([...(this.waiting?.lines ?? []), '421 connection closed']));
  }

  /** connect and read the greeting (a super-node's child connection has none: `greeting` false) */
  static async connect(to: { address: string; port: number }, localAddress: string | undefined, greeting: boolean): Promise<IndexClient> {
    const socket = net.connect({ host: to.address, port: to.port, localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const c = new IndexClient(socket);
    if (greeting) await c.reply();
    return c;
  }

  private data(text: string): void {
    this.buf += text;
    for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      const w = this.waiting;
      if (!w) continue;
      w.lines.push(line);
      if (!line.startsWith('210 ')) {
        this.waiting = null;
        w.done(w.lines);
      }
    }
  }

  private reply(): Promise<string[]> {
    return new Promise((done) => (this.waiting = { lines: [], done }));
  }

  /** send one command, resolve with its reply lines */
  command(line: string): Promise<string[]> {
    const r = this.reply();
    this.socket.write(line + '\r\n');
    return r;
  }

  close(): void {
    this.socket.destroy();
  }
}
