/**
 * The terminal's `sip` command: one request from a UDP socket of the terminal to the lab's
 * proxy, every reply printed as it came (start line and the headers that matter), as a
 * person with `nc -u` would see them. An INVITE that is answered gets its ACK and then a
 * BYE at once (the terminal has no audio to send).
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { encodeSip, header, headerValues, parseSip, uriOf, type SipRequest, type SipResponse } from './sip-message';
import { audioSdp } from './sdp';
import type { ClientNames } from '../internet/names';
import { SIP_HELP, type SipCommand } from './sip-command';

const WAIT_MS = 8000;
const SHOWN = ['Via', 'To', 'Contact', 'Record-Route', 'Expires', 'Allow', 'Content-Type'];

function show(prefix: string, bytes: Buffer): string[] {
  const p = parseSip(bytes);
  if (!p.ok) return [`${prefix} (unreadable: ${p.reason})`];
  const m = p.msg;
  const start = m.kind === 'request' ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
  return [`${prefix} ${start}`, ...m.headers.filter(([n]) => SHOWN.includes(n) || m.kind === 'request').map(([n, v]) => `     ${n}: ${v}`)];
}

export async function runSipCommand(cmd: SipCommand, proxyPort: number | null, names?: ClientNames, session = 0): Promise<string[]> {
  if (cmd.action === 'help') return ['NetLab SIP (P&D ch. 9): requests to the lab\'s proxy, replies as they come:', ...SIP_HELP];
  if (proxyPort === null) return ['sip: the SIP proxy is not running: start "SIP proxy" in the services rail'];
  const socket = dgram.createSocket('udp4');
  const out: string[] = [];
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const port = socket.address().port;
  names?.note(port, { client: { name: `terminal ${session} (sip)` }, server: { name: 'SIP proxy' } });
  const id = (): string => randomBytes(6).toString('hex');
  const [user, domain] = cmd.target.includes('@') ? cmd.target.split('@') : ['', cmd.target];
  const callId = `${id()}@terminal`;
  const tag = id();
  const build = (method: string, uri: string, cseq: number, extra: [string, string][] = [], body = '', to = `<sip:${cmd.target}>`): SipRequest => ({
    kind: 'request',
    method,
    uri,
    headers: [['Via', `SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${id()};rport`], ['Max-Forwards', '70'], ['From', `<sip:${user || 'terminal'}@${user ? domain : 'netlab'}>;tag=${tag}`], ['To', to], ['Call-ID', callId], ['CSeq', `${cseq} ${method}`], ['Contact', `<sip:${user || 'terminal'}@127.0.0.1:${port}>`], ...extra, ...(body ? ([['Content-Type', 'application/sdp']] as [string, string][]) : [])],
    body: Buffer.from(body),
  });
  const send = (req: SipRequest): void => {
    const bytes = encodeSip(req);
    out.push(...show('→', bytes));
    socket.send(bytes, proxyPort, '127.0.0.1');
  };
  const final = (): Promise<SipResponse | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.removeAllListeners('message');
        resolve(null);
      }, WAIT_MS);
      socket.on('message', (bytes) => {
        out.push(...show('←', bytes));
        const p = parseSip(bytes);
        if (p.ok && p.msg.kind === 'response' && p.msg.status >= 200) {
          clearTimeout(timer);
          socket.removeAllListeners('message');
          resolve(p.msg);
        }
      });
    });
  try {
    if (cmd.action === 'register' || cmd.action === 'unregister') send(build('REGISTER', `sip:${domain}`, 1, [['Expires', cmd.action === 'register' ? '300' : '0']], '', `<sip:${cmd.target}>`));
    else if (cmd.action === 'options') send(build('OPTIONS', `sip:${cmd.target}`, 1));
    else send(build('INVITE', `sip:${cmd.target}`, 1, [], audioSdp('terminal', Date.now() % 1e9, '127.0.0.1', 9)));
    const res = await final();
    if (!res) return [...out, `no final answer within ${WAIT_MS / 1000} s`];
    if (cmd.action === 'invite' && res.status < 300) {
      const routes = headerValues(res, 'Record-Route').reverse().map((r): [string, string] => ['Route', r]);
      const target = uriOf(header(res, 'Contact') ?? `<sip:${cmd.target}>`);
      send(build('ACK', target, 1, routes, '', header(res, 'To')));
      send(build('BYE', target, 2, routes, '', header(res, 'To')));
      if (!(await final())) out.push(`no answer to BYE within ${WAIT_MS / 1000} s`);
    }
    return out;
  } finally {
    names?.forget(port);
    socket.close();
  }
}
