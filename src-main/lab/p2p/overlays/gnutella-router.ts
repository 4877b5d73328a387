/**
 * A servent's routing (Gnutella 0.6; K&R §2.5, Peterson & Davie §9.4): a Query or Ping is
 * flooded to every other neighbour while its TTL lasts (TTL − 1, hops + 1 at each forward);
 * one seen before (same GUID) is dropped — duplicate suppression, so a loop does not
 * multiply it; a QueryHit or Pong travels back on the reverse path, looked up by the GUID of
 * the Query or Ping it answers. Flat Gnutella links and KaZaA's super-node links
 * (X-Ultrapeer: True) are two overlays over the same peers: a flood stays within its own.
 */
import type { ConnectionInfo } from '../../api';
import { newGuid, type Descriptor, type Hit } from './gnutella-codec';
import { describeDescriptor } from './gnutella-decoder';
import type { GnutellaLink, LinkHooks } from './gnutella-link';
import { searchEntries } from './index-protocol';
import { OUTSIDE } from './overlay-capture';
import type { OverlayPeer } from './overlay-peer';
import type { OverlayHit } from './overlay-types';

/** remembered GUIDs (routes back): the oldest go past this */
const MAX_ROUTES = 50_000;

export interface Ask {
  guid: string;
  criteria: string;
  hits: OverlayHit[];
}

export class GnutellaRouter {
  readonly links = new Set<GnutellaLink>();
  private routes = new Map<string, GnutellaLink | 'self'>();
  readonly asks = new Map<string, Ask>();
  /** peers that answered this servent's Pings */
  readonly discovered = new Map<string, { ip: string; port: number; files: number; hops: number }>();
  duplicates = 0;
  readonly hooks: LinkHooks;

  constructor(private peer: OverlayPeer) {
    this.hooks = {
      descriptor: (link, d, bytes) => {
        this.record(link, 'c2s', bytes, describeDescriptor(d));
        this.receive(link, d);
        if (link.remote.name !== OUTSIDE) peer.ctx.meter.received(peer.name);
      },
      refused: (link, reason, bytes) => {
        if (bytes.length) this.record(link, 'c2s', bytes, `refused: ${reason}`);
        peer.ctx.capture.note(this.conn(link), `${peer.name} dropped a descriptor from ${link.remote.name}: ${reason}`);
      },
      sent: (link, d, bytes) => this.record(link, 's2c', bytes, describeDescriptor(d)),
      closed: (link) => {
        this.links.delete(link);
        peer.ctx.capture.close(this.conn(link));
      },
    };
  }

  /** a link up: on the accepting side its handshake is recorded, then the bytes after it read */
  attach(link: GnutellaLink, handshake: { dir: 'c2s' | 's2c'; bytes: Buffer }[] = [], rest?: Buffer): void {
    this.links.add(link);
    if (link.accepted) link.captureConn = this.peer.ctx.capture.open('gnutella', link.remote, this.peer.named());
    for (const h of handshake) this.peer.ctx.capture.record(this.conn(link), h.dir, h.bytes, h.bytes.toString('latin1', 0, h.bytes.indexOf('\r\n')));
    if (rest?.length) link.feed(rest);
  }

  neighbours(ultrapeer: boolean): string[] {
    return [...this.links].filter((l) => l.ultrapeer === ultrapeer).map((l) => l.remote.name);
  }

  private conn(link: GnutellaLink): ConnectionInfo | null {
    return link.captureConn as ConnectionInfo | null;
  }

  private record(link: GnutellaLink, dir: 'c2s' | 's2c', bytes: Buffer, summary: string): void {
    if (link.accepted) this.peer.ctx.capture.record(this.conn(link), dir, bytes, summary);
  }

  private send(link: GnutellaLink, d: Descriptor): void {
    this.peer.ctx.meter.sent(this.peer.name, link.remote.name === OUTSIDE ? null : link.remote.name, d.kind, d.guid.toString('hex'));
    link.send(d);
  }

  private remember(key: string, via: GnutellaLink | 'self'): void {
    this.routes.set(key, via);
    if (this.routes.size > MAX_ROUTES) this.routes.delete(this.routes.keys().next().value as string);
  }

  /** start a Query from this servent over its flat (false) or super-node (true) links */
  originate(criteria: string, ultrapeer: boolean, ttl = this.ttl): Ask {
    const guid = newGuid();
    const ask: Ask = { guid: guid.toString('hex'), criteria, hits: [] };
    this.asks.set(ask.guid, ask);
    if (this.asks.size > 1000) this.asks.delete(this.asks.keys().next().value as string);
    this.remember(`query:${ask.guid}`, 'self');
    for (const l of this.links) if (l.ultrapeer === ultrapeer) this.send(l, { guid, kind: 'query', ttl, hops: 0, payload: { kind: 'query', minSpeed: 0, criteria } });
    return ask;
  }

  /** the TTL this servent's own queries start with (the scenario's) */
  ttl = 7;

  ping(ttl = this.ttl): string {
    const guid = newGuid();
    this.remember(`ping:${guid.toString('hex')}`, 'self');
    for (const l of this.links) if (!l.ultrapeer) this.send(l, { guid, kind: 'ping', ttl, hops: 0, payload: { kind: 'ping' } });
    return guid.toString('hex');
  }

  private flood(from: GnutellaLink, d: Descriptor): void {
    if (d.ttl - 1 <= 0) return;
    for (const l of this.links) if (l !== from && l.ultrapeer === from.ultrapeer) this.send(l, { ...d, ttl: d.ttl - 1, hops: d.hops + 1 });
  }

  private routeBack(d: Descriptor, kind: 'query' | 'ping', from: GnutellaLink): void {
    const key = `${kind}:${d.guid.toString('hex')}`;
    const via = this.routes.get(key);
    if (via === 'self') {
      const p = d.payload;
      if (p.kind === 'queryHit') this.asks.get(d.guid.toString('hex'))?.hits.push(...p.hits.map((h) => ({ ...h, peer: this.peer.ctx.nameOf(p.ip, p.port) ?? p.servent.toString('latin1').replace(/\0+$/, ''), ip: p.ip, port: p.port, hops: d.hops + 1 })));
      if (p.kind === 'pong') this.discovered.set(`${p.ip}:${p.port}`, { ip: p.ip, port: p.port, files: p.files, hops: d.hops + 1 });
      return;
    }
    if (!via || via.closed) {
      this.peer.ctx.capture.note(this.conn(from), `${this.peer.name} dropped a ${d.kind === 'queryHit' ? 'QueryHit' : 'Pong'}: no ${kind} with its GUID came through here`);
      return;
    }
    if (d.ttl - 1 > 0) this.send(via, { ...d, ttl: d.ttl - 1, hops: d.hops + 1 });
  }

  private receive(link: GnutellaLink, d: Descriptor): void {
    const guid = d.guid.toString('hex');
    switch (d.kind) {
      case 'ping':
      case 'query': {
        const key = `${d.kind}:${guid}`;
        if (this.routes.has(key)) {
          this.duplicates++;
          return;
        }
        this.remember(key, link);
        // the answer goes back as far as the request came: TTL = hops + 1
        if (d.payload.kind === 'ping') {
          this.send(link, { guid: d.guid, kind: 'pong', ttl: d.hops + 1, hops: 0, payload: { kind: 'pong', port: this.peer.port, ip: this.peer.address, files: this.peer.files.length, kb: Math.ceil(this.peer.files.reduce((n, f) => n + f.size, 0) / 1024) } });
        } else if (d.payload.kind === 'query') {
          for (const hit of this.localHits(d.payload.criteria, link.ultrapeer)) this.send(link, { guid: d.guid, kind: 'queryHit', ttl: d.hops + 1, hops: 0, payload: hit });
        }
        this.flood(link, d);
        return;
      }
      case 'queryHit':
        return this.routeBack(d, 'query', link);
      case 'pong':
        return this.routeBack(d, 'ping', link);
    }
  }

  /** the QueryHits this servent answers with: its own files, or (a super-node) one per child holding a match */
  private localHits(criteria: string, ultrapeer: boolean): Extract<Descriptor['payload'], { kind: 'queryHit' }>[] {
    const entries = ultrapeer ? this.peer.childIndex.search(criteria) : searchEntries(this.peer.entries(), criteria);
    const byHolder = new Map<string, { ip: string; port: number; peer: string; hits: Hit[] }>();
    for (const e of entries) {
      const k = `${e.ip}:${e.port}`;
      if (!byHolder.has(k)) byHolder.set(k, { ip: e.ip, port: e.port, peer: e.peer, hits: [] });
      const h = byHolder.get(k)!;
      if (h.hits.length < 255) h.hits.push({ index: e.index, size: e.size, name: e.name });
    }
    return [...byHolder.values()].map((h) => ({ kind: 'queryHit', port: h.port, ip: h.ip, speed: 1000, hits: h.hits, servent: Buffer.from(h.peer.padEnd(16, '\0').slice(0, 16), 'latin1') }));
  }
}
