/**
 * The registration guide's step details (guide.ts) as catalogue messages (src-main/lab/lab-text.ts explains);
 * zone lines, host names and commands are parameters: they stay as written in every language.
 */
import type { LabTextEntry } from '../lab-text';


export const GUIDE_LAB_TEXT = {
  'dnsLab.guide.ns': {
    en: (p) => `(${p.name}, ${p.host}, NS): "ask ${p.host} about names in ${p.name}". In ${p.file}: ${p.line}`,
    example: { name: 'networkutopia.com', host: 'dns1.networkutopia.com', file: 'com.zone', line: 'networkutopia.com. IN NS dns1.networkutopia.com.' },
  },
  'dnsLab.guide.glue': {
    en: (p) => `(${p.host}, ${p.address}, A): without it a resolver could not reach the server the NS record names. In ${p.file}: ${p.line}`,
    example: { host: 'dns1.networkutopia.com', address: '212.212.212.1', file: 'com.zone', line: 'dns1.networkutopia.com. IN A 212.212.212.1' },
  },
  'dnsLab.guide.www': {
    en: (p) => `In ${p.file} (served by ${p.host}): ${p.line}`,
    example: { file: 'networkutopia.com.zone', host: 'dns1.networkutopia.com', line: 'www IN A 212.212.212.4' },
  },
  'dnsLab.guide.mx': {
    en: (p) => `In ${p.file}: ${p.mx} and ${p.a}`,
    example: { file: 'networkutopia.com.zone', mx: '@ IN MX 10 mail.networkutopia.com.', a: 'mail IN A 212.212.212.5' },
  },
  'dnsLab.guide.resolved': {
    en: (p) => `The local DNS server resolved it to ${p.address}: root → com TLD → ${p.host}. Try "${p.command}" in a terminal.`,
    example: { address: '212.212.212.4', host: 'dns1.networkutopia.com', command: 'dig +trace www.networkutopia.com' },
  },
  'dnsLab.guide.pending': {
    en: (p) => `The local DNS server asks the root, which refers it to the com TLD, which refers it to ${p.host} — once the records above exist.`,
    example: { host: 'dns1.networkutopia.com' },
  },
} satisfies Record<string, LabTextEntry>;
