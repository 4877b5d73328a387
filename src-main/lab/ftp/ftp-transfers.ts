/**
 * The commands that move bytes over a data connection (RFC 959 §4.1.3): LIST, NLST, MLSD,
 * RETR, STOR. Each takes the connection its PASV/PORT prepared, says 150 (or 125 when the
 * client had connected already), sends or receives, and ends with 226 once the data
 * connection is closed — the control connection stays open throughout (Kurose & Ross §2.3:
 * FTP's control is "out of band").
 */
import type net from 'node:net';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FtpFiles } from './ftp-files';
import { listLines, mlsdLines, nameLines } from './ftp-listing';

export interface TransferContext {
  files: FtpFiles;
  ascii: boolean;
  maxFileBytes: number;
  reply(code: number, text: string): void;
  /** the data connection for this command, or null after a 425 was sent */
  data(label: string, what: string): Promise<net.Socket | null>;
  note(text: string): void;
  /** while a transfer runs: ABOR destroys it */
  running(socket: net.Socket | null): void;
}

/** bytes per read of a file sent by RETR */
const READ_CHUNK = 1024 * 1024;

/** NVT-ASCII on the wire (RFC 959 §3.1.1.1): a file's bare LF leaves as CRLF */
function toNetAscii(): Transform {
  let lastCr = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const out: number[] = [];
      for (const b of chunk) {
        if (b === 0x0a && !lastCr) out.push(0x0d);
        out.push(b);
        lastCr = b === 0x0d;
      }
      done(null, Buffer.from(out));
    },
  });
}

/** ... and an upload's CRLF is stored as the system's LF */
function fromNetAscii(): Transform {
  let heldCr = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const out: number[] = [];
      for (const b of chunk) {
        if (heldCr && b !== 0x0a) out.push(0x0d);
        heldCr = b === 0x0d;
        if (!heldCr) out.push(b);
      }
      done(null, Buffer.from(out));
    },
    flush(done) {
      done(null, heldCr ? Buffer.from([0x0d]) : undefined);
    },
  });
}

function finish(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.end();
  });
}

export async function sendListing(ctx: TransferContext, verb: 'LIST' | 'NLST' | 'MLSD', arg: string): Promise<void> {
  // LIST -la (what many clients send): options are not a path
  const pathArg = arg.replace(/^(-[a-zA-Z]+\s*)+/, '');
  const v = ctx.files.virtual(pathArg);
  const entries = await ctx.files.list(v);
  if (!entries) return ctx.reply(550, `${pathArg || v}: No such file or directory.`);
  if (verb === 'MLSD' && entries.length === 1 && !entries[0].dir && (await ctx.files.stat(v))?.isFile()) return ctx.reply(501, `${v} is not a directory.`);
  const text = verb === 'LIST' ? listLines(entries, ctx.files.writable) : verb === 'NLST' ? nameLines(entries) : mlsdLines(entries, ctx.files.writable);
  const socket = await ctx.data(`${verb}${arg ? ` ${arg}` : ''}`, `${verb === 'MLSD' ? 'MLSD' : 'directory'} listing of ${v}`);
  if (!socket) return;
  ctx.running(socket);
  socket.resume();
  const ok = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.write(text, (err) => resolve(!err));
  });
  await finish(socket);
  ctx.running(null);
  if (ok) ctx.reply(226, `Transfer complete: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, closing data connection.`);
  else ctx.reply(426, 'Connection closed; transfer aborted.');
}

export async function retrieve(ctx: TransferContext, arg: string): Promise<void> {
  if (!arg) return ctx.reply(501, 'RETR needs a file name.');
  const v = ctx.files.virtual(arg);
  const handle = await ctx.files.openRead(v).catch(() => null);
  if (!handle) return ctx.reply(550, `${arg}: No such file or not readable.`);
  try {
    const size = (await handle.stat()).size;
    const socket = await ctx.data(`RETR ${arg}`, `${ctx.ascii ? 'ASCII' : 'BINARY'} mode data connection for ${v} (${size} bytes)`);
    if (!socket) return;
    ctx.running(socket);
    socket.resume();
    // reads of 1 MiB, not the stream default's 64 KiB: a 100 MiB file is 100 reads in the thread
    // pool and 100 socket writes instead of 1,600 of each (vsftpd hands the file to sendfile)
    const stream = handle.createReadStream({ autoClose: false, highWaterMark: READ_CHUNK });
    const ok = await pipeline(ctx.ascii ? [stream, toNetAscii(), socket] : [stream, socket] as never).then(
      () => true,
      () => false,
    );
    ctx.running(null);
    if (!ok) {
      socket.destroy();
      return ctx.reply(426, 'Connection closed; transfer aborted.');
    }
    ctx.reply(226, `Transfer complete: ${size} bytes sent, closing data connection.`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export async function store(ctx: TransferContext, arg: string): Promise<void> {
  if (!arg) return ctx.reply(501, 'STOR needs a file name.');
  if (!ctx.files.writable) return ctx.reply(550, 'Permission denied: the public area is read-only.');
  const v = ctx.files.virtual(arg);
  const upload = await ctx.files.openUpload(v).catch(() => null);
  if (!upload) return ctx.reply(553, `${arg}: file name not allowed (no such folder, or a folder).`);
  const socket = await ctx.data(`STOR ${arg}`, `${ctx.ascii ? 'ASCII' : 'BINARY'} mode data connection for ${v}`);
  if (!socket) return upload.discard();
  ctx.running(socket);
  let received = 0;
  let overflow = false;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > ctx.maxFileBytes) {
        overflow = true;
        done(new Error('over the size limit'));
      } else done(null, chunk);
    },
  });
  // the handle stays open for commit's fsync (a file WriteStream that does not close its fd never ends a pipeline)
  const handle = upload.handle;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      handle.write(chunk).then(() => done(), done);
    },
  });
  const ok = await pipeline(ctx.ascii ? [socket, limit, fromNetAscii(), sink] : [socket, limit, sink] as never).then(
    () => true,
    () => false,
  );
  ctx.running(null);
  socket.destroy();
  if (!ok) {
    await upload.discard();
    if (overflow) {
      ctx.note(`STOR ${arg}: more than ${ctx.maxFileBytes} bytes (the lab's file size limit): upload discarded, the old file (if any) kept`);
      return ctx.reply(452, `Requested action not taken: ${arg} is over ${ctx.maxFileBytes} bytes, the server's limit; nothing stored.`);
    }
    return ctx.reply(426, 'Connection closed; transfer aborted; nothing stored.');
  }
  try {
    await upload.commit();
  } catch {
    return ctx.reply(452, 'Requested action not taken: error writing the file.');
  }
  ctx.reply(226, `Transfer complete: ${received} bytes stored as ${v}.`);
}
