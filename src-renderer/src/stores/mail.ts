import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { lab, errorMessage } from '../api';
import type { MailChanged, MailDraft, MailMessageDetail, MailMessageSummary, MailQueueEntry, MailReturned, MailSendResult, MailSpoolDamage, MailUserInfo } from '../api/types';
import { useCaptureStore } from './capture';
import { useLayoutStore } from './layout';

export type MailPane = 'mailbox' | 'queue' | 'compose';

/** The Mail tab: mailboxes, the outgoing queue, the compose form; kept in step with 'mail.changed'. */
export const useMailStore = defineStore('mail', () => {
  const pane = ref<MailPane>('mailbox');
  const users = ref<MailUserInfo[]>([]);
  const mailbox = ref<string>('bob@hamburger.edu');
  const messages = ref<MailMessageSummary[]>([]);
  const selectedUid = ref<string | null>(null);
  const detail = ref<MailMessageDetail | null>(null);
  const queue = ref<MailQueueEntry[]>([]);
  /** bounces: what the queue gave back to senders this run */
  const returned = ref<MailReturned[]>([]);
  /** journal records the spool could not read back at the last start */
  const spoolDamage = ref<MailSpoolDamage[]>([]);
  const error = ref('');
  const sending = ref(false);
  const sent = ref<MailSendResult | null>(null);
  let subscribed = false;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  let pendingBoxes = new Set<string>();
  let pendingQueue = false;

  async function guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      error.value = '';
      return await fn();
    } catch (err) {
      error.value = errorMessage(err);
      return undefined;
    }
  }

  /** the open mailbox changed while another pane was shown: listed again when it is shown */
  let messagesStale = false;

  /**
   * many deliveries arrive at once (a benchmark, a relay flush): refresh at most every 300 ms,
   * never a list still on its way (one more follows it), and the open mailbox only while its
   * pane is shown — a flood of thousands must not be listed again and again for nobody
   */
  function changed(change: MailChanged): void {
    if (change.mailbox) pendingBoxes.add(change.mailbox);
    if (change.queue) pendingQueue = true;
    refreshTimer ??= setTimeout(() => {
      refreshTimer = null;
      const boxes = pendingBoxes;
      const q = pendingQueue;
      pendingBoxes = new Set();
      pendingQueue = false;
      if (boxes.size) void refreshUsers();
      if (boxes.has(mailbox.value)) {
        if (pane.value === 'mailbox') void refreshMessages();
        else messagesStale = true;
      }
      if (q) void refreshQueue();
    }, 300);
  }

  watch(pane, (p) => {
    if (p === 'mailbox' && messagesStale) void refreshMessages();
  });

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('mail.changed', changed);
    }
    await Promise.all([loadUsers(), loadMessages(), loadQueue()]);
  }

  async function loadUsers(): Promise<void> {
    const list = await guard(() => lab.call('mail.users'));
    if (list) users.value = list;
  }

  /** the latest listing asked for: an older answer (another mailbox, or read before a delivery) arriving late is dropped */
  let listing = 0;
  async function loadMessages(): Promise<void> {
    messagesStale = false;
    const ticket = ++listing;
    const list = await guard(() => lab.call('mail.mailbox', mailbox.value));
    if (!list || ticket !== listing) return;
    messages.value = list;
    if (selectedUid.value && !list.some((m) => m.uid === selectedUid.value)) {
      selectedUid.value = null;
      detail.value = null;
    }
  }

  let queueLoads = 0;
  async function loadQueue(): Promise<void> {
    const ticket = ++queueLoads;
    const [list, back, damage] = await Promise.all([
      guard(() => lab.call('mail.queue')),
      guard(() => lab.call('mail.returned')),
      guard(() => lab.call('mail.spoolDamage')),
    ]);
    if (ticket !== queueLoads) return;
    if (list) queue.value = list;
    if (back) returned.value = back;
    if (damage) spoolDamage.value = damage;
  }

  const refreshUsers = oneAtATime(loadUsers);
  const refreshMessages = oneAtATime(loadMessages);
  const refreshQueue = oneAtATime(loadQueue);

  async function openMailbox(address: string): Promise<void> {
    mailbox.value = address;
    selectedUid.value = null;
    detail.value = null;
    pane.value = 'mailbox';
    await loadMessages();
  }

  async function openMessage(uid: string): Promise<void> {
    selectedUid.value = uid;
    const d = await guard(() => lab.call('mail.message', mailbox.value, uid));
    if (selectedUid.value === uid) detail.value = d ?? null;
  }

  async function retry(): Promise<void> {
    queueLoads++;
    const list = await guard(() => lab.call('mail.retry'));
    if (list) queue.value = list;
  }

  async function preview(draft: MailDraft): Promise<string> {
    return (await guard(() => lab.call('mail.preview', draft))) ?? '';
  }

  async function send(draft: MailDraft): Promise<MailSendResult | undefined> {
    sending.value = true;
    try {
      const r = await guard(() => lab.call('mail.send', draft));
      sent.value = r ?? null;
      return r;
    } finally {
      sending.value = false;
    }
  }

  /** Show one captured conversation in the inspector: open it, filter on the connection, select its first message. */
  function showConnection(conn: number): void {
    const layout = useLayoutStore();
    const capture = useCaptureStore();
    if (layout.collapsed) layout.toggleInspector();
    capture.followConnection(conn);
    const first = capture.messagesOf(conn).find((m) => m.kind === 'message');
    if (first) capture.select(first.id);
  }

  return {
    pane,
    users,
    mailbox,
    messages,
    selectedUid,
    detail,
    queue,
    returned,
    spoolDamage,
    error,
    sending,
    sent,
    load,
    loadQueue,
    openMailbox,
    openMessage,
    retry,
    preview,
    send,
    showConnection,
  };
});

/** A refresh asked for while the last one is still on its way runs once after it, not beside it. */
function oneAtATime(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = load().finally(() => {
      running = null;
      if (again) {
        again = false;
        void run();
      }
    });
    return running;
  };
  return run;
}
