/**
 * Where the MX's time goes under the mail bench's flood (not part of `npm run bench`): the lab
 * (`netlab serve`, hamburger.edu's MX only, capture on) takes smtp-source's one-connection-a-
 * message load — 20 sessions, 1 KiB — for MAIL_PROFILE_ROUNDS rounds of MAIL_PROFILE_MESSAGES
 * after a warm-up, each round waited on until bob's Maildir holds it. Per round it prints the
 * rate and the CPU time per message of each of the lab's threads from /proc (the main thread,
 * the rest together — V8's helpers, libuv's pool, the Maildir writer), during the flood and
 * during the deliveries after it. The last round runs under V8's sampling profiler, started and
 * stopped over the inspector protocol so the profile holds the flood and nothing else (no
 * start-up, no warm-up, no deliveries): written to MAIL_PROFILE_OUT (default
 * tests/artifacts/mail-flood.cpuprofile; Chromium's DevTools opens it, the build's source maps
 * beside it) and summed by function, µs of the main thread per message.
 *
 * MAIL_PROFILE_CAPTURE=off runs it with the capture off (what recording every message costs).
 *
 * Ports: the MX on 28627, UI 7762, the lab's inspector on 127.0.0.1:9329. Needs Debian's postfix
 * package for /usr/sbin/smtp-source; no postfix daemon is started. Run `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { dropSnapshot, killAll, ROOT, snapshotBuild, threadCpuMs } from './lib/lab.mjs';
import { startServeWith } from './lib/serve.mjs';
import { bobsMessages, SMTP_SOURCE, smtpSource, untilDelivered } from './lib/smtp-source.mjs';

const PORT = 28627;
const INSPECTOR = 9329;
const ROUNDS = Math.max(1, Number(process.env.MAIL_PROFILE_ROUNDS ?? 3));
const MESSAGES = Math.max(500, Number(process.env.MAIL_PROFILE_MESSAGES ?? 4000));
const OUT = process.env.MAIL_PROFILE_OUT ?? path.join(ROOT, 'tests', 'artifacts', 'mail-flood.cpuprofile');
const CAPTURE = process.env.MAIL_PROFILE_CAPTURE !== 'off';

/** µs per message of the main thread and of all the others, between two readings */
function perMessage(pid, a, b, count) {
  let main = 0;
  let rest = 0;
  for (const [tid, ms] of b) {
    const d = ms - (a.get(tid) ?? 0);
    if (tid === String(pid)) main += d;
    else rest += d;
  }
  return `main ${((main * 1000) / count).toFixed(0)}, other threads ${((rest * 1000) / count).toFixed(0)} µs`;
}

/** the inspector protocol on the lab's main thread: send(method, params) → result */
async function inspector() {
  const list = await (await fetch(`http://127.0.0.1:${INSPECTOR}/json/list`)).json();
  const ws = new WebSocket(list[0].webSocketDebuggerUrl, { maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const waiting = new Map();
  ws.on('message', (m) => {
    const reply = JSON.parse(m);
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const n = ++id;
      const timer = setTimeout(() => reject(new Error(`inspector: no answer to ${method}`)), 60_000);
      waiting.set(n, (reply) => {
        clearTimeout(timer);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result);
      });
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  return { send, close: () => ws.close() };
}

/** self time by function (µs of the main thread per message), busiest first */
function summarize(profile, count, top = 30) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let busy = 0;
  profile.samples.forEach((sample, i) => {
    const frame = byId.get(sample).callFrame;
    const dt = profile.timeDeltas[i] ?? 0;
    if (frame.functionName === '(idle)') return;
    busy += dt;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  console.log(`\nMain thread under the profiler: ${(busy / count).toFixed(0)} µs busy a message. Self time, µs a message:`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(us / count).toFixed(1).padStart(7)}  ${key}`);
}

async function main() {
  if (!fs.existsSync(SMTP_SOURCE)) {
    console.log('profile-mail: postfix is not installed (apt-get install postfix): smtp-source missing');
    return;
  }
  await snapshotBuild();
  const lab = await startServeWith({ label: 'mail-profile', ports: { 'smtp-hamburger': PORT }, uiPort: 7762, nodeArgs: [`--inspect=127.0.0.1:${INSPECTOR}`] });
  let expected = 0;
  const settle = async () => {
    await untilDelivered(lab.dir, expected);
    if (bobsMessages(lab.dir) < expected) throw new Error(`bob's Maildir holds fewer than ${expected} messages after 120 s`);
  };
  const cdp = await inspector();
  try {
    if (!CAPTURE) await lab.call('capture.configure', { enabled: false });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await smtpSource(PORT, 2000);
    expected += 2000;
    await settle();
    console.log(`MX hamburger.edu, capture ${CAPTURE ? 'on' : 'off'}, smtp-source -s 20 -l 1024 -m ${MESSAGES}, one connection a message; the last round profiled`);
    for (let round = 1; round <= ROUNDS; round++) {
      const last = round === ROUNDS;
      if (last) await cdp.send('Profiler.start');
      const a = threadCpuMs(lab.pid);
      const rate = await smtpSource(PORT, MESSAGES);
      const b = threadCpuMs(lab.pid);
      const profile = last ? (await cdp.send('Profiler.stop')).profile : null;
      expected += MESSAGES;
      await settle();
      const c = threadCpuMs(lab.pid);
      console.log(`round ${round}${last ? ' (profiled)' : ''}: ${rate.toFixed(0)} msg/s; the flood: ${perMessage(lab.pid, a, b, MESSAGES)}; the deliveries after it: ${perMessage(lab.pid, b, c, MESSAGES)}`);
      if (profile) {
        fs.mkdirSync(path.dirname(OUT), { recursive: true });
        fs.writeFileSync(OUT, JSON.stringify(profile));
        summarize(profile, MESSAGES);
        console.log(`\nprofile: ${OUT}`);
      }
    }
  } finally {
    cdp.close();
    await lab.stop();
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    killAll();
    dropSnapshot();
  });
