/**
 * The lab terminal's `dig` and `nslookup`: real queries from the terminal's own sockets to
 * a lab DNS server (the local server unless @SERVER names another, by lab name or virtual
 * address), printed as the real tools print them. `+trace` walks the hierarchy from the root
 * itself, as dig does, asking each server without recursion.
 */
import type { DecodedPacket } from 'dns-packet';
import { messageRcode } from '../codec';
import type { DnsCommand } from '../dig-command';
import { digReport, digShort, nslookupReport, rrLine } from '../dig-format';
import { LOCAL_SERVER, ROOT_HINTS } from '../hierarchy';
import { canonical } from '../records';
import { ask, type Answered } from './client';
import type { LabDns } from '../lab-dns';

interface Target {
  address: string;
  virtualAddress?: string;
  port: number;
  label: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const MAX_TRACE = 12;

async function target(dns: LabDns, server: string | undefined, port: number | undefined, tool = 'dig'): Promise<Target | string> {
  const local = { address: '127.0.0.1', port: dns.local.port, label: LOCAL_SERVER.host };
  if (!server || server === 'localhost' || server === '127.0.0.1') return port ? { ...local, port, label: '127.0.0.1' } : local;
  let address = server;
  let label = server;
  if (!IPV4.test(server)) {
    const r = await dns.resolveHost(server);
    if (!r.ok) return `${tool}: couldn't get address for '${server}': not found`;
    if (!r.virtualAddress) return port ? { address: r.address, port, label: server } : local;
    address = r.virtualAddress;
  } else {
    label = dns.hosts().find((h) => h.virtualAddress === server)?.name ?? server;
  }
  const routed = dns.routeDns(address);
  if (routed === null) return `;; connection timed out; no servers could be reached (no lab DNS server answers at ${address})`;
  return { address: '127.0.0.1', virtualAddress: address, port: routed, label };
}

function askAt(dns: LabDns, t: Target, name: string, type: string, opts: { rd: boolean; tcp: boolean; edns: boolean; session: number }): Promise<Answered> {
  return ask(dns.ctx, dns.shared, {
    port: t.port,
    name: canonical(name),
    type: type as 'A',
    rd: opts.rd,
    tcp: opts.tcp,
    fallback: true,
    edns: opts.edns,
    client: { name: `terminal ${opts.session}` },
    server: { name: t.label, ...(t.virtualAddress ? { virtualAddress: t.virtualAddress, virtualPort: 53 } : {}) },
  });
}

export async function runDnsCommand(dns: LabDns, cmd: DnsCommand, session: number, line: string): Promise<string[]> {
  if (cmd.kind === 'dig' && cmd.trace) return trace(dns, cmd, session, line);
  const t = await target(dns, cmd.server, cmd.kind === 'dig' ? cmd.port : undefined, cmd.kind);
  if (typeof t === 'string') return [t];
  const dig = cmd.kind === 'dig' ? cmd : null;
  const r = await askAt(dns, t, cmd.name, cmd.type, { rd: dig?.recurse ?? true, tcp: dig?.tcp ?? false, edns: dig?.edns ?? false, session });
  if (!r.ok) return [cmd.kind === 'dig' ? `;; communications error to ${t.virtualAddress ?? t.address}#${t.virtualAddress ? 53 : t.port}: ${r.error}` : `;; ${r.error}`];
  const shown = { address: t.virtualAddress ?? t.address, port: t.virtualAddress ? 53 : t.port };
  // nslookup prints the server as it was named (BIND's nslookup: "Server: dns.umass.edu"), its address after
  if (!dig) return nslookupReport(r.reply, canonical(cmd.name), cmd.type, { ...shown, label: cmd.server && !IPV4.test(cmd.server) ? cmd.server : shown.address });
  if (dig.short) return digShort(r.reply);
  const lines = r.truncatedUdp && !dig.tcp ? [';; Truncated, retrying in TCP mode.'] : [];
  return [...lines, ...digReport(r.reply, { command: line, server: { ...shown, label: t.label }, transport: r.transport, ms: r.ms, size: r.size, when: new Date(), recurse: dig.recurse })];
}

async function trace(dns: LabDns, cmd: Extract<DnsCommand, { kind: 'dig' }>, session: number, line: string): Promise<string[]> {
  const out = ['', `; <<>> DiG (NetLab) <<>> ${line}`, ';; global options: +cmd'];
  const local = await target(dns, undefined, undefined);
  if (typeof local === 'string') return [local];
  const first = await askAt(dns, local, '.', 'NS', { rd: true, tcp: cmd.tcp, edns: cmd.edns, session });
  if (!first.ok) return [...out, `;; ${first.error}`];
  out.push(...(first.reply.answers ?? []).map(rrLine), `;; Received ${first.size} bytes from 127.0.0.1#${local.port}(${LOCAL_SERVER.host}) in ${Math.round(first.ms)} ms`, '');
  let servers = ROOT_HINTS.map((h) => ({ host: h.host, address: h.address }));
  for (let hop = 0; hop < MAX_TRACE; hop++) {
    const s = servers[0];
    const routed = dns.routeDns(s.address);
    if (routed === null) return [...out, `;; no lab DNS server answers at ${s.address}`];
    const t: Target = { address: '127.0.0.1', virtualAddress: s.address, port: routed, label: s.host };
    const r = await askAt(dns, t, cmd.name, cmd.type, { rd: false, tcp: cmd.tcp, edns: cmd.edns, session });
    if (!r.ok) return [...out, `;; ${s.host}: ${r.error}`];
    const p: DecodedPacket = r.reply;
    out.push(...(p.answers ?? []).map(rrLine), ...(p.authorities ?? []).map(rrLine));
    out.push(`;; Received ${r.size} bytes from ${s.address}#53(${s.host}) in ${Math.round(r.ms)} ms`, '');
    const ns = (p.authorities ?? []).filter((a) => a.type === 'NS');
    if ((p.answers ?? []).length || messageRcode(p) !== 'NOERROR' || ns.length === 0) return out;
    const glue = (p.additionals ?? []).filter((a) => a.type === 'A');
    const next: { host: string; address: string }[] = [];
    for (const n of ns) {
      const host = canonical(String((n as { data: unknown }).data));
      const g = glue.find((a) => canonical(a.name) === host);
      if (g) next.push({ host, address: String((g as { data: unknown }).data) });
    }
    if (next.length === 0) {
      const host = canonical(String((ns[0] as { data: unknown }).data));
      const r2 = await dns.resolveHost(host);
      if (!r2.ok || !r2.virtualAddress) return [...out, `;; no address for ${host}`];
      next.push({ host, address: r2.virtualAddress });
    }
    servers = next;
  }
  return out;
}
