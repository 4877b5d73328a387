/**
 * SMTP load whose every acknowledgment is recorded: a few sessions send alice@crepes.fr →
 * bob@hamburger.edu through the submission server (which queues and relays to the MX,
 * K&R §2.3), paced to a total rate. Each message carries a unique id (X-Soak-Id header and
 * Subject). A message counts as acknowledged iff the client read 250 after its DATA dot
 * (RFC 5321 §4.1.1.4: the server has taken responsibility); a dot without a reply (the lab
 * killed mid-transaction) is "unanswered": neither acknowledged nor to be counted as lost.
 * No message is ever sent twice, so any duplicate delivery is the lab's.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sleep } from './lab.mjs';

/** a connection read reply by reply (multi-line replies joined) */
function connect(port, timeoutMs) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let buf = '';
    let lines = [];
    const replies = [];
    const waiters = [];
    let dead = null;
    const fail = (err) => {
      if (dead) return;
      dead = err;
      for (const w of waiters.splice(0)) w.reject(err);
      s.destroy();
    };
    s.setTimeout(timeoutMs, () => fail(new Error('timeout')));
    s.on('error', (err) => {
      reject(err);
      fail(err);
    });
    s.on('close', () => fail(new Error('connection closed')));
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        lines.push(line);
        if (line[3] !== '-') {
          const reply = { code: Number(line.slice(0, 3)), text: lines.join('\n') };
          lines = [];
          const w = waiters.shift();
          if (w) w.resolve(reply);
          else replies.push(reply);
        }
      }
    });
    s.on('connect', () =>
      resolve({
        reply: () => (replies.length ? Promise.resolve(replies.shift()) : dead ? Promise.reject(dead) : new Promise((res, rej) => waiters.push({ resolve: res, reject: rej }))),
        send: (text) => s.write(text),
        close: () => s.destroy(),
      }),
    );
  });
}

function message(id, n) {
  const body = Array.from({ length: 8 }, (_, i) => `Line ${i} of soak message ${n}: the quick brown fox jumps over the lazy dog.`).join('\r\n');
  return (
    `From: Alice <alice@crepes.fr>\r\nTo: Bob <bob@hamburger.edu>\r\nSubject: soak ${id}\r\nX-Soak-Id: ${id}\r\n` +
    `Message-ID: <${id}@soak.crepes.fr>\r\nDate: ${new Date().toUTCString().replace('GMT', '+0000')}\r\n\r\n${body}\r\n.\r\n`
  );
}

/**
 * Start `sessions` senders sharing `rate` messages/s until `stop()` is called (or `until`
 * passes). Returns { stats, done }: stats.acked is the Set of acknowledged ids.
 */
export function startSmtpLoad({ port, rate, sessions = 2, perConnection = 20, runId, until }) {
  const stats = { attempted: 0, acked: new Set(), refused: {}, unanswered: 0, connectErrors: 0, sessionErrors: 0 };
  let stopped = false;
  let seq = 0;
  const gapMs = (1000 * sessions) / rate;
  const running = () => !stopped && Date.now() < until;
  const expect = async (c, code) => {
    const r = await c.reply();
    if (r.code !== code) throw Object.assign(new Error(`expected ${code}, got ${r.text}`), { reply: r });
    return r;
  };
  async function session() {
    while (running()) {
      let c;
      try {
        c = await connect(port, 15_000);
      } catch {
        stats.connectErrors++;
        await sleep(200);
        continue;
      }
      try {
        await expect(c, 220);
        c.send('EHLO soak.crepes.fr\r\n');
        await expect(c, 250);
        for (let k = 0; k < perConnection && running(); k++) {
          const t0 = Date.now();
          const n = ++seq;
          const id = `${runId}-${n}`;
          c.send('MAIL FROM:<alice@crepes.fr>\r\n');
          const mail = await c.reply();
          if (mail.code !== 250) {
            stats.refused[mail.code] = (stats.refused[mail.code] ?? 0) + 1;
            break;
          }
          c.send('RCPT TO:<bob@hamburger.edu>\r\n');
          const rcpt = await c.reply();
          if (rcpt.code !== 250) {
            stats.refused[rcpt.code] = (stats.refused[rcpt.code] ?? 0) + 1;
            c.send('RSET\r\n');
            await c.reply();
            break;
          }
          c.send('DATA\r\n');
          await expect(c, 354);
          stats.attempted++;
          c.send(message(id, n));
          let end;
          try {
            end = await c.reply();
          } catch (err) {
            stats.unanswered++;
            throw err;
          }
          if (end.code === 250) stats.acked.add(id);
          else {
            stats.refused[end.code] = (stats.refused[end.code] ?? 0) + 1;
            break;
          }
          const wait = gapMs - (Date.now() - t0);
          if (wait > 0) await sleep(wait);
        }
        c.send('QUIT\r\n');
        await c.reply().catch(() => undefined);
      } catch {
        stats.sessionErrors++;
        await sleep(200);
      } finally {
        c.close();
      }
      // a refusal (452 on a full disk, 421 at a limit) ends the session: pause before the next
      await sleep(100);
    }
  }
  const done = Promise.all(Array.from({ length: sessions }, () => session()));
  return {
    stats,
    done,
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

/** Every file of bob@hamburger.edu's Maildir (new/ and cur/), read directly: id → deliveries. */
export function countDeliveries(dataDir, runId) {
  const box = path.join(dataDir, 'mail', 'hamburger.edu', 'bob');
  const counts = new Map();
  let files = 0;
  for (const sub of ['new', 'cur']) {
    const dir = path.join(box, sub);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      let text;
      try {
        // the headers are at the front: 4 KiB holds them
        const fd = fs.openSync(path.join(dir, name), 'r');
        const b = Buffer.alloc(4096);
        const n = fs.readSync(fd, b, 0, b.length, 0);
        fs.closeSync(fd);
        text = b.subarray(0, n).toString('latin1');
      } catch {
        continue;
      }
      files++;
      const m = /^X-Soak-Id: (\S+)/im.exec(text);
      if (m && m[1].startsWith(`${runId}-`)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    }
  }
  return { counts, files };
}

/** lost = acknowledged but never delivered; duplicated = delivered more than once */
export function tally(acked, counts) {
  const lost = [...acked].filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id, n]) => ({ id, n }));
  return { acknowledged: acked.size, deliveredIds: counts.size, lost, duplicated };
}
