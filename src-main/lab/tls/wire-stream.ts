/**
 * The stream Node's TLS engine runs over on a lab connection: the tap feeds it the bytes read
 * from the wire, and the engine's records come out through it to the tap, which sends and
 * records them. Node wraps it in its JSStreamSocket, which uses only this much of a stream:
 * 'data', 'end', 'close' and 'error' events, pause/resume (the engine's read stop and start),
 * cork/write/uncork, end and destroy. A stream.Duplex's buffering and state machine cost on
 * every record both ways (a keep-alive request is one record in, one out), so this is not one.
 */
import { EventEmitter } from 'node:events';

export class WireStream extends EventEmitter {
  /** what JSStreamSocket and TLSSocket read of a stream */
  readable = true;
  writable = true;
  readonly allowHalfOpen = true;
  private paused = false;
  private queued: Buffer[] = [];
  private eof = false;
  private eofSent = false;
  private destroyed = false;
  private flushing = false;

  constructor(
    /** a record for the peer: `done` once the wire has taken it */
    private readonly out: (chunk: Buffer, done: () => void) => void,
    /** the engine is done sending (close_notify sent) */
    private readonly finished: () => void,
  ) {
    super();
  }

  /** Bytes from the wire, for the engine (held while it does not read). */
  push(chunk: Buffer): void {
    if (this.destroyed) return;
    if (this.paused || this.queued.length) this.queued.push(chunk);
    else this.emit('data', chunk);
  }

  /** The peer ended its side: end of stream for the engine, after what is held. */
  pushEnd(): void {
    if (this.destroyed || this.eof) return;
    this.eof = true;
    if (!this.paused && !this.queued.length) this.sendEof();
  }

  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    this.paused = false;
    // the engine asks from inside its own call: what is held goes on the next tick, as a Readable's resume does
    if ((this.queued.length || (this.eof && !this.eofSent)) && !this.flushing) {
      this.flushing = true;
      process.nextTick(() => this.flush());
    }
    return this;
  }

  cork(): void {}
  uncork(): void {}

  write(chunk: Buffer, done: (err?: Error | null) => void): boolean {
    if (this.destroyed || !this.writable) return false;
    this.out(chunk, () => done());
    return true;
  }

  end(done?: () => void): this {
    if (this.writable) {
      this.writable = false;
      this.finished();
    }
    if (done) process.nextTick(done);
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.readable = this.writable = false;
    this.queued = [];
    process.nextTick(() => this.emit('close'));
    return this;
  }

  private flush(): void {
    this.flushing = false;
    while (!this.paused && !this.destroyed && this.queued.length) this.emit('data', this.queued.shift()!);
    if (!this.paused && !this.queued.length && this.eof) this.sendEof();
  }

  private sendEof(): void {
    if (this.eofSent || this.destroyed) return;
    this.eofSent = true;
    this.readable = false;
    this.emit('end');
  }
}
