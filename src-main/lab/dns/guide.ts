/**
 * The textbook's "Inserting records into the DNS database" (Kurose & Ross §2.4.3) as a guided
 * exercise: a start-up registers networkutopia.com. Pure: which steps the zones show done,
 * and the zones as they were before the registration.
 */
import { english, msg, type LabText, type TextParams } from '../lab-text';
import type { Zone } from './zone-parser';

export interface GuideStep {
  id: string;
  title: string;
  /** in English (tests and the CLI read it) */
  detail: string;
  /** the same detail's catalogue key and parameters (lab-text-guide.ts) */
  detailKey: string;
  detailParams?: TextParams;
  /** which zone the user edits for this step */
  zone: string;
  done: boolean;
}

/** a step's detail: the English text, and its catalogue key and parameters */
const detail = (m: LabText): { detail: string; detailKey: string; detailParams?: TextParams } => ({
  detail: english(m),
  detailKey: m.key,
  ...(m.params ? { detailParams: m.params } : {}),
});

const has = (z: Zone | undefined, name: string, type: string, data?: (d: unknown) => boolean): boolean =>
  !!z?.records.some((r) => r.name === name && r.type === type && (!data || data(r.data)));

/** `started`: Start has taken the zones back to the day before; until then no step is done
 *  (the shipped zones hold every record already: that is the day after). */
export function registrationSteps(com: Zone | undefined, company: Zone | undefined, resolved: string | null, started = true): GuideStep[] {
  const steps: GuideStep[] = [
    {
      id: 'ns',
      title: 'The registrar puts an NS record into the com TLD servers',
      ...detail(msg('dnsLab.guide.ns', { name: 'networkutopia.com', host: 'dns1.networkutopia.com', file: 'com.zone', line: 'networkutopia.com. IN NS dns1.networkutopia.com.' })),
      zone: 'com',
      done: has(com, 'networkutopia.com', 'NS', (d) => d === 'dns1.networkutopia.com'),
    },
    {
      id: 'glue',
      title: '… and a type A record for that server (glue)',
      ...detail(msg('dnsLab.guide.glue', { host: 'dns1.networkutopia.com', address: '212.212.212.1', file: 'com.zone', line: 'dns1.networkutopia.com. IN A 212.212.212.1' })),
      zone: 'com',
      done: has(com, 'dns1.networkutopia.com', 'A', (d) => d === '212.212.212.1'),
    },
    {
      id: 'www',
      title: 'The company puts a type A record for its web server into its own server',
      ...detail(msg('dnsLab.guide.www', { file: 'networkutopia.com.zone', host: 'dns1.networkutopia.com', line: 'www IN A 212.212.212.4' })),
      zone: 'networkutopia.com',
      done: has(company, 'www.networkutopia.com', 'A', (d) => d === '212.212.212.4'),
    },
    {
      id: 'mx',
      title: '… and a type MX record for its mail server',
      ...detail(msg('dnsLab.guide.mx', { file: 'networkutopia.com.zone', mx: '@ IN MX 10 mail.networkutopia.com.', a: 'mail IN A 212.212.212.5' })),
      zone: 'networkutopia.com',
      done: has(company, 'networkutopia.com', 'MX', (d) => (d as { exchange?: string }).exchange === 'mail.networkutopia.com') && has(company, 'mail.networkutopia.com', 'A'),
    },
    {
      id: 'resolve',
      title: 'Anyone can now find www.networkutopia.com',
      ...detail(
        resolved
          ? msg('dnsLab.guide.resolved', { address: resolved, host: 'dns1.networkutopia.com', command: 'dig +trace www.networkutopia.com' })
          : msg('dnsLab.guide.pending', { host: 'dns1.networkutopia.com' }),
      ),
      zone: 'networkutopia.com',
      done: resolved === '212.212.212.4',
    },
  ];
  return started ? steps : steps.map((s) => ({ ...s, done: false }));
}

/** com.zone before the registration: the shipped file without the networkutopia.com records. */
export function comBeforeRegistration(shipped: string): string {
  return shipped
    .split('\n')
    .filter((line) => line.trimStart().startsWith(';') || !/networkutopia/i.test(line))
    .join('\n');
}

/** The start-up's own zone on day one: its servers, nothing else yet. */
export const COMPANY_DAY_ONE = `; networkutopia.com on day one: the company's server knows only itself.
; Kurose & Ross §2.4.3 — add the type A record for www and the MX record for mail.
$TTL 3600
@      IN SOA dns1.networkutopia.com. hostmaster.networkutopia.com. 2026112100 3600 600 604800 300
@      IN NS  dns1.networkutopia.com.
@      IN NS  dns2.networkutopia.com.
dns1   IN A   212.212.212.1
dns2   IN A   212.212.212.2
`;
