/**
 * Finds UI strings written outside the catalogues: text in a Vue template, a static title,
 * aria-label, placeholder, alt or label, a prose string literal in a bound expression or in
 * the renderer's scripts. What is not prose is left alone: protocol names and other
 * all-capital tokens (DNS, GET, TCP), units (ms, KB, kbit/s), symbols (◨ × ▶), code in
 * <code>/<kbd>/<samp>/<pre>, and anything inside an element marked translate="no" (a command
 * line, a host name, a protocol's own words).
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { parse as parseSfc } from 'vue/compiler-sfc';

/** a string that stays as written (a protocol's own word, a host name), with the reason */
export interface Exemption {
  /** path under src-renderer/src */
  file: string;
  text: string;
  why: string;
}

export interface Finding {
  file: string;
  line: number;
  text: string;
}

const UNITS = new Set(['ms', 's', 'µs', 'B', 'KB', 'MB', 'GB', 'KiB', 'MiB', 'GiB', 'kbit', 'Mbit', 'bit', 'Hz', 'kHz', 'NetLab', 'px', 'x',
  // key names, written the same on a Chinese keyboard
  'Ctrl', 'Alt', 'Shift', 'Cmd', 'Meta', 'Enter', 'Esc', 'Escape', 'Tab', 'Home', 'End', 'Space', 'Backspace', 'Delete', 'PageUp', 'PageDown']);
const TEXT_ATTRS = new Set(['title', 'aria-label', 'placeholder', 'alt', 'label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'aria-placeholder']);
/** bound attributes whose strings are never shown */
const SILENT_BINDS = new Set(['class', 'style', 'key', 'ref', 'id', 'for', 'data-testid', 'type', 'name', 'role', 'is', 'lang', 'href', 'src', 'd', 'points', 'transform', 'viewBox', 'aria-controls', 'aria-labelledby', 'aria-describedby', 'aria-owns', 'aria-activedescendant', 'autocomplete', 'inputmode', 'language', 'mode', 'kind', 'variant', 'accept', 'pattern', 'spellcheck', 'translate', 'tag']);
const CODE_ELEMENTS = new Set(['code', 'kbd', 'samp', 'pre', 'style', 'script']);

/** words that would need a translator: a letter run that is not an acronym, a unit or a name */
export function hasWords(text: string): boolean {
  const words = text.match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
  return words.some((w) => !UNITS.has(w) && !/^[\p{Lu}\d]+$/u.test(w) && !/^[\p{Lu}][\p{Lu}\d-]*s$/u.test(w) && /\p{Ll}/u.test(w) && w.length > 1);
}

/** a string literal in code that reads as prose: "Saved", "No messages yet", "client to server" */
export function isProse(text: string): boolean {
  const s = text.trim();
  if (!s || !hasWords(s)) return false;
  if (/^[\w.-]+\.[\w.-]+$/.test(s) && !/\s/.test(s)) return false; // a key or a file name
  if (/^\p{Lu}\p{Ll}+/u.test(s) && !/^[A-Z][a-z]+(-[A-Z][a-z]+)+$/.test(s)) return true; // capitalised, not a header name
  if (/[\p{L}]+[.!?:…]$/u.test(s) && /\s/.test(s)) return true; // a sentence
  return /\p{Ll}{2,}\s+\p{Ll}{2,}\s+\p{Ll}{2,}/u.test(s); // three lowercase words
}

/** string literals and template literal parts of a TypeScript expression or file, with lines */
function literals(code: string, fileName: string): { text: string; pos: number }[] {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: { text: string; pos: number }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isLiteralTypeNode(n) || ts.isTypeNode(n)) return;
    if (ts.isCallExpression(n)) {
      const callee = n.expression.getText(sf);
      // translation keys, console output, errors thrown between programs, and DOM queries are not UI text
      if (/^(\$?t|te|tm|rt|i18n\.global\.t|console\.\w+|(\w+\.)*(querySelector(All)?|closest|matches|getAttribute|setAttribute|addEventListener|removeEventListener|getElementById))$/.test(callee)) return;
    }
    // a comparison with a key's name or a protocol word (e.key === 'ArrowLeft', case 'Digit1') is not shown
    if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(n.operatorToken.kind)) {
      for (const side of [n.left, n.right]) if (!ts.isStringLiteralLike(side) && !ts.isTemplateExpression(side)) visit(side);
      return;
    }
    if (ts.isCaseClause(n)) {
      if (!ts.isStringLiteralLike(n.expression)) visit(n.expression);
      n.statements.forEach(visit);
      return;
    }
    if (ts.isPropertyAssignment(n)) {
      visit(n.initializer);
      return;
    }
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push({ text: n.text, pos: n.getStart(sf) });
    else if (ts.isTemplateExpression(n)) {
      out.push({ text: n.head.text + ' ' + n.templateSpans.map((s) => s.literal.text).join(' '), pos: n.getStart(sf) });
      n.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const lineOf = (src: string, pos: number): number => src.slice(0, pos).split('\n').length;

export function scanScript(file: string, code: string, offset = 0, whole = code): Finding[] {
  return literals(code, file)
    .filter((l) => isProse(l.text))
    .map((l) => ({ file, line: lineOf(whole, offset + l.pos), text: l.text }));
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export function scanVue(file: string, src = readFileSync(file, 'utf8')): Finding[] {
  const { descriptor } = parseSfc(src, { filename: file });
  const found: Finding[] = [];
  for (const block of [descriptor.script, descriptor.scriptSetup]) {
    if (block) found.push(...scanScript(file, block.content, block.loc.start.offset, src));
  }
  const ast = descriptor.template?.ast;
  if (!ast) return found;
  const at = (loc: { start: { line: number } }): number => loc.start.line;
  const expr = (code: string, line: number): void => {
    for (const l of literals(`(${code})`, file + '.expr.ts')) if (isProse(l.text)) found.push({ file, line, text: l.text });
  };
  const walk = (node: any, silent: boolean): void => {
    if (node.type === 1) {
      const tag: string = node.tag;
      const no = node.props.some((p: any) => p.type === 6 && p.name === 'translate' && p.value?.content === 'no');
      const quiet = silent || no || CODE_ELEMENTS.has(tag);
      for (const p of node.props) {
        if (p.type === 6) {
          if (!quiet && TEXT_ATTRS.has(p.name) && p.value && hasWords(p.value.content)) found.push({ file, line: at(p.loc), text: `${p.name}="${p.value.content}"` });
        } else if (p.type === 7 && p.exp && !quiet) {
          const arg = p.arg?.content as string | undefined;
          if (p.name === 'bind' && arg && (SILENT_BINDS.has(arg) || arg.startsWith('data-'))) continue;
          if (p.name === 'for' || p.name === 'model' || p.name === 'slot') continue;
          expr(p.exp.content, at(p.loc));
        }
      }
      node.children.forEach((c: any) => walk(c, quiet));
    } else if (node.type === 2) {
      if (!silent && hasWords(node.content)) found.push({ file, line: at(node.loc), text: node.content.trim() });
    } else if (node.type === 5) {
      if (!silent) expr(node.content.content, at(node.loc));
    } else if (node.children) node.children.forEach((c: any) => walk(c, silent));
  };
  walk(ast, false);
  return found;
}
