/**
 * The socket programs' titles in the Scenarios editor's list (programs.ts), as catalogue messages
 * (src-main/lab/lab-text.ts explains): the file names beside them stay as they are.
 */
import type { LabTextEntry } from '../lab-text';

export const PROGRAM_TITLE_TEXT = {
  'programLab.title.udp-client': { en: () => 'UDP client', example: {} },
  'programLab.title.udp-server': { en: () => 'UDP server', example: {} },
  'programLab.title.tcp-client': { en: () => 'TCP client', example: {} },
  'programLab.title.tcp-server': { en: () => 'TCP server', example: {} },
  'programLab.title.udp-pinger': { en: () => 'UDP pinger', example: {} },
  'programLab.title.web-server': { en: () => 'Web server', example: {} },
  'programLab.title.smtp-client': { en: () => 'SMTP client', example: {} },
  'programLab.title.web-proxy': { en: () => 'Web proxy', example: {} },
} satisfies Record<string, LabTextEntry>;
