/**
 * The client side of SMTP (RFC 5321 §3.3): what Alice's mail server does to hand a message
 * to Bob's (Kurose & Ross §2.3.1), and what the lab's user agent does to submit one. A real
 * TCP connection to a lab service, one command and one reply at a time, so the ladder
 * diagram reads like the textbook's transcript.
 */
import net from 'node:net';
import type { Endpoint } from '../../api';
import { dotStuff } from './smtp-stream';

export interface SmtpReply {
  code: number;
  text: string;
}

export interface SmtpClientJob {
  /** where to connect for real */
  address: string;
  port: number;
  /** names for the inspector: who we are, whom we dialled */
  names?: { client: Partial<Endpoint>; server: Partial<Endpoint> };
  /** label the socket for the inspector; what it returns is called once the session is over */
  note?: (localPort: number, names: { client: Partial<Endpoint>; server: Partial<Endpoint> }, dialled: number) => (() => void) | void;
  helo: string;
  from: string;
  rcpts: string[];
  data: Buffer;
  /** BODY= for MAIL FROM (RFC 6152 §3), sent when the server lists 8BITMIME in its EHLO reply */
  body?: '7BIT' | '8BITMIME';
  timeoutMs?: number;
}

export interface SmtpClientResult {
  /** the connection could be opened and the server greeted */
  connected: boolean;
  /** per recipient: the RCPT reply */
  rcpts: { address: string; reply: SmtpReply }[];
  /** the reply to the end of DATA, when it was reached */
  final?: SmtpReply;
  /** a reply or failure that ended the transaction early */
  error?: string;
  /** 4xx or a network failure: try again later; 5xx: give up */
  temporary: boolean;
  transcript: string[];
}

const MAX_REPLY = 64 * 1024;

/** Collects multi-line replies (`250-…` continued, `250 …` last). Pure. */
export class ReplyReader {
  private buf = '';
  private lines: string[] = [];

  push(text: string): SmtpReply[] {
    this.buf += text;
    if (this.buf.length > MAX_REPLY) throw new Error('reply too long');
    const out: SmtpReply[] = [];
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) break;
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!m) throw new Error(`not an SMTP reply: ${line.slice(0, 80)}`);
      this.lines.push(m[3]);
      if (m[2] !== '-') {
        out.push({ code: Number(m[1]), text: this.lines.join('\n') });
        this.lines = [];
      }
    }
    return out;
  }
}

export function sendMail(job: SmtpClientJob): Promise<SmtpClientResult> {
  const result: SmtpClientResult = { connected: false, rcpts: [], temporary: true, transcript: [] };
  const timeoutMs = job.timeoutMs ?? 30_000;
  return new Promise((resolve) => {
    const socket = net.connect({ host: job.address, port: job.port });
    const reader = new ReplyReader();
    const queue: SmtpReply[] = [];
    let waiter: ((r: SmtpReply | null) => void) | null = null;
    let finished = false;
    let unnote: (() => void) | void;

    const finish = (): void => {
      if (finished) return;
      finished = true;
      socket.destroy();
      if (unnote) unnote();
      if (waiter) waiter(null);
      resolve(result);
    };
    const next = (): Promise<SmtpReply | null> =>
      queue.length ? Promise.resolve(queue.shift() ?? null) : finished ? Promise.resolve(null) : new Promise((r) => (waiter = r));
    const send = (line: string): void => {
      result.transcript.push(`C: ${line}`);
      socket.write(`${line}\r\n`);
    };
    const expect = async (ok: (code: number) => boolean): Promise<SmtpReply | null> => {
      const r = await next();
      if (!r) {
        result.error ??= 'connection closed by the server';
        return null;
      }
      result.transcript.push(...r.text.split('\n').map((t) => `S: ${r.code} ${t}`));
      if (!ok(r.code)) {
        result.error = `${r.code} ${r.text.split('\n')[0]}`;
        result.temporary = r.code < 500;
        return null;
      }
      return r;
    };

    socket.setTimeout(timeoutMs, () => {
      result.error = `no reply within ${timeoutMs / 1000} s`;
      finish();
    });
    socket.on('error', (err) => {
      result.error ??= err.message;
      finish();
    });
    socket.on('close', finish);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const r of reader.push(chunk.toString('latin1'))) {
          if (waiter) {
            const w = waiter;
            waiter = null;
            w(r);
          } else queue.push(r);
        }
      } catch (err) {
        result.error = (err as Error).message;
        finish();
      }
    });
    socket.on('connect', () => {
      if (job.names && job.note && socket.localPort) unnote = job.note(socket.localPort, job.names, job.port);
      void talk();
    });

    const talk = async (): Promise<void> => {
      const greeting = await expect((c) => c === 220);
      if (!greeting) return finish();
      result.connected = true;
      send(`EHLO ${job.helo}`);
      let hello = await expect((c) => c === 250);
      const esmtp = !!hello;
      if (!hello && result.error && !result.temporary) {
        send(`HELO ${job.helo}`);
        result.error = undefined;
        hello = await expect((c) => c === 250);
      }
      if (!hello) return finish();
      // an extension is used only when the EHLO reply lists it (RFC 5321 §4.1.1.1); a HELO server lists none
      const extensions = esmtp ? hello.text.split('\n').slice(1).map((l) => l.split(' ')[0].toUpperCase()) : [];
      const body = job.body && extensions.includes('8BITMIME') ? ` BODY=${job.body}` : '';
      send(`MAIL FROM:<${job.from}>${body}`);
      if (!(await expect((c) => c === 250))) return quit();
      for (const address of job.rcpts) {
        send(`RCPT TO:<${address}>`);
        const r = await next();
        if (!r) return finish();
        result.transcript.push(`S: ${r.code} ${r.text.split('\n')[0]}`);
        result.rcpts.push({ address, reply: r });
      }
      if (!result.rcpts.some((r) => r.reply.code === 250 || r.reply.code === 251)) {
        result.error = 'no recipient accepted';
        result.temporary = result.rcpts.some((r) => r.reply.code < 500);
        return quit();
      }
      send('DATA');
      if (!(await expect((c) => c === 354))) return quit();
      result.transcript.push(`C: (message, ${job.data.length} bytes, then ".")`);
      socket.write(dotStuff(job.data));
      const final = await expect((c) => c === 250);
      if (final) {
        result.final = final;
        result.temporary = false;
      }
      return quit();
    };
    const quit = async (): Promise<void> => {
      if (!socket.destroyed) {
        send('QUIT');
        await expect((c) => c === 221);
      }
      finish();
    };
  });
}
