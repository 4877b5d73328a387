/**
 * What web mail (Kurose & Ross §2.3.4) asks of a domain's mail server: the user agent is a
 * browser, so the user's mailbox is read over HTTP from the Maildir and a message sent over
 * HTTP is taken by the user's own mail server — mail.<domain> — which stores it and then uses
 * SMTP to the next hop (its relay queue to the recipients' MX), or delivers it locally. The
 * web server's pages are web/server/webmail.ts; this is the mail side, no sockets.
 */
import type { MailSystem } from './mail-system';
import { MailApi } from './mail-api';
import { composeMessage } from './mime-compose';
import { splitAddress } from './users';
import type { WebMailBackend, WebMailLogin, WebMailSent } from '../web/server/webmail';

export function webMailBackend(mail: MailSystem): WebMailBackend {
  const api = new MailApi(mail);
  const domainOf = (host: string): { domain: string; host: string } | undefined => {
    const h = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    const d = mail.directory.domains.find((x) => x.host === h);
    return d ? { domain: d.domain, host: d.host } : undefined;
  };
  return {
    serverFor: domainOf,

    async login(host: string, user: string, password: string, clientAddress: string): Promise<WebMailLogin> {
      const where = domainOf(host);
      if (!where) return { ok: false, error: 'no web mail here' };
      const guard = mail.logins.guard(clientAddress);
      const locked = guard.lockedFor();
      if (locked > 0) return { ok: false, error: `too many wrong passwords from ${guard.address}: try again in ${Math.ceil(locked / 1000)} s`, locked: true };
      const login = user.includes('@') ? user : `${user}@${where.domain}`;
      const address = mail.authenticate(login, password);
      if (address && splitAddress(address)?.domain === where.domain) return { ok: true, address };
      const verdict = await guard.failed();
      return { ok: false, error: `wrong user name or password for ${where.host}`, locked: verdict.kind === 'locked-out' };
    },

    inbox: (address) => api.mailbox(address),
    message: (address, uid) => api.message(address, uid),

    async send(address, draft, clientAddress): Promise<WebMailSent> {
      const parts = splitAddress(address)!;
      const server = mail.directory.domain(parts.domain)!;
      for (const rcpt of draft.to) {
        const check = mail.checkRecipient(parts.domain, rcpt);
        if (!check.ok) return { ok: false, error: `${rcpt}: ${check.reply.replace(/\r?\n$/, '')}` };
      }
      const data = composeMessage({ from: address, to: draft.to, subject: draft.subject, text: draft.text }, new Date(), server.host);
      const id = await mail.accept(
        { local: parts.domain, hostname: server.host, clientName: 'browser', clientAddress, protocol: 'HTTP' },
        { from: address, rcpts: draft.to, helo: server.host, esmtp: true, auth: address },
        data,
      );
      const remote = [...new Set(draft.to.map((r) => splitAddress(r)!.domain).filter((d) => d !== parts.domain))];
      const hops = remote.map((d) => mail.directory.domain(d)?.host ?? d);
      return { ok: true, id, server: server.host, relayedTo: hops };
    },
  };
}
