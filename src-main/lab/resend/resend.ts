/**
 * Edit and resend, behind the lab API: the draft of a captured request, and its edited copy
 * sent again from a lab client to the same lab service. Limits first, then the service's
 * state, then the wire; every refusal is a sentence the inspector shows.
 */
import { randomInt } from 'node:crypto';
import * as packet from 'dns-packet';
import type { AreaMethods } from '../api';
import type { CaptureStore } from '../capture/store';
import type { ClientNames } from '../internet/names';
import type { LabService } from '../services/service';
import { encodeQuery, messageRcode, type QType } from '../dns/codec';
import { digShort } from '../dns/dig-format';
import { draftOf, targetOf } from './resend-draft';
import { sendDnsUdp, sendHttp, sendLines, type Wire } from './resend-wire';
import { RESEND_MAX_BYTES, RESEND_MAX_LINE, RESEND_MAX_LINES, ResendError, type ResendRequest, type ResendResult } from './resend-types';

export interface ResendDeps {
  store: CaptureStore;
  names: ClientNames;
  services: () => readonly LabService[];
}

const DNS_NAME = /^\.$|^[A-Za-z0-9_-]{1,63}(\.[A-Za-z0-9_-]{1,63})*\.?$/;
const DNS_TYPES = new Set(['A', 'AAAA', 'NS', 'CNAME', 'MX', 'SOA', 'PTR', 'TXT', 'SRV', 'ANY']);

/** The edited HTTP text as bytes: the head's lines end in CRLF whatever the editor used (RFC 9112 §2.2). */
export function httpBytes(text: string): Buffer {
  const m = /\r?\n\r?\n/.exec(text);
  const head = (m ? text.slice(0, m.index) : text.replace(/(\r?\n)+$/, '')).replace(/\r?\n/g, '\r\n');
  const body = m ? text.slice(m.index + m[0].length) : '';
  // latin1 gives back the captured bytes exactly; a character past it is sent as UTF-8
  const wide = /[^\x00-\xff]/.test(text);
  return Buffer.from(`${head}\r\n\r\n${body}`, wide ? 'utf8' : 'latin1');
}

function checkSize(bytes: number, what: string): void {
  if (bytes > RESEND_MAX_BYTES) throw new ResendError(`the ${what} is ${bytes.toLocaleString('en')} bytes; a resend sends at most ${RESEND_MAX_BYTES.toLocaleString('en')}`);
}

function checkLines(lines: string[]): string[] {
  const kept = [...lines];
  while (kept.length && kept[kept.length - 1].trim() === '') kept.pop();
  if (kept.length === 0) throw new ResendError('there is no command line to send');
  if (kept.length > RESEND_MAX_LINES) throw new ResendError(`the session has ${kept.length} lines; a resend sends at most ${RESEND_MAX_LINES}`);
  const long = kept.findIndex((l) => l.length > RESEND_MAX_LINE);
  if (long >= 0) throw new ResendError(`line ${long + 1} is ${kept[long].length} characters; a line is at most ${RESEND_MAX_LINE} (RFC 5321 §4.5.3.1.6)`);
  checkSize(kept.reduce((n, l) => n + l.length + 2, 0), 'session');
  return kept;
}

export class Resender {
  constructor(private deps: ResendDeps) {}

  draft(id: number) {
    return draftOf(this.deps.store, this.deps.services(), id);
  }

  async send(req: ResendRequest): Promise<ResendResult> {
    const { store, names } = this.deps;
    const draft = draftOf(store, this.deps.services(), req.from);
    if (draft.kind !== req.kind) throw new ResendError(`message #${req.from} is ${draft.kind === 'lines' ? 'a mail command' : `a ${draft.kind.toUpperCase()} request`}, not what this resend carries`);
    const target = targetOf(store, this.deps.services(), req.from);
    const service = this.deps.services().find((s) => s.id === target.service);
    if (!service || service.state !== 'running') {
      throw new ResendError(`the ${target.serviceName} is ${service?.state ?? 'gone'}: start it in the services rail, then resend`);
    }
    const wire: Wire = { names, port: service.port, what: `${target.serviceName} on port ${service.port}`, ...(target.host ? { host: target.host } : {}) };
    let sent: { clientPort: number; reply: string };
    if (req.kind === 'http') {
      const bytes = httpBytes(req.text);
      checkSize(bytes.length, 'request');
      if (!/^\S+ \S+/.test(req.text)) throw new ResendError('the first line is not a request line (METHOD target HTTP/1.1)');
      sent = await sendHttp(wire, bytes);
    } else if (req.kind === 'dns') {
      sent = await this.dns(wire, req);
    } else {
      sent = await sendLines(wire, draft.kind === 'lines' ? draft.protocol : 'smtp', checkLines(req.lines));
    }
    return { ...store.clientExchange(service.id, sent.clientPort), reply: sent.reply };
  }

  private async dns(wire: Wire, req: Extract<ResendRequest, { kind: 'dns' }>): Promise<{ clientPort: number; reply: string }> {
    const name = req.name.trim();
    const type = req.type.trim().toUpperCase();
    if (name.length > 254 || !DNS_NAME.test(name)) throw new ResendError(`"${name.slice(0, 60)}" is not a domain name (labels of letters, digits and dashes, dots between)`);
    if (!DNS_TYPES.has(type)) throw new ResendError(`${type.slice(0, 20)} is not a type the lab serves (${[...DNS_TYPES].join(', ')})`);
    const id = randomInt(0, 65536);
    const query = encodeQuery(id, name === '.' ? '.' : name.replace(/\.$/, ''), type as QType, req.rd);
    const r = await sendDnsUdp(wire, query, id);
    const reply = packet.decode(r.reply);
    return { clientPort: r.clientPort, reply: [messageRcode(reply), ...digShort(reply)].join(' · ') };
  }
}

export function resendMethods(resender: () => Resender): AreaMethods<'resend'> {
  return {
    'resend.draft': async (id) => resender().draft(id),
    'resend.send': async (req) => resender().send(req),
  };
}
