/**
 * The lab's mail domains and users, read once from resources/mail/users.yaml (validated
 * at the edge). Addresses are compared case-insensitively on the domain and the local part,
 * which RFC 5321 §2.4 allows a server to do for its own mailboxes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { checkYaml } from '../scenarios/yaml-schema';

/**
 * The submission server's one name: Alice's mail server in Kurose & Ross §2.3 is mail.crepes.fr.
 * It greets with it, says it in EHLO, stamps it in Received: (the mail view's Path), sends it
 * as the relay's EHLO and as the Reporting-MTA of its bounces. It takes every lab user's mail
 * (also dialled as mail.<domain> port 587, RFC 6409), as one provider's server does.
 */
export const SUBMISSION_HOST = 'mail.crepes.fr';

const fileSchema = z
  .object({
    domains: z.record(
      z.string().regex(/^[a-z0-9.-]{1,100}$/),
      z.object({ host: z.string().min(1).max(100), port: z.number().int().min(0).max(65535) }).strict(),
    ),
    users: z
      .array(
        z
          .object({
            address: z.string().regex(/^[a-z0-9._-]{1,64}@[a-z0-9.-]{1,100}$/),
            name: z.string().max(100),
            password: z.string().min(1).max(100),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict();

export interface MailDomain {
  domain: string;
  /** the mail server's host name: banner, Received headers, the lab route mail.<domain>:25 */
  host: string;
  port: number;
}

export interface MailUser {
  address: string;
  local: string;
  domain: string;
  name: string;
  password: string;
}

export class MailDirectory {
  readonly domains: MailDomain[];
  readonly users: MailUser[];

  constructor(raw: unknown) {
    const file = fileSchema.parse(raw);
    this.domains = Object.entries(file.domains).map(([domain, d]) => ({ domain, ...d }));
    this.users = file.users.map((u) => {
      const [local, domain] = u.address.split('@') as [string, string];
      if (!file.domains[domain]) throw new Error(`user ${u.address}: ${domain} is not a lab mail domain`);
      return { ...u, local, domain };
    });
  }

  /** Through the same size and nesting limits as every YAML text (a users file is edited
   *  by hand too); a bad file names its line. */
  static load(resourcesDir: string): MailDirectory {
    const file = path.join(resourcesDir, 'mail', 'users.yaml');
    const checked = checkYaml(fs.readFileSync(file, 'utf8'), fileSchema, { maxChars: 1_000_000, maxDepth: 64 });
    if (!checked.ok) throw new Error(`${file}${checked.line ? ` line ${checked.line}` : ''}: ${checked.message}`);
    return new MailDirectory(checked.data);
  }

  domain(name: string): MailDomain | undefined {
    const d = name.toLowerCase().replace(/\.$/, '');
    return this.domains.find((x) => x.domain === d);
  }

  user(address: string): MailUser | undefined {
    const a = address.toLowerCase();
    return this.users.find((u) => u.address === a);
  }

  /** POP3's USER: a full address, or a local part that only one domain has (`user bob`). */
  login(name: string): MailUser | undefined {
    const n = name.toLowerCase();
    if (n.includes('@')) return this.user(n);
    const matches = this.users.filter((u) => u.local === n);
    return matches.length === 1 ? matches[0] : undefined;
  }
}

/** Split an address into local part and domain; undefined when it is not one. */
export function splitAddress(address: string): { local: string; domain: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  return { local: address.slice(0, at), domain: address.slice(at + 1).toLowerCase() };
}
