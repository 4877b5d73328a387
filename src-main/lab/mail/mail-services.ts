/**
 * The mail area's services for the registry: the submission listener, one MX per lab mail
 * domain, POP3 and IMAP, all sharing one MailSystem (users, spool, Maildirs, outgoing queue).
 */
import { ImapService } from './imap/imap-service';
import { Pop3Service } from './pop3/pop3-service';
import type { LabService, ServiceContext } from '../services/service';
import { createSmtpServices } from './smtp/smtp-service';
import { MailSystem } from './mail-system';

export function createMailServices(ctx: ServiceContext, port: (id: string, fallback: number) => number): LabService[] {
  const mail = new MailSystem(ctx);
  return [...createSmtpServices(ctx, mail, port), new Pop3Service(ctx, port('pop3', 1110), mail), new ImapService(ctx, port('imap', 1143), mail)];
}

/** The mail system behind the lab's services (for the API), if the mail services are there. */
export function mailSystemOf(services: readonly LabService[]): MailSystem | undefined {
  for (const s of services) if (s instanceof Pop3Service) return s.mail;
  return undefined;
}
