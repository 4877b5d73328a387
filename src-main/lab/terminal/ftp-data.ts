/**
 * The terminal's `ftp HOST`: the control connection is typed by hand as with telnet, and
 * this helper plays the client's half of the data connection, as a teaching client would.
 * When a 227 (PASV) or 229 (EPSV) reply comes back it connects to the port the server
 * named and prints what arrives on that second connection, marked apart from the replies,
 * so the student sees two connections: control stays open, data opens and closes.
 */
import net from 'node:net';
import type { Endpoint } from '../api';
import type { ClientNames } from '../internet/names';
import { passivePort } from '../ftp/ftp-codec';

/** what the terminal shows of one data connection; the rest is counted */
const SHOWN_BYTES = 64 * 1024;

export class FtpTerminalData {
  private buf = '';
  private socket: net.Socket | null = null;
  /** a STOR was typed before the data connection was there: end it once it is */
  private endWhenOpen = false;

  constructor(
    /** where the control connection really goes (the passive port is on the same host) */
    private address: string,
    private names: ClientNames,
    private labels: { client: Partial<Endpoint>; server: Partial<Endpoint> },
    private print: (text: string) => void,
  ) {}

  /** bytes from the control connection: look for the passive-mode replies */
  replies(bytes: Buffer): void {
    this.buf += bytes.toString('latin1');
    if (this.buf.length > 8192) this.buf = this.buf.slice(-4096);
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) return;
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      const where = passivePort(line);
      if (where) this.open(where.port);
    }
  }

  /** a line the user typed on the control connection */
  command(line: string): void {
    if (!/^\s*(STOR|APPE|STOU)\b/i.test(line)) return;
    this.print("[ftp: this terminal sends no file data: it closes the data connection, so the file stored is empty. Use curl -T or python's ftplib to upload a file.]\r\n");
    if (this.socket) this.socket.end();
    else this.endWhenOpen = true;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private open(port: number): void {
    this.close();
    const socket = net.connect({ host: this.address, port });
    this.socket = socket;
    let total = 0;
    let local = 0;
    socket.once('connect', () => {
      local = socket.localPort ?? 0;
      this.names.note(local, { client: { ...this.labels.client, name: `${this.labels.client.name ?? 'terminal'} (ftp data)` }, server: this.labels.server });
      this.print(`[data connection ${socket.localPort} → ${port} open: the transfer command's data will come here]\r\n`);
      if (this.endWhenOpen) socket.end();
      this.endWhenOpen = false;
    });
    socket.on('data', (chunk: Buffer) => {
      const room = SHOWN_BYTES - total;
      total += chunk.length;
      if (room > 0) this.print(chunk.subarray(0, room).toString('utf8').replace(/\r?\n/g, '\r\n'));
    });
    socket.on('error', (err) => this.print(`[data connection: ${err.message}]\r\n`));
    socket.on('close', () => {
      if (local) this.names.forget(local);
      if (this.socket === socket) this.socket = null;
      const more = total > SHOWN_BYTES ? `, the first ${SHOWN_BYTES} shown` : '';
      this.print(`[data connection closed: ${total} bytes received${more}]\r\n`);
    });
  }
}
