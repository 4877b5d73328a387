/**
 * Which transport a proxied request takes (RFC 3261 §18.1.1, RFC 3263 §4.1), pure:
 * - a `transport=` parameter in the URI of the next hop (a Route, a contact) decides;
 * - a lab domain's proxy found by SRV goes over the transport of the record found: the proxy
 *   asks first for the transport the request came in on (_sip._tcp for a request that came
 *   over TCP), then the other one (see SipService.resolve);
 * - a registered contact without the parameter, over the transport its REGISTER came on;
 * - anything else over UDP.
 * A request larger than 1300 bytes that would go over UDP goes over TCP (unless its URI named
 * UDP), and over UDP after all if no TCP connection can be made (§18.1.1).
 * The Via the proxy adds names the transport (SIP/2.0/TCP), and so do its Record-Routes. When
 * the request leaves on another transport than it came in on, the proxy records the route
 * twice (RFC 5658, double Record-Route): the upper entry for the side it sends to, the lower
 * for the side it came from, so each side's in-dialog requests come back over its own transport.
 */
export type Transport = 'udp' | 'tcp';

/** §18.1.1: over this size, a request that would go over UDP goes over TCP */
export const UDP_MAX_BYTES = 1300;

/** the transport a URI's parameters ask for (`;transport=tcp`), if one the lab speaks */
export function transportParam(params: string | undefined): Transport | undefined {
  const m = /;\s*transport=([A-Za-z]+)/i.exec(params ?? '');
  const t = m?.[1].toLowerCase();
  return t === 'tcp' || t === 'udp' ? t : undefined;
}

/** the Record-Route values a proxy at `self` adds, topmost first */
export function recordRoutes(self: string, inbound: Transport, outbound: Transport): string[] {
  const rr = (t: Transport): string => `<sip:${self}${t === 'tcp' ? ';transport=tcp' : ''};lr>`;
  return inbound === outbound ? [rr(outbound)] : [rr(outbound), rr(inbound)];
}
