import type { Exemption } from './scan';

/** inspector: strings that stay as written, and why */
const exempt: Exemption[] = [
  { file: 'components/inspector/FieldTree.vue', text: 'FieldTree', why: 'the component’s own name, so that it can render itself recursively; never shown' },
  { file: 'components/inspector/exchangePatterns.ts', text: 'Standard query response', why: 'the DNS decoder’s summary (Wireshark’s wording), matched to tell a response from a query' },
  { file: 'components/inspector/exchangePatterns.ts', text: '(no such record)', why: 'the DNS decoder’s words for an empty answer, matched in the summary (the row shows a translated label)' },
];
export default exempt;
