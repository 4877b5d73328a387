/**
 * A service's name and description in the UI's language. The lab core names its services in
 * English; the catalogue (i18n/locales/<language>/services.ts) has the lab's own services by id,
 * and the kinds that repeat on many hosts (a TLD server, a zone's authoritative server, a
 * domain's MX, a CDN cluster) by the shape of their English text. A service the catalogue does
 * not know — or whose English differs from the catalogue's, because the lab renamed it — is
 * shown as the lab says it, never mistranslated.
 */
import type { ServiceInfo } from '../api/types';
import { i18n, t } from '../i18n';

type Part = 'name' | 'description';

const KINDS: { kind: string; part: Part; re: RegExp; names: string[] }[] = [
  { kind: 'tld', part: 'name', re: /^DNS TLD (.+)$/, names: ['tlds'] },
  { kind: 'tld', part: 'description', re: /^TLD server for (.+) \((\S+)\); UDP and TCP; (.+) port 53 in the lab$/, names: ['tlds', 'server', 'address'] },
  { kind: 'authoritative', part: 'name', re: /^DNS (\S+\.\S+)$/, names: ['zone'] },
  { kind: 'authoritative', part: 'description', re: /^Authoritative server for (.+); UDP and TCP; (.+) port 53 in the lab$/, names: ['zone', 'address'] },
  { kind: 'mx', part: 'name', re: /^SMTP (\S+)$/, names: ['host'] },
  { kind: 'mx', part: 'description', re: /^(\S+)'s mail server \(MX\): delivers to its users' Maildirs; in the lab, (\S+) port 25$/, names: ['domain', 'host'] },
  { kind: 'cdn', part: 'name', re: /^CDN cluster (\S+)$/, names: ['host'] },
];

const english = (key: string): string | null => {
  const m = i18n.global.getLocaleMessage('en') as Record<string, unknown>;
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), m);
  return typeof v === 'string' ? v : null;
};

function say(s: Pick<ServiceInfo, 'id' | 'name' | 'description'>, part: Part): string {
  const text = s[part] ?? '';
  const own = `services.${s.id}.${part}`;
  if (english(own) === text) return t(own);
  for (const k of KINDS) {
    if (k.part !== part) continue;
    const m = k.re.exec(text);
    if (m) return t(`services.kind.${k.kind}.${part}`, Object.fromEntries(k.names.map((n, i) => [n, m[i + 1]])));
  }
  return text;
}

export const serviceName = (s: Pick<ServiceInfo, 'id' | 'name' | 'description'>): string => say(s, 'name');
export const serviceDescription = (s: Pick<ServiceInfo, 'id' | 'name' | 'description'>): string => say(s, 'description');
