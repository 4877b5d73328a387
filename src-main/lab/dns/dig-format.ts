/**
 * dig's and nslookup's output (BIND 9.18's layout), from a decoded reply. Pure.
 */
import type { Answer, DecodedPacket } from 'dns-packet';
import * as packet from 'dns-packet';
import { messageRcode } from './codec';

function dot(name: string): string {
  return name === '.' ? '.' : `${name}.`;
}

export function rdata(a: Answer): string {
  const d = (a as { data?: unknown }).data;
  switch (a.type) {
    case 'MX': {
      const m = d as packet.MxData;
      return `${m.preference ?? 0} ${dot(m.exchange)}`;
    }
    case 'SRV': {
      const v = d as packet.SrvData;
      return `${v.priority ?? 0} ${v.weight ?? 0} ${v.port} ${dot(v.target)}`;
    }
    case 'SOA': {
      const s = d as packet.SoaData;
      return `${dot(s.mname)} ${dot(s.rname)} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'TXT':
      return (Array.isArray(d) ? d : [d]).map((x) => `"${Buffer.isBuffer(x) ? x.toString('utf8') : String(x)}"`).join(' ');
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return dot(String(d));
    default:
      return Buffer.isBuffer(d) ? `\\# ${d.length} ${d.toString('hex')}` : String(d);
  }
}

export function rrLine(a: Answer): string {
  const name = dot(a.name);
  return `${name}${name.length < 24 ? '\t'.repeat(Math.ceil((24 - name.length) / 8)) : '\t'}${(a as { ttl?: number }).ttl ?? 0}\tIN\t${a.type}\t${rdata(a)}`;
}

export interface DigContext {
  command: string;
  server: { address: string; port: number; label: string };
  transport: 'udp' | 'tcp';
  ms: number;
  size: number;
  when: Date;
  recurse: boolean;
}

export function digReport(p: DecodedPacket, c: DigContext): string[] {
  const names = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'].filter((f) => (p as unknown as Record<string, boolean>)[`flag_${f}`]);
  const opt = (p.additionals ?? []).find((a) => a.type === 'OPT') as packet.OptAnswer | undefined;
  const additionals = (p.additionals ?? []).filter((a) => a.type !== 'OPT');
  const out = [
    '',
    `; <<>> DiG (NetLab) <<>> ${c.command}`,
    ';; global options: +cmd',
    ';; Got answer:',
    `;; ->>HEADER<<- opcode: QUERY, status: ${messageRcode(p)}, id: ${p.id ?? 0}`,
    `;; flags: ${names.join(' ')}; QUERY: ${p.questions?.length ?? 0}, ANSWER: ${p.answers?.length ?? 0}, AUTHORITY: ${p.authorities?.length ?? 0}, ADDITIONAL: ${p.additionals?.length ?? 0}`,
  ];
  if (c.recurse && !p.flag_ra) out.push(';; WARNING: recursion requested but not available');
  out.push('');
  if (opt) out.push(';; OPT PSEUDOSECTION:', `; EDNS: version: ${opt.ednsVersion}, flags:${opt.flag_do ? ' do' : ''}; udp: ${opt.udpPayloadSize}`);
  out.push(';; QUESTION SECTION:', ...(p.questions ?? []).map((q) => `;${dot(q.name)}\t\t\tIN\t${q.type}`), '');
  const section = (title: string, list: readonly Answer[]): void => {
    if (list.length) out.push(`;; ${title} SECTION:`, ...list.map(rrLine), '');
  };
  section('ANSWER', p.answers ?? []);
  section('AUTHORITY', p.authorities ?? []);
  section('ADDITIONAL', additionals);
  out.push(
    `;; Query time: ${Math.round(c.ms)} msec`,
    `;; SERVER: ${c.server.address}#${c.server.port}(${c.server.label}) (${c.transport.toUpperCase()})`,
    `;; WHEN: ${c.when.toUTCString()}`,
    `;; MSG SIZE  rcvd: ${c.size}`,
    '',
  );
  return out;
}

export function digShort(p: DecodedPacket): string[] {
  return (p.answers ?? []).map(rdata);
}

export function nslookupReport(p: DecodedPacket, name: string, type: string, server: { address: string; port: number; label?: string }): string[] {
  const out = [`Server:\t\t${server.label ?? server.address}`, `Address:\t${server.address}#${server.port}`, ''];
  const rcode = messageRcode(p);
  if (rcode !== 'NOERROR') return [...out, `** server can't find ${name}: ${rcode}`, ''];
  const answers = p.answers ?? [];
  if (answers.length === 0) {
    const soa = (p.authorities ?? []).find((a) => a.type === 'SOA');
    return [...out, `*** Can't find ${name}: No answer`, ...(soa ? ['', 'Authoritative answers can be found from:', rrLine(soa)] : []), ''];
  }
  if (!p.flag_aa) out.push('Non-authoritative answer:');
  for (const a of answers) {
    const d = rdata(a);
    if (a.type === 'A' || a.type === 'AAAA') out.push(`Name:\t${a.name}`, `Address: ${d}`);
    else if (a.type === 'CNAME') out.push(`${a.name}\tcanonical name = ${d}`);
    else if (a.type === 'MX') out.push(`${a.name}\tmail exchanger = ${d}`);
    else if (a.type === 'NS') out.push(`${a.name}\tnameserver = ${d}`);
    else if (a.type === 'PTR') out.push(`${a.name}\tname = ${d}`);
    else if (a.type === 'TXT') out.push(`${a.name}\ttext = ${d}`);
    else if (a.type === 'SOA') {
      const s = (a as packet.SoaAnswer).data;
      out.push(`${a.name}`, `\torigin = ${s.mname}`, `\tmail addr = ${s.rname}`, `\tserial = ${s.serial}`, `\trefresh = ${s.refresh}`, `\tretry = ${s.retry}`, `\texpire = ${s.expire}`, `\tminimum = ${s.minimum}`);
    } else out.push(`${a.name}\t${a.type} ${d}`);
  }
  void type;
  out.push('');
  return out;
}
