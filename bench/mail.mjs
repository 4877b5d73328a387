/**
 * Mail benchmark: messages per second accepted and durably stored (fdatasync of the spool
 * before 250) by hamburger.edu's MX, driven by postfix's smtp-source — 20 parallel sessions,
 * 1 KiB messages, one connection per message (-m 2000) and many per connection
 * (-d -m 20000) — side by side with postfix's smtp-sink (stores nothing) as the ceiling.
 * Capture on (the lab as a user runs it) and off. Goals (issues 5, 19): ≥ 50 % of smtp-sink per
 * connection; ≥ 5000 msg/s with -d. Then once through the submission server and the relay to
 * the MX (6,000 messages, more than the relay carries at once: the queue grows to thousands).
 *
 * Every target is warmed up first (a running server is warm; a cold one spends the first second
 * compiling), then smtp-sink, capture on and capture off take turns, MAIL_BENCH_ROUNDS rounds
 * (default 5); the table shows each round and the medians (the machine is shared with
 * smtp-source, so single runs vary).
 *
 * Runs `netlab serve` (the built lab) on ports 28500–28599, UI 7750. Needs Debian's postfix
 * package for /usr/sbin/smtp-source and smtp-sink; no postfix daemon is started.
 * Prints a table, exits 0 unless something broke. BENCH_MAIL_QUICK=1 halves the counts.
 * MAIL_BENCH_BASE=DIR (another build: its bin, out, resources, package.json) adds that build's
 * lab (ports 28540–28544, UI 7751), capture on, to the same rounds: an A/B beside the same
 * smtp-sink, with each round's ratio of the two (steadier than either against smtp-sink).
 * Each round also runs Node alone (lib/node-floor.mjs: the same replies, the message dropped,
 * nothing of the lab): how much of the gap to smtp-sink Node itself leaves on this machine.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { killAll, procStats, snapshotBuild, dropSnapshot, sleep, threadCpuMs } from './lib/lab.mjs';
import { startServeWith } from './lib/serve.mjs';
import { killChildren, startNodeFloor, stop } from './lib/proc.mjs';
import { SMTP_SOURCE, smtpSource as source, untilDelivered } from './lib/smtp-source.mjs';

const SINK = '/usr/sbin/smtp-sink';
const PORTS = { smtp: 28525, 'smtp-crepes': 28526, 'smtp-hamburger': 28527, 'smtp-networkutopia': 28528, pop3: 28510 };
const SINK_PORT = 28599;
const FLOOR_PORT = 28598;
const BASE = process.env.MAIL_BENCH_BASE;
const BASE_PORTS = { smtp: 28540, 'smtp-crepes': 28541, 'smtp-hamburger': 28542, 'smtp-networkutopia': 28543, pop3: 28544 };
const UI_PORT = 7750;
const QUICK = process.env.BENCH_MAIL_QUICK === '1';
const PER_CONN = QUICK ? 1000 : 2000;
const PIPELINED = QUICK ? 10000 : 20000;
const RELAYED = QUICK ? 3000 : 6000;
const ROUNDS = Math.max(1, Number(process.env.MAIL_BENCH_ROUNDS ?? 5));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** smtp-source against a lab's port: msg/s, and the lab's CPU time a message (µs, all threads) */
async function measured(lab, port, count, pipelined) {
  const c0 = procStats(lab.pid).cpuMs;
  const rate = await source(port, count, pipelined);
  return { rate, cpu: ((procStats(lab.pid).cpuMs - c0) * 1000) / count };
}

/** CPU time (ms) of a process's main thread (its first task), from /proc */
const mainCpuMs = (pid) => threadCpuMs(pid).get(String(pid)) ?? NaN;

const startServe = () => startServeWith({ label: 'mail', ports: PORTS, uiPort: UI_PORT });

async function main() {
  if (!fs.existsSync(SMTP_SOURCE) || !fs.existsSync(SINK)) {
    console.log('mail bench: postfix is not installed (apt-get install postfix): smtp-source/smtp-sink missing — skipped');
    return;
  }
  await snapshotBuild();
  const sink = spawn(SINK, ['-u', 'nobody', `127.0.0.1:${SINK_PORT}`, '256'], { stdio: 'ignore' });
  const floor = startNodeFloor('smtp', FLOOR_PORT);
  await sleep(300);
  const lab = await startServe();
  const base = BASE ? await startServeWith({ label: 'mail-base', ports: BASE_PORTS, uiPort: UI_PORT + 1, bin: await snapshotBuild(BASE) }) : null;
  let baseExpected = 0;
  /** the base lab's turn, capture on and cleared first, as this build's capture-on runs are */
  const baseRun = async (count, pipelined) => {
    await base.call('capture.clear');
    const run = await measured(base, BASE_PORTS['smtp-hamburger'], count, pipelined);
    await untilDelivered(base.dir, (baseExpected += count));
    return run;
  };
  const rows = [];
  let catchUp = 0;
  /** wait until bob's Maildir holds every acknowledged message, so runs do not overlap */
  const settle = async (expected) => {
    catchUp = Math.max(catchUp, await untilDelivered(lab.dir, expected));
  };
  try {
    let expected = 0;
    // warm-up: both modes once, not measured, for every target (Node alone's first round ran at
    // half its later rate when only the lab was warmed)
    await lab.call('capture.configure', { enabled: true });
    for (const pipelined of [false, true]) {
      await source(SINK_PORT, 2000, pipelined);
      await source(FLOOR_PORT, 2000, pipelined);
      await source(PORTS['smtp-hamburger'], 2000, pipelined);
      await settle((expected += 2000));
      if (base) await baseRun(2000, pipelined);
    }
    for (const [label, pipelined, count] of [
      ['one connection per message (-m)', false, PER_CONN],
      ['many per connection (-d -m)', true, PIPELINED],
    ]) {
      const row = { label, count, sink: [], floor: [], on: [], off: [], cpu: [], onCpu: [], base: [], baseCpu: [] };
      for (let round = 0; round < ROUNDS; round++) {
        row.sink.push(await source(SINK_PORT, count, pipelined));
        row.floor.push(await source(FLOOR_PORT, count, pipelined));
        // the base lab before this build's capture-on run in odd rounds, after it in even ones
        const baseTurn = async () => {
          if (!base) return;
          const b = await baseRun(count, pipelined);
          row.base.push(b.rate);
          row.baseCpu.push(b.cpu);
        };
        if (round % 2) await baseTurn();
        await lab.call('capture.configure', { enabled: true });
        const on = await measured(lab, PORTS['smtp-hamburger'], count, pipelined);
        row.on.push(on.rate);
        row.onCpu.push(on.cpu);
        await settle((expected += count));
        if (round % 2 === 0) await baseTurn();
        await lab.call('capture.configure', { enabled: false });
        await lab.call('capture.clear');
        // CPU time of the lab per message (all threads; the main thread alone), capture off: steadier than
        // msg/s on a shared machine; `with delivery` adds the Maildir writes done after the run
        const c0 = procStats(lab.pid).cpuMs;
        const m0 = mainCpuMs(lab.pid);
        row.off.push(await source(PORTS['smtp-hamburger'], count, pipelined));
        const cpu = { run: ((procStats(lab.pid).cpuMs - c0) * 1000) / count, main: ((mainCpuMs(lab.pid) - m0) * 1000) / count };
        await settle((expected += count));
        cpu.all = ((procStats(lab.pid).cpuMs - c0) * 1000) / count;
        row.cpu.push(cpu);
        await lab.call('capture.configure', { enabled: true });
      }
      rows.push(row);
    }
    // through the submission server and the relay (Kurose & Ross §2.3.1, steps 1–4): alice's
    // server queues each message and relays it to hamburger.edu's MX, which delivers it to bob.
    // More messages arrive than the relay's 8 connections carry at once, so the queue grows to
    // thousands: the figure is the time until the last is in bob's Maildir, and the lab's CPU
    // for each message's whole path (two servers, the relay client, two spool commits, the delivery)
    await lab.call('capture.configure', { enabled: true });
    const c0 = procStats(lab.pid).cpuMs;
    const t0 = performance.now();
    const accepted = await source(PORTS.smtp, RELAYED, false);
    await settle((expected += RELAYED));
    const relay = { accepted, seconds: (performance.now() - t0) / 1000, cpuUs: ((procStats(lab.pid).cpuMs - c0) * 1000) / RELAYED };
    const fmt = (xs) => `${xs.map((x) => x.toFixed(0)).join(' / ')} (median ${median(xs).toFixed(0)})`;
    console.log('\nMail: hamburger.edu MX (spool fdatasync before 250, group commit) vs postfix smtp-sink (stores nothing)');
    console.log(`20 sessions, 1 KiB messages, ${ROUNDS} interleaved rounds after a warm-up. msg/s; ratio = median capture on / median smtp-sink`);
    console.log('| mode | messages | smtp-sink | NetLab, capture on | NetLab, capture off | ratio | goal | Node alone (nothing stored) |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
    for (const r of rows) {
      const goal = r.label.startsWith('one') ? '≥ 50 % of smtp-sink' : '≥ 5000 msg/s';
      console.log(`| ${r.label} | ${r.count} | ${fmt(r.sink)} | ${fmt(r.on)} | ${fmt(r.off)} | ${((100 * median(r.on)) / median(r.sink)).toFixed(0)} % | ${goal} | ${fmt(r.floor)}: ${((100 * median(r.floor)) / median(r.sink)).toFixed(0)} % |`);
    }
    console.log('\nLab CPU per message, capture off (µs, medians): the run (all threads / main thread) and with the Maildir delivery after it');
    for (const r of rows) {
      const m = (k) => median(r.cpu.map((c) => c[k])).toFixed(0);
      console.log(`| ${r.label} | ${m('run')} / ${m('main')} | ${m('all')} with delivery |`);
    }
    if (base) {
      console.log('\nA/B with MAIL_BENCH_BASE, capture on, the same rounds (medians; this / base within each round)');
      console.log('| mode | this build msg/s | base msg/s | this / base | lab CPU a message, this vs base |');
      console.log('| --- | ---: | ---: | ---: | ---: |');
      for (const r of rows) {
        const per = median(r.on.map((x, i) => x / r.base[i]));
        console.log(`| ${r.label} | ${median(r.on).toFixed(0)} | ${median(r.base).toFixed(0)} | ${per.toFixed(3)} | ${median(r.onCpu).toFixed(0)} vs ${median(r.baseCpu).toFixed(0)} µs |`);
      }
    }
    console.log(`\nThrough submission and the relay (capture on): ${RELAYED} messages accepted at ${relay.accepted.toFixed(0)} msg/s, the last in bob's Maildir after ${relay.seconds.toFixed(1)} s (${(RELAYED / relay.seconds).toFixed(0)} msg/s end to end); lab CPU ${relay.cpuUs.toFixed(0)} µs a message, all of its path`);
    // and once as the lab sees it (the Mail tab's count)
    const delivered = (await lab.call('mail.users')).find((u) => u.address === 'bob@hamburger.edu')?.messages ?? 0;
    console.log(`Maildir: ${delivered} of ${expected} acknowledged messages delivered to bob@hamburger.edu ${delivered >= expected ? '(none lost)' : '(still delivering when the bench stopped waiting)'}; longest Maildir catch-up after a run ${catchUp.toFixed(1)} s (delivery is held back while the spool commits)`);
  } finally {
    await lab.stop();
    await base?.stop();
    await stop(floor);
    sink.kill('SIGTERM');
    dropSnapshot();
  }
}

main().catch((err) => {
  console.error(err);
  killAll();
  killChildren();
  process.exit(1);
});
