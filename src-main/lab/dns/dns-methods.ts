/** The DNS area's part of the lab API (issue 3): each method hands over to the lab's DNS. */
import type { AreaMethods } from '../api';
import { canonicalZone, type LabDns } from './lab-dns';

export function dnsMethods(dns: LabDns | undefined, changed: (what: 'zones' | 'cache') => void): AreaMethods<'dns'> {
  const labDns = (): LabDns => {
    if (!dns) throw new Error('lab DNS is not part of this lab');
    return dns;
  };
  return {
    'dns.resolve': async (name, type) => labDns().resolution(name, type),
    'dns.cache': async () => labDns().cacheRows(),
    'dns.flush': async () => {
      labDns().flush();
      changed('cache');
      return labDns().cacheRows();
    },
    'dns.servers': async () => labDns().serverList(),
    'dns.zones': async () => labDns().zones.list(),
    'dns.readZone': async (zone) => labDns().zones.read(canonicalZone(zone)),
    'dns.saveZone': async (zone, text) => {
      const r = await labDns().saveZone(zone, text);
      if (r.ok) changed('zones');
      return r;
    },
    'dns.resetZone': async (zone) => {
      const r = await labDns().resetZone(zone);
      changed('zones');
      return r;
    },
    'dns.guide': async (action) => {
      const d = labDns();
      const guide = action === 'start' ? await d.guideStart() : action === 'restore' ? await d.guideRestore() : await d.guide();
      if (action !== 'check') changed('zones');
      return guide;
    },
  };
}
