/**
 * The slice of monaco every NetLab editor needs, loaded lazily (dynamic import) by
 * MonacoEditor so it stays out of the first bundle: the core API, the editor worker, the
 * JavaScript, Python, HTML and CSS tokenizers, and two small Monarch grammars of our own:
 * RFC 1035 master files (`dns-zone`) and swarm scenarios (`swarm-yaml`).
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/html/register';
import 'monaco-editor/languages/definitions/css/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { SWARM_LANGUAGE, ZONE_LANGUAGE } from './languages';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};


function registered(id: string): boolean {
  return monaco.languages.getLanguages().some((l) => l.id === id);
}

// zone files: comments, $ORIGIN/$TTL, record types, the class, quoted strings, numbers and names
if (!registered(ZONE_LANGUAGE)) {
  monaco.languages.register({ id: ZONE_LANGUAGE, extensions: ['.zone'] });
  monaco.languages.setMonarchTokensProvider(ZONE_LANGUAGE, {
    ignoreCase: true,
    types: ['A', 'AAAA', 'NS', 'CNAME', 'MX', 'SOA', 'PTR', 'TXT', 'SRV'],
    classes: ['IN', 'CH', 'HS', 'CS'],
    tokenizer: {
      root: [
        [/;.*$/, 'comment'],
        [/^\$(ORIGIN|TTL|INCLUDE)\b/, 'keyword.directive'],
        [/"/, { token: 'string.quote', next: '@string' }],
        [/[()]/, 'delimiter.parenthesis'],
        [/^@/, 'variable.predefined'],
        [/\b\d+(\.\d+){3}\b/, 'number.address'],
        [/\b[0-9a-f]*:[0-9a-f:]+\b/, 'number.address'],
        [/\b\d+[wdhms]?\b/, 'number'],
        [
          /[A-Za-z][\w-]*(?=\s)/,
          { cases: { '@types': 'keyword.type', '@classes': 'keyword.class', '@default': 'identifier' } },
        ],
        [/[\w.-]+\.(?=\s|$)/, 'type.identifier'], // an absolute name, ending in a dot
        [/[\w.*-]+/, 'identifier'],
      ],
      string: [
        [/[^\\"]+/, 'string'],
        [/\\./, 'string.escape'],
        [/"/, { token: 'string.quote', next: '@pop' }],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration(ZONE_LANGUAGE, {
    comments: { lineComment: ';' },
    brackets: [['(', ')']],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '"', close: '"' },
    ],
  });
}

// swarm scenarios: YAML with their keywords and units
if (!registered(SWARM_LANGUAGE)) {
  monaco.languages.register({ id: SWARM_LANGUAGE, extensions: ['.yaml'] });
  monaco.languages.setMonarchTokensProvider(SWARM_LANGUAGE, {
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/^(\s*-?\s*)([\w-]+)(\s*:)/, ['white', 'type.identifier', 'delimiter']],
        [/([\w-]+)(\s*:)/, ['type.identifier', 'delimiter']],
        [/\b(true|false|stay|leave|rarest-first|random|in-order)\b/, 'keyword'],
        [/\d+(\.\d+)?\s*(KiB|MiB|GiB|kB|MB|GB|kbit|Mbit|Gbit|B)?(\/s)?/, 'number'],
        [/\d+(\.\d+)?\s*(ms|s|min)\b/, 'number'],
        [/"[^"]*"|'[^']*'/, 'string'],
        [/[{}[\],]/, 'delimiter.bracket'],
      ],
    },
  });
}

export { monaco };
