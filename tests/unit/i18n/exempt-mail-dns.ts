import type { Exemption } from './scan';

/** mail-dns: strings that stay as written, and why */
const exempt: Exemption[] = [
  {
    file: 'components/mail/ComposePane.vue',
    text: 'Do you like ketchup?',
    why: "the draft's first subject: the textbook's SMTP dialogue (Kurose & Ross §2.3.1), message data that goes on the wire as the student sends it, not UI chrome",
  },
  {
    file: 'components/mail/ComposePane.vue',
    text: 'How about pickles?\n',
    why: "the draft's first body line, from the same textbook SMTP dialogue: message data, sent as written",
  },
];
export default exempt;
