/** Words the mail lab core sends (src-main/lab/mail/lab-text-mail.ts): a delivery report's Action (RFC 3464 §2.3.3). */
export default {
  dsn: { action: { failed: 'failed', delayed: 'delayed', delivered: 'delivered', relayed: 'relayed', expanded: 'expanded' } },
};
