/**
 * One FTP control connection (RFC 959), no listening socket of its own: the state kept per
 * session — who logged in, the working directory, the transfer type, the data port that a
 * PASV or PORT prepared, a pending RNFR — and one command answered at a time, in order.
 * Guards run in a fixed order before the command table: line too long, HTTP on the FTP
 * port, too many unknown commands, not logged in.
 */
import type { LoginGuard } from '../mail/login-throttle';
import { formatEpsv, formatHostPort, formatReply, MAX_FTP_LINE, parseCommand, parseEprt, parseHostPort, timeVal } from './ftp-codec';
import type { FtpDataPort } from './ftp-data';
import type { FtpFiles } from './ftp-files';
import { retrieve, sendListing, store, type TransferContext } from './ftp-transfers';
import type net from 'node:net';

export interface FtpAccounts {
  /** USER and PASS checked: the files of that account, or null (anonymous takes any password) */
  login(user: string, password: string): Promise<FtpFiles | null>;
  logins: LoginGuard;
  maxFileBytes(): number;
}

export interface FtpOutput {
  send(data: string): void;
  close(reason: string): void;
  note(text: string): void;
}

const TOO_LONG = '\u0000too-long';
const MAX_UNKNOWN = 10;
const FEATURES = ['EPRT', 'EPSV', 'MDTM', 'MLST type*;size*;modify*;perm*;', 'PASV', 'SIZE', 'TVFS', 'UTF8'];
/** commands answered before login (RFC 959 §5.4 lets the rest say 530) */
const BEFORE_LOGIN = new Set(['USER', 'PASS', 'QUIT', 'SYST', 'FEAT', 'NOOP', 'HELP', 'OPTS', 'AUTH']);

export class FtpSession {
  private buf = '';
  private discarding = false;
  private lines: string[] = [];
  private pumping = false;
  private closed = false;
  private unknown = 0;
  private user: string | null = null;
  private files: FtpFiles | null = null;
  private ascii = true;
  private renameFrom: string | null = null;
  private transfer: net.Socket | null = null;

  constructor(
    private accounts: FtpAccounts,
    private data: FtpDataPort,
    private out: FtpOutput,
  ) {}

  greet(): void {
    this.reply(220, 'NetLab FTP server ready (RFC 959). Log in as a lab user, or as anonymous.');
  }

  /** a transfer is running (the idle timer leaves the control connection alone meanwhile) */
  get busy(): boolean {
    return this.transfer !== null || this.pumping;
  }

  get queued(): number {
    return this.lines.length;
  }

  receive(chunk: Buffer): void {
    if (this.closed) return;
    this.buf += chunk.toString('latin1');
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) {
        if (this.buf.length > MAX_FTP_LINE) {
          this.discarding = true;
          this.buf = '';
        }
        break;
      }
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      const tooLong = this.discarding || line.length > MAX_FTP_LINE;
      this.discarding = false;
      // ABOR cannot wait behind the transfer it stops (RFC 959 §4.1.3)
      if (!tooLong && /^\s*ABOR\s*$/i.test(line) && this.transfer) {
        this.out.note('ABOR: the data connection is closed at once');
        this.transfer.destroy();
        this.lines.push(line);
        continue;
      }
      this.lines.push(tooLong ? TOO_LONG : line);
    }
    void this.pump();
  }

  ended(): void {
    this.closed = true;
    this.data.reset();
    this.transfer?.destroy();
  }

  private reply(code: number, text: string | string[]): void {
    if (!this.closed) this.out.send(formatReply(code, text));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.lines.length > 0 && !this.closed) {
        const line = this.lines.shift() ?? '';
        try {
          await this.command(line);
        } catch (err) {
          this.out.note(`${line.split(' ')[0]}: ${(err as Error).message}`);
          // a link that leads out of the root (confined-fs) is a file the user may not have
          if ((err as NodeJS.ErrnoException).code === 'EOUTSIDE') this.reply(550, 'Requested action not taken: outside your area.');
          else this.reply(451, 'Requested action aborted: local error in processing.');
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async command(line: string): Promise<void> {
    if (line === TOO_LONG) return this.reply(500, `Command line too long (at most ${MAX_FTP_LINE} characters).`);
    const { verb, arg } = parseCommand(line);
    if (/^(GET|POST|PUT|HEAD|OPTIONS|CONNECT)$/.test(verb) && /HTTP\/\d/.test(line)) {
      this.reply(500, 'This is an FTP server, not a web server.');
      this.closed = true;
      return this.out.close('an HTTP request on the FTP port: the server closes the connection');
    }
    if (!/^[A-Z]{3,4}$/.test(verb)) return this.unknownCommand(verb);
    if (!this.files && !BEFORE_LOGIN.has(verb) && HANDLERS[verb]) return this.reply(530, 'Not logged in.');
    const handler = HANDLERS[verb];
    if (!handler) return this.unknownCommand(verb);
    if (verb !== 'RNTO') {
      const pending = this.renameFrom;
      await handler(this, arg);
      if (pending !== null && this.renameFrom === pending && verb !== 'RNFR') this.renameFrom = null;
      return;
    }
    await handler(this, arg);
  }

  private unknownCommand(verb: string): void {
    this.unknown += 1;
    if (this.unknown > MAX_UNKNOWN) {
      this.reply(421, 'Too many unrecognised commands, closing control connection.');
      this.closed = true;
      return this.out.close(`more than ${MAX_UNKNOWN} unrecognised commands: the server closes the connection`);
    }
    this.reply(500, `${verb.slice(0, 40) || '(empty)'}: syntax error, command unrecognized.`);
  }

  private transferContext(): TransferContext {
    return {
      files: this.files as FtpFiles,
      ascii: this.ascii,
      maxFileBytes: this.accounts.maxFileBytes(),
      reply: (code, text) => this.reply(code, text),
      note: (text) => this.out.note(text),
      running: (socket) => {
        this.transfer = socket;
      },
      data: async (label, what) => {
        if (!this.data.ready) {
          this.reply(425, 'Use PORT, EPRT, PASV or EPSV first.');
          return null;
        }
        try {
          const { socket, alreadyOpen } = await this.data.open(label);
          this.reply(alreadyOpen ? 125 : 150, alreadyOpen ? `Data connection already open; transfer starting (${what}).` : `Opening ${what}.`);
          return socket;
        } catch (err) {
          this.out.note(`${label}: no data connection: ${(err as Error).message}`);
          this.reply(425, "Can't open data connection.");
          return null;
        }
      },
    };
  }

  static readonly handlers: Record<string, (s: FtpSession, arg: string) => void | Promise<void>> = {
    USER: (s, arg) => {
      if (!arg) return s.reply(501, 'USER needs a name.');
      if (s.files) return s.reply(503, 'Already logged in; QUIT and connect again to change user.');
      s.user = arg;
      s.reply(331, arg.toLowerCase() === 'anonymous' || arg.toLowerCase() === 'ftp' ? 'Anonymous login ok, send your e-mail address as password.' : 'User name okay, need password.');
    },
    PASS: async (s, arg) => {
      if (s.files) return s.reply(503, 'Already logged in.');
      if (s.user === null) return s.reply(503, 'Login with USER first.');
      const user = s.user;
      s.user = null;
      const locked = s.accounts.logins.lockedFor();
      if (locked > 0) return s.reply(530, 'Too many failed logins from your address; try again later.');
      const files = await s.accounts.login(user, arg);
      if (!files) {
        const verdict = await s.accounts.logins.failed((t) => s.out.note(t));
        s.reply(530, 'Login incorrect.');
        if (verdict.kind !== 'retry') {
          s.closed = true;
          s.out.close('too many failed logins: the server closes the connection');
        }
        return;
      }
      s.files = files;
      s.out.note(`logged in as ${user}: root ${files.root}${files.writable ? '' : ' (read-only)'}`);
      s.reply(230, files.writable ? 'User logged in, proceed.' : 'Anonymous access granted: the public area, read-only.');
    },
    QUIT: (s) => {
      s.reply(221, 'Goodbye: service closing control connection.');
      s.closed = true;
      s.data.reset();
      s.out.close('QUIT: the server closes the control connection');
    },
    SYST: (s) => s.reply(215, 'UNIX Type: L8'),
    FEAT: (s) => s.reply(211, ['Features:', ...FEATURES, 'End']),
    NOOP: (s) => s.reply(200, 'NOOP ok.'),
    HELP: (s) => s.reply(214, ['The following commands are recognized:', Object.keys(HANDLERS).join(' '), 'Help ok.']),
    OPTS: (s, arg) => (/^UTF8 ON$/i.test(arg.trim()) ? s.reply(200, 'Always in UTF8 mode.') : s.reply(501, 'Option not understood.')),
    AUTH: (s) => s.reply(502, 'TLS is not offered on this port.'),
    SITE: (s) => s.reply(502, 'SITE commands are not implemented.'),
    PWD: (s) => s.reply(257, `"${s.files?.cwd.replace(/"/g, '""')}" is the current directory.`),
    CWD: async (s, arg) => ((await s.files?.changeDir(arg)) ? s.reply(250, `Directory changed to ${s.files?.cwd}.`) : s.reply(550, `${arg}: No such directory.`)),
    CDUP: async (s) => ((await s.files?.changeDir('..')) ? s.reply(250, `Directory changed to ${s.files?.cwd}.`) : s.reply(550, 'No parent directory.')),
    TYPE: (s, arg) => {
      const t = arg.trim().toUpperCase();
      if (t === 'A' || t === 'A N') s.ascii = true;
      else if (t === 'I' || t === 'L 8') s.ascii = false;
      else return s.reply(504, `Type ${arg} not implemented for that parameter (A or I).`);
      s.reply(200, `Type set to ${s.ascii ? 'A (ASCII)' : 'I (binary)'}.`);
    },
    MODE: (s, arg) => (arg.trim().toUpperCase() === 'S' ? s.reply(200, 'Mode set to S.') : s.reply(504, 'Only stream mode (S).')),
    STRU: (s, arg) => (arg.trim().toUpperCase() === 'F' ? s.reply(200, 'Structure set to F.') : s.reply(504, 'Only file structure (F).')),
    PASV: async (s) => {
      if (s.data.localAddress.includes(':')) return s.reply(425, 'PASV speaks IPv4 only; use EPSV on an IPv6 connection (RFC 2428).');
      const port = await s.data.passive();
      s.reply(227, `Entering Passive Mode (${formatHostPort(s.data.localAddress, port)}).`);
    },
    EPSV: async (s, arg) => {
      if (/^ALL$/i.test(arg.trim())) return s.reply(200, 'EPSV ALL ok.');
      if (arg.trim() && arg.trim() !== (s.data.localAddress.includes(':') ? '2' : '1')) return s.reply(522, `Network protocol not supported, use (${s.data.localAddress.includes(':') ? 2 : 1}).`);
      s.reply(229, formatEpsv(await s.data.passive()));
    },
    PORT: (s, arg) => {
      const hp = parseHostPort(arg);
      if (!hp) return s.reply(501, 'Syntax error in parameters: PORT h1,h2,h3,h4,p1,p2.');
      const refused = s.data.active(hp.host, hp.port);
      if (refused) {
        s.out.note(`PORT refused: ${refused}`);
        return s.reply(501, `Rejected data connection: ${refused}.`);
      }
      s.reply(200, 'PORT command successful. Consider using PASV.');
    },
    EPRT: (s, arg) => {
      const e = parseEprt(arg);
      if (!e) return s.reply(501, 'Syntax error in parameters: EPRT |proto|address|port|.');
      if ('error' in e) return s.reply(522, 'Network protocol not supported, use (1,2).');
      const refused = s.data.active(e.host, e.port);
      if (refused) {
        s.out.note(`EPRT refused: ${refused}`);
        return s.reply(501, `Rejected data connection: ${refused}.`);
      }
      s.reply(200, 'EPRT command successful.');
    },
    LIST: (s, arg) => sendListing(s.transferContext(), 'LIST', arg),
    NLST: (s, arg) => sendListing(s.transferContext(), 'NLST', arg),
    MLSD: (s, arg) => sendListing(s.transferContext(), 'MLSD', arg),
    RETR: (s, arg) => retrieve(s.transferContext(), arg),
    STOR: (s, arg) => store(s.transferContext(), arg),
    // a running transfer was stopped when ABOR arrived (receive): its own reply said 426
    ABOR: (s) => s.reply(226, 'ABOR successful.'),
    SIZE: async (s, arg) => {
      const st = await s.files?.stat(s.files.virtual(arg)).catch(() => null);
      if (!st?.isFile()) return s.reply(550, `${arg}: not a plain file.`);
      s.reply(213, String(st.size));
    },
    MDTM: async (s, arg) => {
      const st = await s.files?.stat(s.files.virtual(arg)).catch(() => null);
      if (!st?.isFile()) return s.reply(550, `${arg}: not a plain file.`);
      s.reply(213, timeVal(st.mtime));
    },
    DELE: (s, arg) =>
      s.change(arg, async (f, v) => {
        if (!(await f.remove(v))) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
        s.reply(250, `${v} deleted.`);
      }),
    MKD: (s, arg) =>
      s.change(arg, async (f, v) => {
        await f.makeDir(v);
        s.reply(257, `"${v.replace(/"/g, '""')}" created.`);
      }),
    RMD: (s, arg) =>
      s.change(arg, async (f, v) => {
        await f.removeDir(v);
        s.reply(250, `${v} removed.`);
      }),
    RNFR: async (s, arg) => {
      if (!arg) return s.reply(501, 'RNFR needs a name.');
      if (!s.files?.writable) return s.reply(550, 'Permission denied: the public area is read-only.');
      const v = s.files.virtual(arg);
      if (!(await s.files.stat(v).catch(() => null))) return s.reply(550, `${arg}: No such file or directory.`);
      s.renameFrom = v;
      s.reply(350, 'Ready for RNTO: requested file action pending further information.');
    },
    RNTO: (s, arg) => {
      const from = s.renameFrom;
      s.renameFrom = null;
      if (from === null) return s.reply(503, 'Bad sequence of commands: RNFR first.');
      return s.change(arg, async (f, v) => {
        await f.rename(from, v);
        s.reply(250, `Renamed ${from} to ${v}.`);
      });
    },
  };

  /** A command that changes the files: refused for anonymous, filesystem errors as 550. */
  private async change(arg: string, act: (f: FtpFiles, vpath: string) => Promise<void>): Promise<void> {
    const f = this.files;
    if (!f) return this.reply(530, 'Not logged in.');
    if (!arg) return this.reply(501, 'A path is needed.');
    if (!f.writable) return this.reply(550, 'Permission denied: the public area is read-only.');
    try {
      await act(f, f.virtual(arg));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'No such file or directory' : code === 'EEXIST' ? 'Already exists' : code === 'ENOTEMPTY' ? 'Directory not empty' : code === 'EOUTSIDE' ? 'Outside your area' : 'Not allowed';
      this.reply(550, `${arg}: ${why}.`);
    }
  }
}

const HANDLERS = FtpSession.handlers;
