/**
 * The index protocol a person can type with nc: Napster's central index (K&R §2.5) and a
 * KaZaA super-node's index of its children speak it. One line per command, one reply line
 * (a search: one line per hit, then a count), numbered like FTP's replies:
 *
 *   LOGIN name port          201   (the peer serves its files over HTTP at its address:port)
 *   ADD index size name      202   (one of its files: GET /get/<index>/<name> on that port)
 *   SEARCH words …           210 name size ip:port index peer (per hit), then 211 N hits
 *   QUIT                     221
 *
 * Pure: a session takes a line and gives back reply lines; the sockets live in index-server.ts.
 */
export const MAX_LINE = 512;
export const MAX_HITS = 50;
/** a session that sends this many bad lines in a row is closed */
export const MAX_ERRORS = 10;
export const INDEX_HELP = 'LOGIN name port | ADD index size name | SEARCH words | QUIT';

const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export interface IndexEntry {
  peer: string;
  ip: string;
  port: number;
  index: number;
  size: number;
  name: string;
}

/** the index: who holds which file */
export class FileIndex {
  private entries = new Map<string, IndexEntry>();

  add(e: IndexEntry): void {
    this.entries.set(`${e.ip}:${e.port}/${e.index}`, e);
  }

  removePeer(ip: string, port: number): void {
    for (const [k, e] of this.entries) if (e.ip === ip && e.port === port) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  search(words: string): IndexEntry[] {
    return searchEntries([...this.entries.values()], words);
  }
}

/** every word of the criteria appears in the file's name (case does not matter) */
export function matches(name: string, criteria: string): boolean {
  const n = name.toLowerCase();
  const words = criteria.toLowerCase().split(/\s+/).filter(Boolean);
  return words.length > 0 && words.every((w) => n.includes(w));
}

export function searchEntries(entries: readonly IndexEntry[], criteria: string): IndexEntry[] {
  return entries.filter((e) => matches(e.name, criteria)).slice(0, MAX_HITS);
}

export const hitLine = (e: IndexEntry): string => `210 ${e.name} ${e.size} ${e.ip}:${e.port} ${e.index} ${e.peer}`;

/** a 210 line back into an entry (the asking peer reads its answer) */
export function parseHitLine(line: string): IndexEntry | null {
  const m = /^210 (\S+) (\d+) (\d+\.\d+\.\d+\.\d+):(\d+) (\d+) (\S+)$/.exec(line);
  return m ? { name: m[1], size: Number(m[2]), ip: m[3], port: Number(m[4]), index: Number(m[5]), peer: m[6] } : null;
}

export type IndexReply = { lines: string[]; close?: boolean } | { search: string };

export class IndexSession {
  peer: { name: string; port: number } | null = null;
  private errors = 0;

  constructor(
    readonly index: FileIndex,
    /** the client's address as the socket sees it */
    readonly ip: string,
  ) {}

  /** a whole line (without its CRLF); a search is answered by the caller (it may flood first) */
  line(text: string): IndexReply {
    const [verb = '', ...args] = text.trim().split(/\s+/);
    const reply = this.dispatch(verb.toUpperCase(), args);
    if ('lines' in reply && reply.lines[0] && /^5/.test(reply.lines[0])) {
      if (++this.errors >= MAX_ERRORS) return { lines: [...reply.lines, '421 too many errors, closing'], close: true };
    } else this.errors = 0;
    return reply;
  }

  tooLong(): IndexReply {
    return ++this.errors >= MAX_ERRORS ? { lines: ['552 line too long', '421 too many errors, closing'], close: true } : { lines: [`552 line too long (at most ${MAX_LINE} bytes)`] };
  }

  private dispatch(verb: string, args: string[]): IndexReply {
    switch (verb) {
      case 'LOGIN': {
        const [name, port] = args;
        if (args.length !== 2 || !NAME.test(name) || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return { lines: ['501 syntax: LOGIN name port'] };
        if (this.peer) this.index.removePeer(this.ip, this.peer.port);
        this.peer = { name, port: Number(port) };
        return { lines: [`201 welcome ${name}, your files are fetched from http://${this.ip}:${port}/get/<index>/<name>`] };
      }
      case 'ADD': {
        if (!this.peer) return { lines: ['503 LOGIN first'] };
        const [index, size, name] = args;
        if (args.length !== 3 || !/^\d{1,9}$/.test(index) || !/^\d{1,10}$/.test(size) || Number(size) > 0xffffffff || !NAME.test(name)) return { lines: ['501 syntax: ADD index size name (name: letters, digits, . _ -)'] };
        this.index.add({ peer: this.peer.name, ip: this.ip, port: this.peer.port, index: Number(index), size: Number(size), name });
        return { lines: [`202 added ${name}`] };
      }
      case 'SEARCH': {
        const words = args.join(' ');
        if (!words || !/^[\x20-\x7e]{1,200}$/.test(words)) return { lines: ['501 syntax: SEARCH words'] };
        return { search: words };
      }
      case 'QUIT':
        return { lines: ['221 bye'], close: true };
      case '':
        return { lines: ['500 empty line; commands: ' + INDEX_HELP] };
      default:
        return { lines: [`500 unknown command '${verb.slice(0, 20)}'; commands: ${INDEX_HELP}`] };
    }
  }
}
