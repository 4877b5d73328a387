/**
 * What the terminal adds when a lab host refuses a connection: where that port does answer.
 * K&R §2.3.1's session greets with "220 hamburger.edu", so a student types
 * `telnet hamburger.edu 25`; the lab's hamburger.edu is a host of its own and its mail goes to
 * its MX, mail.hamburger.edu. Real telnet says only "Connection refused"; the lab says where to go.
 */
import type { LabHost } from '../api';
import type { Route } from '../internet/internet';

export interface Refused {
  name?: string;
  virtualAddress: string;
  port: number;
}

/** at most this many hosts are named; the rest are counted */
const NAMED = 4;

/** `tool`: what the user typed (telnet, nc, ftp), for the line to try */
export function refusedHint(tool: string, refused: Refused, routes: readonly Route[], hosts: readonly LabHost[]): string[] {
  const shown = refused.name ?? refused.virtualAddress;
  const first = `${shown} (${refused.virtualAddress}) runs no lab server on port ${refused.port}.`;
  const addresses = new Set(routes.filter((r) => r.virtualPort === refused.port).map((r) => r.virtualAddress));
  const names = hosts.filter((h) => addresses.has(h.virtualAddress)).map((h) => h.name);
  if (names.length === 0) return [first, `No lab server answers on port ${refused.port} now: \`services\` lists what runs, and on which ports.`];
  // a server of the same domain first: mail.hamburger.edu for hamburger.edu, www.x for x
  const domain = shown.split('.').length > 2 ? shown.slice(shown.indexOf('.') + 1) : shown;
  const near = names.find((n) => n.endsWith(`.${domain}`));
  if (near) return [first, `Port ${refused.port} of ${domain} answers at ${near}: try \`${tool} ${near} ${refused.port}\`.`];
  const listed = names.slice(0, NAMED).join(', ') + (names.length > NAMED ? ` and ${names.length - NAMED} more` : '');
  return [first, `Port ${refused.port} answers at ${listed}.`];
}
