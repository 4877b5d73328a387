/** A lab terminal tab driven as a student types: input in, the screen read back as plain text. */
import type { Lab } from '../../src-main/lab/lab';
import { waitFor } from './lab';

export async function openTerminal(lab: Lab, size = { cols: 80, rows: 24 }) {
  let screen = '';
  const { session } = await lab['terminal.open'](size);
  const off = lab.on('terminal.output', (o) => {
    if (o.session === session) screen += o.data;
  });
  const plain = (): string => screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  const seen = (text: string | RegExp, from: number): boolean => (typeof text === 'string' ? plain().indexOf(text, from) >= 0 : text.test(plain().slice(from)));
  return {
    session,
    type: (text: string) => lab['terminal.input'](session, text),
    screen: plain,
    /** wait until `text` appears after what was on screen when asked */
    expect: async (text: string | RegExp, from = 0) => waitFor(() => seen(text, from), `${typeof text === 'string' ? `"${text}"` : text} on the terminal; screen:\n${plain()}`),
    mark: () => plain().length,
    close: () => {
      off();
      return lab['terminal.close'](session);
    },
  };
}
