/** A lab terminal tab as a student uses it: type into it, read its screen as plain text. */
import type { Lab } from '../../src-main/lab/lab';
import { waitFor } from './lab';

/** A terminal tab: type into it, read its screen as plain text. */
export async function labTerminal(lab: Lab) {
  let screen = '';
  const { session } = await lab['terminal.open']({ cols: 80, rows: 24 });
  const off = lab.on('terminal.output', (o) => {
    if (o.session === session) screen += o.data;
  });
  const plain = (): string => screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  return {
    session,
    type: (text: string) => lab['terminal.input'](session, text),
    screen: plain,
    /** wait until `text` appears after what was on screen when asked */
    expect: async (text: string, from = 0) => waitFor(() => plain().indexOf(text, from) >= 0, `"${text}" on the terminal; screen:\n${plain()}`),
    mark: () => plain().length,
    close: () => {
      off();
      return lab['terminal.close'](session);
    },
  };
}

