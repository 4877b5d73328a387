/** mail-dns: files whose strings are not in the catalogues yet (this list shrinks to empty, then goes) */
export default [
  'components/mail/BounceReport.vue',
  'components/mail/ComposePane.vue',
  'components/mail/HopPath.vue',
  'components/mail/MessageDetail.vue',
  'components/mail/MessageList.vue',
  'components/mail/MimeTree.vue',
  'components/mail/QueuePane.vue',
  'views/MailView.vue',
];
