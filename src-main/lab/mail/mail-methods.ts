/**
 * The mail area's part of the lab API: each method hands over to MailApi (mail-api.ts).
 * The Lab takes this table as it is, so the method list of an area sits beside the area.
 */
import type { AreaMethods } from '../api';
import type { MailApi } from './mail-api';

export function mailMethods(mail: () => MailApi): AreaMethods<'mail'> {
  return {
    'mail.users': async () => mail().users(),
    'mail.mailbox': async (address) => mail().mailbox(address),
    'mail.message': async (address, uid) => mail().message(address, uid),
    'mail.queue': async () => mail().queue(),
    'mail.retry': async () => mail().retry(),
    'mail.returned': async () => mail().returned(),
    'mail.spoolDamage': async () => mail().spoolDamage(),
    'mail.preview': async (draft) => mail().preview(draft),
    'mail.send': async (draft) => mail().send(draft),
    'mail.empty': async (addresses) => mail().empty(addresses),
  };
}
