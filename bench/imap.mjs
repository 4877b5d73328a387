/**
 * IMAP benchmark (issue 15): `FETCH 1:10000 (BODY.PEEK[HEADER])` on a Maildir of 10,000
 * messages, from the lab's IMAP server (capture on) on 27143 and from Dovecot (Debian's,
 * run here as a plain foreground process with a config in a temporary directory, passdb
 * passwd-file, no TLS) on 27144, the same messages in both Maildirs. A small client on a raw
 * socket logs in and selects INBOX (not timed), then times the FETCH from the command to its
 * tagged OK, checking that 10,000 responses came. IMAP_BENCH_ROUNDS interleaved rounds
 * (default 5); medians, the ratio within each round. Goal: ≥ 0.5× Dovecot's rate. UI 7612.
 * Exits 0 unless something broke (never on speed).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { dropSnapshot, killAll, sleep, snapshotBuild, tempDir } from './lib/lab.mjs';
import { killChildren, start, stop } from './lib/proc.mjs';
import { startServeWith } from './lib/serve.mjs';

const COUNT = 10_000;
const ROUNDS = Math.max(1, Number(process.env.IMAP_BENCH_ROUNDS ?? 5));
const PORTS = { lab: 27143, dovecot: 27144, ui: 7612 };
const DOVECOT = '/usr/sbin/dovecot';
const NOBODY = 65534;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One message as it is stored in a Maildir (LF line ends), the same bytes in both servers. */
function message(i) {
  const lines = [
    `Return-Path: <alice@crepes.fr>`,
    `Received: from alice-pc (alice-pc [127.0.0.1]) by mail.crepes.fr with ESMTP id B${i}; Sun, 6 Dec 2026 04:00:00 +0000`,
    `Message-ID: <bench.${i}@crepes.fr>`,
    `Date: Sun, 6 Dec 2026 04:${String(i % 60).padStart(2, '0')}:00 +0000`,
    `From: Alice <alice@crepes.fr>`,
    `To: Bob <bob@hamburger.edu>`,
    `Subject: bench message ${i} of ${COUNT}`,
    `MIME-Version: 1.0`,
    `Content-Type: text/plain; charset=utf-8`,
    '',
    `Do you like ketchup? How about pickles? (${i})`,
    '',
  ];
  return Buffer.from(lines.join('\n'));
}

/** 10,000 files in cur/ named with Dovecot's size tags (S= on disk, W= with CRLF), seen. */
function fillMaildir(dir) {
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const t = 1796500000;
  for (let i = 1; i <= COUNT; i++) {
    const m = message(i);
    const lfs = m.toString('latin1').split('\n').length - 1;
    fs.writeFileSync(path.join(dir, 'cur', `${t + i}.M${i}P1.bench,S=${m.length},W=${m.length + lfs}:2,S`), m);
  }
}

function dovecotConf(dir) {
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(path.join(dir, 'passwd'), 'bob:{PLAIN}hungry::::::\n', { mode: 0o644 });
  fs.writeFileSync(
    conf,
    [
      'protocols = imap', 'listen = 127.0.0.1', `base_dir = ${dir}/run`, `state_dir = ${dir}/state`, `log_path = ${dir}/dovecot.log`,
      'ssl = no', 'disable_plaintext_auth = no', 'auth_mechanisms = plain', 'first_valid_uid = 0', 'mail_fsync = never',
      `mail_location = maildir:${dir}/mail/%u`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${dir}/passwd\n}`,
      // Dovecot gives no mail access as root: the mail belongs to nobody
      `userdb {\n  driver = static\n  args = uid=${NOBODY} gid=${NOBODY} home=${dir}/home/%u\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${PORTS.dovecot}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      // one imap process, as the lab is one process
      'service imap {\n  process_limit = 4\n}',
      '',
    ].join('\n'),
  );
  return conf;
}

/** Log in, select, then time one FETCH of every header; resolves with messages per second. */
function fetchHeaders(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = '';
    let step = 0;
    let t0 = 0;
    let responses = 0;
    const timer = setTimeout(() => reject(new Error(`IMAP on ${port}: no answer (step ${step}): ${buf.slice(-300)}`)), 120_000);
    s.on('data', (d) => {
      if (step === 3) {
        // count "* n FETCH" as they come (a literal may hold anything, but the headers here do not say FETCH)
        // the previous read's last 7 bytes in front: a match cut between two reads is counted once
        const text = buf.slice(-7) + d.toString('latin1');
        for (let i = text.indexOf(' FETCH ('); i >= 0; i = text.indexOf(' FETCH (', i + 1)) responses++;
        buf = text.slice(-200);
        const done = /\r\nc (OK|NO|BAD)[^\r\n]*\r\n$/.exec(buf);
        if (!done) return;
        const ms = performance.now() - t0;
        clearTimeout(timer);
        s.end('d LOGOUT\r\n');
        if (done[1] !== 'OK' || responses < COUNT) reject(new Error(`IMAP on ${port}: FETCH ${done[0].trim()}, ${responses} responses`));
        else resolve((COUNT / ms) * 1000);
        return;
      }
      buf += d.toString('latin1');
      if (step === 0 && buf.includes('\r\n')) {
        step = 1;
        buf = '';
        s.write('a LOGIN bob hungry\r\n');
      } else if (step === 1 && /\r\na OK|^a OK/.test(buf)) {
        step = 2;
        buf = '';
        s.write('b SELECT INBOX\r\n');
      } else if (step === 2 && /(^|\r\n)b OK/.test(buf)) {
        if (!new RegExp(`\\* ${COUNT} EXISTS`).test(buf)) return reject(new Error(`IMAP on ${port}: SELECT: ${buf.slice(0, 300)}`));
        step = 3;
        buf = '';
        t0 = performance.now();
        s.write('c FETCH 1:* (BODY.PEEK[HEADER])\r\n');
      } else if (/(^|\r\n)[ab] (NO|BAD)/.test(buf)) reject(new Error(`IMAP on ${port}: ${buf.slice(0, 300)}`));
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error(`IMAP on ${port}: closed at step ${step}: ${buf.slice(-300)}`)));
  });
}

async function main() {
  if (!fs.existsSync(DOVECOT)) {
    console.log('imap bench: dovecot is not installed (apt-get install dovecot-imapd) — skipped');
    return;
  }
  await snapshotBuild();
  const lab = await startServeWith({ label: 'imap', ports: { imap: PORTS.lab }, uiPort: PORTS.ui });
  fillMaildir(path.join(lab.dir, 'data', 'mail', 'hamburger.edu', 'bob'));
  const dir = tempDir('dovecot');
  // Dovecot's auth process runs as its own user: it must reach the passwd-file
  fs.chmodSync(dir, 0o755);
  fillMaildir(path.join(dir, 'mail', 'bob'));
  fs.mkdirSync(path.join(dir, 'home', 'bob'), { recursive: true });
  for (const sub of ['mail', 'home']) spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, path.join(dir, sub)]);
  const dovecot = start(DOVECOT, ['-F', '-c', dovecotConf(dir)]);
  const rows = [];
  try {
    for (let i = 0; i < 100; i++) {
      const up = await fetchHeaders(PORTS.dovecot).then(() => true, () => false);
      if (up) break;
      if (i === 99) throw new Error(`dovecot did not serve: ${dovecot.output()} ${fs.existsSync(path.join(dir, 'dovecot.log')) ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8').slice(-2000) : ''}`);
      await sleep(200);
    }
    console.error('dovecot serves; warming the lab');
    await fetchHeaders(PORTS.lab); // both warm: indexes built, files in the page cache
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? ['lab', 'dovecot'] : ['dovecot', 'lab'];
      const r = { round };
      for (const who of order) r[who] = await fetchHeaders(PORTS[who]);
      console.error(`round ${round}: lab ${r.lab.toFixed(0)}/s, dovecot ${r.dovecot.toFixed(0)}/s`);
      rows.push(r);
    }
  } finally {
    await stop(dovecot);
    await lab.stop();
    killChildren();
    killAll();
    dropSnapshot();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`FETCH 1:* (BODY.PEEK[HEADER]) of ${COUNT.toLocaleString('en-US')} messages, one connection per fetch, 127.0.0.1 (messages/s; lab capture on; 2 cores shared with other work)\n`);
  console.log('round   lab       dovecot   lab/dovecot');
  for (const r of rows) console.log(`${String(r.round).padEnd(8)}${r.lab.toFixed(0).padEnd(10)}${r.dovecot.toFixed(0).padEnd(10)}${(r.lab / r.dovecot).toFixed(2)}`);
  const l = median(rows.map((r) => r.lab));
  const d = median(rows.map((r) => r.dovecot));
  console.log(`median  ${l.toFixed(0).padEnd(10)}${d.toFixed(0).padEnd(10)}${median(rows.map((r) => r.lab / r.dovecot)).toFixed(2)}   (goal ≥ 0.50)`);
  const artifacts = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, 'bench-imap.json'), JSON.stringify({ count: COUNT, rounds: rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench imap: ${err.stack ?? err}`);
    killChildren();
    process.exit(1);
  },
);
