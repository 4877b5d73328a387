/**
 * The words of a delivery report the mail view shows (RFC 3464 §2.3.3's Action values) as
 * catalogue messages (src-main/lab/lab-text.ts explains): the English is the word the
 * report carries, the UI shows mailLab.dsn.action.<word> in its language.
 */
import type { LabTextEntry } from '../lab-text';


export const DSN_ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'] as const;

export const MAIL_LAB_TEXT = Object.fromEntries(
  DSN_ACTIONS.map((a): [string, LabTextEntry] => [`mailLab.dsn.action.${a}`, { en: () => a, example: {} }]),
) as Record<`mailLab.dsn.action.${(typeof DSN_ACTIONS)[number]}`, LabTextEntry>;

/** the catalogue key of a report's Action word, when it is one of RFC 3464's */
export function dsnActionKey(action: string): string | undefined {
  return (DSN_ACTIONS as readonly string[]).includes(action) ? `mailLab.dsn.action.${action}` : undefined;
}
