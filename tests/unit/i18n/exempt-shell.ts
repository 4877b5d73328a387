import type { Exemption } from './scan';

/** shell: strings that stay as written, and why */
const exempt: Exemption[] = [
  { file: 'components/MainTabs.vue', text: 'Control', why: 'aria-keyshortcuts names keys in the ARIA syntax (Control+1), never shown' },
  { file: 'components/common/SaveAsField.vue', text: 'placeholder="my-lab.yaml"', why: 'an example file name, the same in every language' },
  { file: 'shortcuts.ts', text: 'Period', why: 'KeyboardEvent.code values compared with the key pressed' },
  { file: 'shortcuts.ts', text: 'Comma', why: 'KeyboardEvent.code values compared with the key pressed' },
];
export default exempt;
