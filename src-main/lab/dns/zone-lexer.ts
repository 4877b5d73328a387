/**
 * RFC 1035 §5.1 master-file text split into entries (pure): one per line, or several lines
 * joined by parentheses; ';' comments dropped, quoted strings and \X / \DDD escapes read.
 * zone-parser.ts makes records of the entries.
 */
import { english, msg, type LabText } from '../lab-text';

export interface Token {
  text: string;
  quoted: boolean;
  line: number;
}

export interface Entry {
  line: number;
  /** the owner field was left blank (the line started with white space) */
  blankOwner: boolean;
  tokens: Token[];
}

export class ParseError extends Error {
  constructor(
    readonly line: number,
    /** the message with its catalogue key (lab-text-zone.ts) */
    readonly said: LabText,
  ) {
    super(english(said));
  }
}

/** Split into entries: one per line, or several lines joined by parentheses. */
export function entries(text: string): Entry[] {
  const out: Entry[] = [];
  let line = 1;
  let i = 0;
  let depth = 0;
  let parenLine = 0;
  let current: Entry | null = null;
  const n = text.length;
  const startLine = (): void => {
    const blank = text[i] === ' ' || text[i] === '\t';
    current = { line, blankOwner: blank, tokens: [] };
  };
  startLine();
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      if (depth === 0) {
        if (current && (current as Entry).tokens.length) out.push(current);
        startLine();
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === ';') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '(') {
      if (depth > 0) throw new ParseError(line, msg('dnsLab.zone.parenInParen'));
      depth++;
      parenLine = line;
      i++;
      continue;
    }
    if (c === ')') {
      if (depth === 0) throw new ParseError(line, msg('dnsLab.zone.parenUnopened'));
      depth--;
      i++;
      continue;
    }
    const tokenLine = line;
    let value = '';
    let quoted = false;
    if (c === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= n || text[i] === '\n') throw new ParseError(tokenLine, msg('dnsLab.zone.quoteOpen'));
        const d = text[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\') {
          const [ch, used] = escape(text, i, tokenLine);
          value += ch;
          i += used;
          continue;
        }
        value += d;
        i++;
      }
    } else {
      while (i < n && !' \t\r\n;()"'.includes(text[i])) {
        if (text[i] === '\\') {
          const [ch, used] = escape(text, i, tokenLine);
          value += ch;
          i += used;
          continue;
        }
        value += text[i];
        i++;
      }
    }
    (current as unknown as Entry).tokens.push({ text: value, quoted, line: tokenLine });
  }
  if (depth > 0) throw new ParseError(parenLine, msg('dnsLab.zone.parenUnclosed'));
  if (current && (current as Entry).tokens.length) out.push(current);
  return out;
}

/** `\X` is X; `\DDD` is the byte DDD (RFC 1035 §5.1). */
function escape(text: string, i: number, line: number): [string, number] {
  const digits = /^\d{3}/.exec(text.slice(i + 1, i + 4));
  if (digits) {
    const v = Number(digits[0]);
    if (v > 255) throw new ParseError(line, msg('dnsLab.zone.notByte', { escape: `\\${digits[0]}` }));
    return [String.fromCharCode(v), 4];
  }
  if (i + 1 >= text.length || text[i + 1] === '\n') throw new ParseError(line, msg('dnsLab.zone.backslashEnd'));
  return [text[i + 1], 2];
}
