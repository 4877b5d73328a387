/** The editor's monaco with a small YAML grammar for swarm scenarios. Loaded lazily. */
import { monaco } from '../scenarios/monaco';

export const SWARM_LANGUAGE = 'swarm-yaml';

if (!monaco.languages.getLanguages().some((l) => l.id === SWARM_LANGUAGE)) {
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
