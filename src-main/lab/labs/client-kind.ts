/**
 * Who is behind a captured connection, from the name the lab gave its client end
 * (internet/names.ts: each lab client notes its local port before it speaks). A connection
 * nobody named came from outside the lab: a shell's nc, curl, dig or swaks.
 */
import type { ConnectionInfo } from '../api';
import type { ClientKind } from './lab-file';

const KINDS: [RegExp, ClientKind][] = [
  [/^terminal \d+/i, 'terminal'],
  // a program run from the editor (and the program checks' own runs) name themselves "program …"
  [/^(program\b|your .*program)/i, 'program'],
  [/user agent$/i, 'compose'],
  [/\(relay\)$/i, 'relay'],
  [/^(resolver|local DNS server)/i, 'resolver'],
  [/^proxy cache$/i, 'proxy'],
];

export function clientKind(conn: Pick<ConnectionInfo, 'client'> | undefined): ClientKind {
  const name = conn?.client.name;
  if (!name) return 'outside';
  for (const [re, kind] of KINDS) if (re.test(name)) return kind;
  // the guide, the experiments, an authoritative server asking another: the lab's own clients
  return 'lab';
}
