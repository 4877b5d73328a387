/**
 * The editor's monaco with a small Monarch grammar for RFC 1035 master files: comments,
 * $ORIGIN/$TTL, record types, the class, quoted strings, numbers and names. Loaded lazily.
 */
import { monaco } from '../scenarios/monaco';

export const ZONE_LANGUAGE = 'dns-zone';

if (!monaco.languages.getLanguages().some((l) => l.id === ZONE_LANGUAGE)) {
  monaco.languages.register({ id: ZONE_LANGUAGE, extensions: ['.zone'] });
  monaco.languages.setMonarchTokensProvider(ZONE_LANGUAGE, {
    ignoreCase: true,
    types: ['A', 'AAAA', 'NS', 'CNAME', 'MX', 'SOA', 'PTR', 'TXT'],
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

export { monaco };
