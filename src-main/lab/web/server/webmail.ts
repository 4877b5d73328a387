/**
 * Web mail on the lab web server (Kurose & Ross §2.3.4): http://mail.hamburger.edu/ (and
 * mail.crepes.fr, mail.networkutopia.com) is that domain's mail server seen from a browser.
 * The inbox and each message are read over HTTP from the user's Maildir; a message written
 * in the browser goes to the server over HTTP (a form POST), and the server then uses SMTP
 * to the next hop. The user signs in with Basic authentication (RFC 7617) and the lab mail
 * password. The mail side (mailboxes, sending) is mail/webmail-backend.ts.
 */
import { header } from '../head';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';
import { errorPage, escapeHtml, htmlPage } from '../pages';

export type WebMailLogin = { ok: true; address: string } | { ok: false; error: string; locked?: boolean };
export type WebMailSent = { ok: true; id: string; server: string; relayedTo: string[] } | { ok: false; error: string };

/** The mail side, as the web server needs it (lab.ts wires it in). */
export interface WebMailBackend {
  /** the mail domain whose server is `host` (mail.<domain>), if any */
  serverFor(host: string): { domain: string; host: string } | undefined;
  login(host: string, user: string, password: string, clientAddress: string): Promise<WebMailLogin>;
  inbox(address: string): Promise<{ uid: string; from: string; subject: string; date: string; size: number; folder: 'new' | 'cur' }[]>;
  message(address: string, uid: string): Promise<{ from: string; to: string; subject: string; date: string; text: string; headers: { name: string; value: string }[] } | null>;
  send(address: string, draft: { to: string[]; subject: string; text: string }, clientAddress: string): Promise<WebMailSent>;
}

const MAX_FORM = 256 * 1024;
const ADDRESS = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}$/;

function page(title: string, body: string, status = 200): HttpResponse {
  return { status, headers: [['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store']], body: htmlPage(title, body) };
}

function credentials(req: HttpRequest): { user: string; password: string } | undefined {
  const auth = header(req.headers, 'authorization');
  const m = auth && /^Basic\s+([A-Za-z0-9+/=]{1,1000})$/i.exec(auth.trim());
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon > 0 ? { user: text.slice(0, colon), password: text.slice(colon + 1) } : undefined;
}

function challenge(host: string, why: string, status: 401 | 429 = 401): HttpResponse {
  return errorPage(status, `${why}. Sign in with your lab mail account (bob / hungry on mail.hamburger.edu).`, [['WWW-Authenticate', `Basic realm="${host} web mail", charset="UTF-8"`]]);
}

/** A form POSTed from another site's page (the browser would bring the saved password): refused. */
function crossSite(req: HttpRequest, host: string): boolean {
  const origin = header(req.headers, 'origin');
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host.toLowerCase() !== host.toLowerCase();
  } catch {
    return true;
  }
}

const nav = (address: string, host: string) =>
  `<p>Signed in to <b>${escapeHtml(host)}</b> as <b>${escapeHtml(address)}</b> · <a href="/">Inbox</a> · <a href="/compose">Write</a></p>`;

/** Answer a request to a web mail host, or null when `host` has none. */
export function webMail(req: HttpRequest, hostHeader: string, backend: WebMailBackend, clientAddress: string): Promise<HttpResponse> | null {
  const server = backend.serverFor(hostHeader);
  if (!server) return null;
  return answer(req, server.host, backend, clientAddress);
}

async function answer(req: HttpRequest, host: string, backend: WebMailBackend, clientAddress: string): Promise<HttpResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return errorPage(405, 'Web mail takes GET and POST.', [['Allow', 'GET, HEAD, POST']]);
  const given = credentials(req);
  if (!given) return challenge(host, 'Web mail needs you to sign in');
  const who = await backend.login(host, given.user, given.password, clientAddress);
  if (!who.ok) return challenge(host, who.error, who.locked ? 429 : 401);
  const me = who.address;
  if (req.path === '/' && req.method !== 'POST') return inboxPage(await backend.inbox(me), me, host);
  if (req.path === '/message' && req.method !== 'POST') {
    const uid = new URLSearchParams(req.query).get('uid') ?? '';
    if (!/^[A-Za-z0-9._,:=-]{1,200}$/.test(uid)) return errorPage(400, 'A message is /message?uid=<its Maildir name>.');
    const m = await backend.message(me, uid);
    if (!m) return errorPage(404, `No message ${uid} in ${me}'s mailbox.`);
    const head = m.headers.map((h) => `${escapeHtml(h.name)}: ${escapeHtml(h.value)}`).join('\n');
    return page(m.subject || '(no subject)', `${nav(me, host)}<p><b>From:</b> ${escapeHtml(m.from)}<br><b>To:</b> ${escapeHtml(m.to)}<br><b>Date:</b> ${escapeHtml(m.date)}</p><pre class="body">${escapeHtml(m.text.trimEnd())}</pre><details><summary>All headers</summary><pre>${head}</pre></details>`);
  }
  if (req.path === '/compose' && req.method !== 'POST') {
    return page(
      `Write a message from ${me}`,
      `${nav(me, host)}<form method="post" action="/send"><p><label>To <input name="to" size="50" placeholder="alice@crepes.fr"></label></p><p><label>Subject <input name="subject" size="50"></label></p><p><textarea name="text" rows="12" cols="72"></textarea></p><p><button type="submit">Send</button></p></form>` +
        `<p>The browser sends this form to ${escapeHtml(host)} over HTTP (a POST); the server then sends the message on with SMTP.</p>`,
    );
  }
  if (req.path === '/send') {
    if (req.method !== 'POST') return errorPage(405, '/send takes the compose form, POSTed.', [['Allow', 'POST']]);
    if (crossSite(req, host)) return errorPage(403, `A form from another site may not send mail as ${me}.`);
    return send(req, me, host, backend, clientAddress);
  }
  return errorPage(404, `${req.path.slice(0, 100)}: web mail has /, /message?uid=…, /compose and /send.`);
}

function inboxPage(list: Awaited<ReturnType<WebMailBackend['inbox']>>, me: string, host: string): HttpResponse {
  const rows = list
    .slice()
    .reverse()
    .map(
      (m) =>
        `<tr class="${m.folder}"><td>${escapeHtml(m.from)}</td><td><a href="/message?uid=${encodeURIComponent(m.uid)}">${escapeHtml(m.subject || '(no subject)')}</a></td><td>${escapeHtml(m.date)}</td><td>${m.size}</td></tr>`,
    )
    .join('');
  const table = list.length ? `<table border="1"><tr><th>From</th><th>Subject</th><th>Date</th><th>Bytes</th></tr>${rows}</table>` : '<p>(no messages)</p>';
  return page(`Inbox of ${me}: ${list.length} message${list.length === 1 ? '' : 's'}`, `${nav(me, host)}<p>Read over HTTP from the Maildir on ${escapeHtml(host)}: no POP3 or IMAP between the browser and the server.</p>${table}`);
}

async function send(req: HttpRequest, me: string, host: string, backend: WebMailBackend, clientAddress: string): Promise<HttpResponse> {
  const type = (header(req.headers, 'content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) return errorPage(415, 'The compose form is sent as application/x-www-form-urlencoded.');
  if (req.body.length > MAX_FORM) return errorPage(413, `A web mail message is at most ${MAX_FORM / 1024} KiB here.`);
  const form = new URLSearchParams(req.body.toString('utf8'));
  const to = (form.get('to') ?? '')
    .split(/[,;\s]+/)
    .filter(Boolean)
    .slice(0, 101);
  const bad = to.find((a) => !ADDRESS.test(a));
  if (to.length === 0 || to.length > 100 || bad !== undefined) return errorPage(400, bad ? `${bad.slice(0, 100)} is not a mail address.` : 'Say whom to send it to: one to 100 addresses.');
  const subject = (form.get('subject') ?? '').replace(/[\r\n]+/g, ' ').slice(0, 998);
  const sent = await backend.send(me, { to, subject, text: form.get('text') ?? '' }, clientAddress);
  if (!sent.ok) return page('Not sent', `${nav(me, host)}<p>${escapeHtml(host)} refused it: ${escapeHtml(sent.error)}</p>`, 422);
  const hops = sent.relayedTo.length
    ? `It now sends it with SMTP to the next hop: ${sent.relayedTo.map((h) => `<b>${escapeHtml(h)}</b>`).join(', ')} (the recipients' mail server), as the inspector shows.`
    : 'Every recipient has a mailbox on this server: delivered here, no SMTP needed.';
  return page(`Sent: ${sent.server} took the message (id ${sent.id})`, `${nav(me, host)}<p>Your browser sent the message to ${escapeHtml(sent.server)} over HTTP. ${hops}</p>`);
}
