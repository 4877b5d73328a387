/**
 * The size and nesting limits a YAML text must pass before the `yaml` library composes it.
 *
 * Why: the library's composer recurses once per level of nesting. Deep enough input — a
 * scenario of 20 KB, `name: ` and ten thousand `[` — overflows the stack, and when that
 * happens inside V8's regexp compiler the process aborts ("RegExpCompiler Allocation
 * failed") instead of throwing: every service of the lab goes down with it. The editors
 * check what the user types, so any text a user can paste reaches this.
 *
 * How: the library's lexer is a state machine without recursion and reads quotes, comments
 * and block scalars exactly as the parser will, so its tokens are walked here with a count
 * of nesting that is never less than the composer's: flow brackets, a pair inside a flow
 * sequence (`[a: b]`), block levels from indentation (a sequence may sit at its key's
 * indentation), and the compact forms that nest on one line (`- - x`, `? - x`, `- a: b`),
 * each placed by its column.
 * The walk stops at the first token past a limit, so deep input is refused in time linear
 * in the position of that token, at its line.
 */
import { CST, Lexer } from 'yaml';
import { SCENARIO_MAX_CHARS } from './scenario-text';

export interface YamlLimits {
  /** characters (UTF-16 code units, as the API's string limits count) */
  maxChars: number;
  maxDepth: number;
}

/** real scenarios nest about six levels; 64 is far from both and from any stack limit */
export const YAML_LIMITS: YamlLimits = { maxChars: SCENARIO_MAX_CHARS, maxDepth: 64 };

export interface LimitBreach {
  message: string;
  /** 1-based, the line where the limit is passed */
  line: number;
}

/** The line that holds character `index` (1-based). */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The first limit `text` passes, or null when it may be parsed. */
export function yamlLimitBreach(text: string, limits: YamlLimits = YAML_LIMITS): LimitBreach | null {
  if (text.length > limits.maxChars) {
    return { line: lineAt(text, limits.maxChars), message: `the text is longer than ${limits.maxChars} characters` };
  }
  const depth = new NestingCount();
  let line = 1;
  for (const token of new Lexer().lex(text)) {
    if (depth.take(token) > limits.maxDepth) return { line, message: `nested more than ${limits.maxDepth} levels deep` };
    for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) line++;
  }
  return null;
}

interface BlockLevel {
  indent: number;
  /** a block sequence (which may share its indentation with the key that holds it) */
  seq: boolean;
}

interface FlowLevel {
  seq: boolean;
  /** an implicit single-pair mapping is open in this sequence (`[a: b, …]`) */
  pair: boolean;
}

/** Nesting at each lexer token: an upper bound on the composer's depth there. */
class NestingCount {
  private block: BlockLevel[] = [];
  private flow: FlowLevel[] = [];
  private pairs = 0;
  /** the next content token starts a node: first on its line, or after `- ` or `? ` on it */
  private nodeStart = true;
  private column = 0;
  /** the lexer sends a plain or block scalar's text right after a SCALAR marker */
  private scalarText = false;

  /** Account for one token; the depth with it. */
  take(token: string): number {
    this.apply(token);
    const nl = token.lastIndexOf('\n');
    if (nl >= 0) {
      this.column = token.length - nl - 1;
      // a newline, or a block scalar's text: the next token starts a line
      if (nl === token.length - 1) this.nodeStart = true;
    } else if (!isMarker(token)) this.column += token.length;
    return this.block.length + this.flow.length + this.pairs;
  }

  private apply(token: string): void {
    if (this.scalarText) {
      this.scalarText = false;
      this.node(false);
      return;
    }
    switch (CST.tokenType(token)) {
      case 'scalar':
        this.scalarText = true;
        return;
      case 'newline':
      case 'space':
      case 'comment':
      case 'byte-order-mark':
      case 'doc-mode':
      case 'directive-line':
        return;
      case 'doc-start':
      case 'doc-end':
        this.block = [];
        this.closeFlow();
        this.nodeStart = true;
        return;
      case 'flow-error-end':
        // the lexer gave up on an unclosed flow collection and is back in block context
        this.closeFlow();
        return;
      case 'flow-seq-start':
      case 'flow-map-start':
        this.node(false);
        this.flow.push({ seq: token === '[', pair: false });
        return;
      case 'flow-seq-end':
      case 'flow-map-end':
        if (this.flow.pop()?.pair) this.pairs--;
        return;
      case 'comma':
        this.endPair();
        return;
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind': {
        const top = this.flow.at(-1);
        if (top) {
          if (token !== '-' && top.seq && !top.pair) {
            top.pair = true;
            this.pairs++;
          }
          return;
        }
        // `- x`, `? x` and an explicit value `: x` open a node on the same line; `key: x` does not
        const opens = token !== ':' || this.nodeStart;
        this.node(token === '-');
        this.nodeStart = opens;
        return;
      }
      default:
        // anchors, tags, aliases, quoted scalars, block scalar headers
        this.node(false);
    }
  }

  private closeFlow(): void {
    this.flow = [];
    this.pairs = 0;
  }

  private endPair(): void {
    const top = this.flow.at(-1);
    if (top?.pair) {
      top.pair = false;
      this.pairs--;
    }
  }

  /** A node starting in block context takes its place among the block levels by its column:
   *  a block collection ends where a line is indented less than it. */
  private node(seqItem: boolean): void {
    if (!this.nodeStart) return;
    this.nodeStart = false;
    if (this.flow.length) return;
    const indent = this.column;
    while (this.block.length && this.block[this.block.length - 1].indent > indent) this.block.pop();
    let top = this.block.at(-1);
    if (top?.indent === indent && top.seq && !seqItem) {
      // a key after a sequence that sat at its indentation: back to the mapping
      this.block.pop();
      top = this.block.at(-1);
    }
    if (top?.indent !== indent || (seqItem && !top.seq)) this.block.push({ indent, seq: seqItem });
  }
}

function isMarker(token: string): boolean {
  return token.length === 1 && token < ' ' && token !== '\t' && token !== '\n';
}
