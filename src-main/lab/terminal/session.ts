/**
 * One terminal tab: a `netlab>` shell that runs telnet and nc the way a textbook exercise
 * expects them. Modes: shell (commands), connecting, connected (lines go to the remote),
 * escape (telnet's `telnet>` prompt after Ctrl-]).
 */
import { StringDecoder } from 'node:string_decoder';
import type { Dialled } from '../internet/internet';
import { HELP, parseCommand, type Command } from './commands';
import { LineEditor } from './line-editor';
import { complete } from './completion';
import { openTcp, openUdp, type Remote } from './remote';
import { FtpTerminalData } from './ftp-data';
import { addressLabel, transportLabel } from '../services/transport-label';
import { isTool, runTool, type SessionHost } from './tools';
import { refusedHint } from './refused-hint';

export type { SessionHost } from './tools';

type Mode = 'shell' | 'connecting' | 'connected' | 'escape';
type Connect = Extract<Command, { kind: 'connect' }>;

const SHELL_PROMPT = '\x1b[1;36mnetlab>\x1b[0m ';
const TELNET_PROMPT = 'telnet> ';
const OUTPUT_FLUSH_MS = 5;

/** Flow control (VS Code's terminalProcess habit): characters sent to the UI but not yet
 *  acknowledged as written; past HIGH the remote is paused, below LOW it resumes. */
const enum FlowControl {
  HighWatermarkChars = 100_000,
  LowWatermarkChars = 5_000,
}

export class TerminalSession {
  private editor = new LineEditor();
  private mode: Mode = 'shell';
  private remote: Remote | null = null;
  private connect: Connect | null = null;
  private decoder = new StringDecoder('utf8');
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  private ended = false;
  private unacked = 0;
  private paused = false;
  /** `ftp HOST`: the data connections the terminal opens after PASV/EPSV */
  private ftpData: FtpTerminalData | null = null;
  /** what was typed while a command was connecting or running, kept as a tty keeps type-ahead
   *  and read once it is done (a line typed right after `nc HOST PORT` goes to the server) */
  private typeahead = '';

  constructor(
    readonly id: number,
    private host: SessionHost,
    private emit: (data: string) => void,
    private onExit: () => void,
  ) {
    this.editor.completer = (before) => (this.mode === 'shell' ? complete(before, host.hosts().map((h) => h.name)) : null);
    const echo = host.services().find((x) => x.id === 'echo-tcp');
    const tryThis = echo ? `, or try \`telnet localhost ${echo.port}\`` : '';
    this.write(`\x1b[1mNetLab terminal\x1b[0m — type \`help\`${tryThis}.\r\n`);
    // not flushed here: the greeting leaves on the output timer, after the caller has
    // learned this session's id (over the bridge, the reply to terminal.open goes first)
    this.showPrompt();
  }

  input(data: string): void {
    while (data && !this.ended) {
      if (this.mode === 'connecting') {
        // Ctrl-C still interrupts at once and, as a tty does on SIGINT, drops what was typed ahead
        const cut = data.indexOf('\x03');
        if (cut < 0) {
          this.typeahead += data;
          break;
        }
        this.typeahead = '';
        data = data.slice(cut);
      }
      // a line at a time: the command on it may start connecting, and what follows it waits
      const end = /\r\n?|\n/.exec(data);
      const upTo = end ? end.index + end[0].length : data.length;
      this.feed(data.slice(0, upTo));
      data = data.slice(upTo);
    }
    this.flush();
  }

  private feed(data: string): void {
    for (const ev of this.editor.feed(data)) {
      switch (ev.type) {
        case 'output':
          // telnet and nc echo locally in line mode; the shell echoes too
          if (this.mode !== 'connecting') this.write(ev.text);
          break;
        case 'line':
          this.line(ev.line);
          break;
        case 'interrupt':
          this.interrupt();
          break;
        case 'escape':
          if (this.mode === 'connected' && this.connect?.tool !== 'nc') this.enterEscape();
          break;
        case 'eof':
          if (this.mode === 'connected') this.closeRemote();
          else if (this.mode === 'shell') this.exit();
          break;
        case 'clear':
          this.write('\x1b[2J\x1b[3J\x1b[H');
          this.write(this.editor.redraw());
          break;
      }
    }
  }

  /** The UI's terminal is `cols` wide (completions are listed in columns that fit). */
  resize(cols: number): void {
    this.editor.cols = cols;
  }

  /** The UI wrote `chars` characters to its screen. */
  ack(chars: number): void {
    this.unacked = Math.max(0, this.unacked - chars);
    if (this.paused && this.unacked < FlowControl.LowWatermarkChars) {
      this.paused = false;
      this.remote?.resume();
    }
  }

  close(): void {
    this.ended = true;
    this.remote?.close();
    this.remote = null;
    if (this.timer) clearTimeout(this.timer);
  }

  private line(line: string): void {
    if (this.mode === 'connected') {
      const c = this.connect;
      if (!c || !this.remote) return;
      this.remote.send(Buffer.from(line + (c.crlf ? '\r\n' : '\n')));
      this.ftpData?.command(line);
      return;
    }
    if (this.mode === 'escape') return this.telnetCommand(line.trim());
    if (this.mode === 'shell') this.command(line);
  }

  private command(line: string): void {
    const cmd = parseCommand(line);
    if (isTool(cmd)) return this.whenDone(runTool(this.host, cmd, this.id, line.trim()));
    switch (cmd.kind) {
      case 'empty':
        break;
      case 'help':
        this.println(HELP.join('\r\n'));
        break;
      case 'clear':
        this.write('\x1b[2J\x1b[3J\x1b[H');
        break;
      case 'history':
        this.editor.historyList().forEach((h, i) => this.println(`${String(i + 1).padStart(4)}  ${h}`));
        break;
      case 'hosts':
        this.println('NAME                          VIRTUAL ADDRESS   REACHED AT');
        for (const h of this.host.hosts()) this.println(`${h.name.padEnd(30)}${h.virtualAddress.padEnd(18)}127.0.0.1`);
        break;
      case 'services':
        this.println('SERVICE             PORT          STATE     ADDRESSES');
        for (const s of this.host.services()) {
          this.println(`${s.name.padEnd(20)}${`${transportLabel(s)} ${s.port}`.padEnd(14)}${s.state.padEnd(10)}${addressLabel(s)}`.trimEnd());
        }
        break;
      case 'exit':
        return this.exit();
      case 'error':
        this.println(cmd.message);
        break;
      case 'connect':
        return this.open(cmd);
    }
    this.showPrompt();
  }

  private open(cmd: Connect): void {
    // resolving may take a lab DNS query: what is typed meanwhile waits (typeahead)
    this.connect = cmd;
    this.mode = 'connecting';
    void this.host.internet.dial(cmd.host, cmd.port).then((where) => {
      if (this.ended || this.connect !== cmd) return;
      if (!where.ok && where.refused) {
        // as a real client meets a host with nothing on that port; then where it does answer
        const { virtualAddress, port } = where.refused;
        if (cmd.tool !== 'nc') this.println(`Trying ${virtualAddress}...`);
        this.unopenedLine(cmd, virtualAddress);
        const typed = cmd.tool === 'nc' && cmd.udp ? 'nc -u' : cmd.tool;
        for (const line of refusedHint(typed, where.refused, this.host.internet.routeList(), this.host.hosts())) this.println(line);
        this.backToShell();
        return;
      }
      if (!where.ok) {
        this.println(`${cmd.tool}: ${where.error}`);
        this.backToShell();
        return;
      }
      this.dial(cmd, where);
    });
  }

  /** dig/nslookup/dht: wait like `connecting`, then print and prompt again. */
  private whenDone(run: Promise<string[]>): void {
    this.mode = 'connecting';
    void run.then((lines) => {
      if (this.ended || this.mode !== 'connecting' || this.connect) return;
      for (const l of lines) this.println(l);
      this.backToShell();
    });
  }

  private dial(cmd: Connect, where: Extract<Dialled, { ok: true }>): void {
    this.decoder = new StringDecoder('utf8');
    const shown = where.virtualAddress ?? where.address;
    if (cmd.tool !== 'nc') this.println(`Trying ${shown}...`);
    const routed = where.port !== cmd.port ? where.port : undefined;
    const target = {
      address: where.address,
      port: where.port,
      server: { name: where.name, virtualAddress: where.virtualAddress, ...(routed ? { virtualPort: cmd.port } : {}) },
      client: { name: `terminal ${this.id}` },
    };
    // events of a connection the user already left are ignored
    let self: Remote | null = null;
    const current = (): boolean => !this.ended && self !== null && this.remote === self;
    const events = {
      connected: () => {
        if (!current()) return;
        this.mode = 'connected';
        this.editor.prompt = '';
        this.editor.setHistoryEnabled(false);
        this.editor.reset();
        if (cmd.tool !== 'nc') {
          const name = where.name ?? where.address;
          this.println(`Connected to ${name}${where.virtualAddress ? ` (${where.virtualAddress} → ${where.address}:${where.port})` : ''}.`);
          this.println("Escape character is '^]'.");
        }
        this.flush();
        this.readTypeahead();
      },
      data: (bytes: Buffer) => {
        if (!current()) return;
        this.ftpData?.replies(bytes);
        this.write(this.decoder.write(bytes).replace(/\r?\n/g, '\r\n'));
        if (!this.paused && this.unacked + this.pending.length > FlowControl.HighWatermarkChars) {
          this.paused = true;
          self?.pause();
        }
      },
      closed: (err?: NodeJS.ErrnoException) => {
        if (current()) this.remoteClosed(cmd, shown, err);
      },
    };
    this.paused = false; // a new connection starts unpaused; the old one's backlog is gone
    this.ftpData?.close();
    this.ftpData = cmd.tool === 'ftp' ? new FtpTerminalData(where.address, this.host.names, target, (text) => this.write(text)) : null;
    self = cmd.udp ? openUdp(this.host, target, events) : openTcp(this.host, target, events);
    this.remote = self;
  }

  private remoteClosed(cmd: Connect, shown: string, err?: NodeJS.ErrnoException): void {
    const wasConnected = this.mode === 'connected' || this.mode === 'escape';
    this.remote = null;
    this.ftpData?.close();
    this.ftpData = null;
    if (!wasConnected && err) {
      const reason = err.code === 'ECONNREFUSED' ? 'Connection refused' : err.code === 'ETIMEDOUT' ? 'Connection timed out' : err.message;
      this.unopenedLine(cmd, shown, reason);
    } else if (cmd.tool !== 'nc') {
      this.write(this.editor.line ? '\r\n' : '');
      this.println(err && err.code !== 'ECONNRESET' ? `Connection closed: ${err.message}` : 'Connection closed by foreign host.');
    } else if (err) {
      this.println(`nc: ${err.message}`);
    }
    this.backToShell();
  }

  /** telnet's and nc's own words for a connection that did not open */
  private unopenedLine(cmd: Connect, shown: string, reason = 'Connection refused'): void {
    if (cmd.tool !== 'nc') this.println(`${cmd.tool}: Unable to connect to remote host: ${reason}`);
    else this.println(`nc: connect to ${shown} port ${cmd.port} (${cmd.udp ? 'udp' : 'tcp'}) failed: ${reason}`);
  }

  private backToShell(): void {
    this.mode = 'shell';
    this.connect = null;
    this.editor.setHistoryEnabled(true);
    this.editor.reset();
    this.showPrompt();
    this.flush();
    this.readTypeahead();
  }

  private readTypeahead(): void {
    const typed = this.typeahead;
    this.typeahead = '';
    if (typed) this.input(typed);
  }

  private interrupt(): void {
    if (this.mode === 'connected' && this.connect?.tool === 'nc') return this.closeRemote();
    if (this.mode === 'connecting') return this.closeRemote();
    if (this.mode === 'escape') return this.resume();
    if (this.mode === 'shell') this.showPrompt();
  }

  private enterEscape(): void {
    this.mode = 'escape';
    this.editor.prompt = TELNET_PROMPT;
    this.editor.reset();
    this.write(TELNET_PROMPT);
  }

  private resume(): void {
    this.mode = 'connected';
    this.editor.prompt = '';
    this.editor.reset();
  }

  private telnetCommand(cmd: string): void {
    switch (cmd) {
      case '':
        return this.resume();
      case 'close':
      case 'c':
        this.println('Connection closed.');
        return this.closeRemote();
      case 'quit':
      case 'q':
        this.println('Connection closed.');
        return this.closeRemote();
      case 'status':
      case 'st':
        this.println(`Connected to ${this.connect?.host} port ${this.connect?.port}.`);
        return this.resume();
      default:
        this.println('Commands: close (close the connection), quit (leave telnet), status; Enter returns to the connection.');
        this.write(TELNET_PROMPT);
    }
  }

  private closeRemote(): void {
    this.ftpData?.close();
    this.ftpData = null;
    const remote = this.remote;
    this.remote = null;
    remote?.close();
    this.backToShell();
  }

  private exit(): void {
    this.close();
    this.println('logout');
    this.flush();
    this.onExit();
  }

  private showPrompt(): void {
    this.editor.prompt = SHELL_PROMPT;
    this.editor.reset();
    this.write(SHELL_PROMPT);
  }

  private println(text: string): void {
    this.write(`${text}\r\n`);
  }

  /** Output is gathered for a few ms and sent in one piece (xterm.js demo server's habit). */
  private write(text: string): void {
    if (!text) return;
    this.pending += text;
    if (!this.timer) this.timer = setTimeout(() => this.flush(), OUTPUT_FLUSH_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const data = this.pending;
    this.pending = '';
    this.unacked += data.length;
    this.emit(data);
  }
}
