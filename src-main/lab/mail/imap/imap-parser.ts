/**
 * IMAP's command syntax (RFC 3501 §9, RFC 9051 §9), pure: the reader that cuts a byte stream
 * into commands — a line, and a literal `{n}` (or LITERAL+'s `{n+}`, RFC 7888) whose n bytes
 * follow — and the tokenizer that turns one into atoms, strings and parenthesised lists.
 * Every length a client controls is capped.
 */

/** one command line, its literals included, before the tokens are read */
export const MAX_IMAP_LINE = 8 * 1024;
/** a literal's size: an APPENDed message as large as SMTP accepts */
export const MAX_LITERAL = 10 * 1024 * 1024;
/** before login a literal can only be a name or a password: a stranger gets no 10 MiB buffers */
export const MAX_LITERAL_BEFORE_LOGIN = 8 * 1024;
const MAX_LITERALS = 16;
const MAX_DEPTH = 8;
const MAX_TOKENS = 2000;

export type Token = { kind: 'atom'; v: string } | { kind: 'string'; v: Buffer } | { kind: 'list'; items: Token[] };

/** what the reader hands the session */
export type ReaderEvent =
  /** a whole command: its line pieces, each followed by the literal it announced */
  | { kind: 'command'; parts: string[]; literals: Buffer[] }
  /** a synchronizing literal is announced: say `+` for the client to send it */
  | { kind: 'continue' }
  /** refused: a line or literal too long (the tag, when it could be read) */
  | { kind: 'too-big'; tag: string; what: string; fatal: boolean };

const LITERAL_AT_END = /\{(\d{1,12})(\+?)\}$/;

/** Cuts the client's bytes into commands; literals are read as bytes, never as lines. */
export class CommandReader {
  /** the largest literal taken now (the session raises it after login) */
  maxLiteral = MAX_LITERAL;
  private buf: Buffer = Buffer.alloc(0);
  /** chunks of a literal still arriving, joined once it is whole (not once per chunk) */
  private held: Buffer[] = [];
  private heldSize = 0;
  private parts: string[] = [];
  private literals: Buffer[] = [];
  private want = -1;
  private skip = 0;
  private size = 0;

  push(chunk: Buffer): ReaderEvent[] {
    if (this.want > 0 && this.buf.length + this.heldSize + chunk.length < this.want) {
      this.held.push(chunk);
      this.heldSize += chunk.length;
      return [];
    }
    this.buf = this.buf.length || this.held.length ? Buffer.concat([this.buf, ...this.held, chunk]) : chunk;
    this.held = [];
    this.heldSize = 0;
    const out: ReaderEvent[] = [];
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buf.length);
        this.skip -= n;
        this.buf = this.buf.subarray(n);
        if (this.skip > 0) break;
      }
      if (this.want >= 0) {
        if (this.buf.length < this.want) break;
        this.literals.push(Buffer.from(this.buf.subarray(0, this.want)));
        this.buf = this.buf.subarray(this.want);
        this.want = -1;
        continue;
      }
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) {
        if (this.buf.length + this.size > MAX_IMAP_LINE) {
          out.push(this.refuse('command line', true));
          this.buf = Buffer.alloc(0);
        }
        break;
      }
      const line = this.buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      this.buf = this.buf.subarray(nl + 1);
      this.size += line.length;
      this.parts.push(line);
      if (this.size > MAX_IMAP_LINE || this.parts.length > MAX_LITERALS + 1) {
        out.push(this.refuse('command line', false));
        continue;
      }
      const lit = LITERAL_AT_END.exec(line);
      if (!lit) {
        out.push({ kind: 'command', parts: this.parts, literals: this.literals });
        this.reset();
        continue;
      }
      const n = Number(lit[1]);
      const plus = lit[2] === '+';
      if (n > this.maxLiteral) {
        // a synchronizing literal is refused before it is sent; a LITERAL+ one is on its way: skip it
        const tooBig = this.refuse(`literal of ${n} octets`, false);
        if (plus) this.skip = n;
        out.push(tooBig);
        continue;
      }
      this.want = n;
      if (!plus) out.push({ kind: 'continue' });
    }
    return out;
  }

  private refuse(what: string, fatal: boolean): ReaderEvent {
    const tag = /^[^\s(){%*"\\\]]{1,64}/.exec(this.parts[0] ?? this.buf.subarray(0, 64).toString('latin1'))?.[0] ?? '*';
    this.reset();
    return { kind: 'too-big', tag, what, fatal };
  }

  private reset(): void {
    this.parts = [];
    this.literals = [];
    this.size = 0;
  }
}

export class ParseError extends Error {}

/** The tokens of a command after its tag and verb. */
export function tokenize(parts: string[], literals: Buffer[]): Token[] {
  let seg = 0;
  let text = parts[0] ?? '';
  let i = 0;
  let count = 0;
  const skipSpace = (): void => {
    while (text[i] === ' ') i += 1;
  };
  const readList = (close: string | null, depth: number): Token[] => {
    if (depth > MAX_DEPTH) throw new ParseError('lists nested too deep');
    const items: Token[] = [];
    for (;;) {
      skipSpace();
      if (i >= text.length) {
        if (close) throw new ParseError(`missing "${close}"`);
        return items;
      }
      if (++count > MAX_TOKENS) throw new ParseError('too many arguments');
      const c = text[i];
      if (c === ')') {
        if (close !== ')') throw new ParseError('unexpected ")"');
        i += 1;
        return items;
      }
      if (c === '(') {
        i += 1;
        items.push({ kind: 'list', items: readList(')', depth + 1) });
      } else if (c === '"') items.push({ kind: 'string', v: Buffer.from(quoted(), 'latin1') });
      else if (c === '{' && LITERAL_AT_END.test(text.slice(i))) {
        const lit = literals[seg];
        if (!lit) throw new ParseError('literal missing');
        items.push({ kind: 'string', v: lit });
        seg += 1;
        text = parts[seg] ?? '';
        i = 0;
      } else items.push({ kind: 'atom', v: atom() });
    }
  };
  const quoted = (): string => {
    let s = '';
    i += 1;
    for (;;) {
      if (i >= text.length) throw new ParseError('unterminated quoted string');
      const c = text[i++];
      if (c === '"') return s;
      if (c === '\\') {
        const e = text[i++];
        if (e !== '"' && e !== '\\') throw new ParseError('bad escape in quoted string');
        s += e;
      } else s += c;
    }
  };
  /** an atom; a "[...]" inside it (BODY[HEADER.FIELDS (A B)]) may hold spaces and parentheses */
  const atom = (): string => {
    const start = i;
    let bracket = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '[') bracket += 1;
      else if (c === ']') bracket -= 1;
      else if (bracket === 0 && (c === ' ' || c === '(' || c === ')' || c === '"')) break;
      if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) throw new ParseError('control character in an atom');
      i += 1;
    }
    if (bracket !== 0) throw new ParseError('missing "]"');
    if (i === start) throw new ParseError(`unexpected "${text[i]}"`);
    return text.slice(start, i);
  };
  return readList(null, 0);
}

/** An argument as text: an atom, or a string (quoted or literal). */
export function asString(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'atom') return t.v;
  if (t.kind === 'string') return t.v.toString('utf8');
  return undefined;
}

/** A string to send: quoted when it can be, else a literal (RFC 3501 §4.3). NIL for null. */
export function imapString(s: string | Buffer | null | undefined): string {
  if (s === null || s === undefined) return 'NIL';
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  const text = b.toString('latin1');
  if (b.length < 1024 && !/[\r\n"\\\x00\x80-\xff]/.test(text)) return `"${text}"`;
  return `{${b.length}}\r\n${text}`;
}

/** A sequence set (`1:3,7,9:*`) against the largest number; null when it is not one. */
export function parseSet(text: string, max: number): ((n: number) => boolean) | null {
  if (!/^(\d{1,10}|\*)(:(\d{1,10}|\*))?(,(\d{1,10}|\*)(:(\d{1,10}|\*))?)*$/.test(text)) return null;
  const num = (s: string): number => (s === '*' ? max : Number(s));
  const ranges = text.split(',').map((r) => {
    const [a, b = a] = r.split(':');
    const x = num(a);
    const y = num(b);
    return [Math.min(x, y), Math.max(x, y)] as const;
  });
  if (ranges.some(([lo]) => lo === 0 && max > 0 && !text.includes('*'))) return null;
  return (n) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

/** "*" and "%" wildcards of LIST (RFC 3501 §6.3.8) as a RegExp; "." is the hierarchy delimiter */
export function listPattern(pattern: string): RegExp {
  const re = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^.]*');
  return new RegExp(`^${re}$`, 'i');
}
