/**
 * Soak (issue 20): the built lab, run as a user runs it (`netlab serve`), every service under a
 * moderate mixed load for `--minutes` (default 10), a fault every `--fault-every` seconds
 * (default 30) in turn — kill -9 and restart on the same data directory and ports, the next
 * hop down (hamburger.edu's MX stopped, mail queues at the relay), the disk full and freed
 * (only where a tmpfs can be mounted for the data directory). After each fault every service
 * is probed until its first good answer. RSS of the lab sampled every second. At the end the
 * loads stop, the relay queue drains, and bob@hamburger.edu's Maildir is read directly: every
 * acknowledged message delivered exactly once?
 *
 * Goals: 0 lost, 0 duplicated; RSS < 500 MB throughout; every probe answered within 1 s of
 * each fault's recovery. Prints a table, writes tests/artifacts/soak.json (`--json FILE`).
 * Exit 0 when the run completed (speed figures are informative), 1 if something broke: a lab
 * that did not restart, a service that never answered again, a lost or duplicated message.
 * Ports 29400–29499, UI 7900. Needs wrk and dnsperf (apt-get install wrk dnsperf).
 */
import fs from 'node:fs';
import path from 'node:path';
import { dropSnapshot, procStats, ROOT, sleep, snapshotBuild, tempDir } from './lib/lab.mjs';
import { have, killChildren } from './lib/proc.mjs';
import { assignPorts, mountTmpfs, serviceIds, SoakLab, unmount, writeScenario } from './lib/soak-lab.mjs';
import { startLoads } from './lib/soak-loads.mjs';
import { countDeliveries, startSmtpLoad, tally } from './lib/smtp-load.mjs';
import { probeAll } from './lib/soak-probe.mjs';
import { apiCall, faultList, LabBroken } from './lib/soak-faults.mjs';
import { printReport } from './lib/soak-report.mjs';

const TMPFS_MB = 256;
const SMTP_RATE = 10; // messages/s, all sessions together

function parseArgs(argv) {
  const opts = { minutes: 10, faultEvery: 30, json: path.join(ROOT, 'tests', 'artifacts', 'soak.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--minutes') opts.minutes = Number(val());
    else if (a === '--fault-every') opts.faultEvery = Number(val());
    else if (a === '--json') opts.json = path.resolve(val());
    else throw new Error(`unknown option ${a} (--minutes N, --fault-every S, --json FILE)`);
  }
  if (!(opts.minutes > 0)) throw new Error('--minutes: a positive number');
  if (!(opts.faultEvery >= 5)) throw new Error('--fault-every: at least 5 seconds');
  return opts;
}

// everything to undo on the way out, even on Ctrl-C
const cleanup = { lab: null, mounted: null, dir: null };
function cleanUpNow() {
  cleanup.lab?.killNow();
  killChildren();
  if (cleanup.mounted) unmount(cleanup.mounted);
  cleanup.mounted = null;
  if (cleanup.dir) fs.rmSync(cleanup.dir, { recursive: true, force: true });
  cleanup.dir = null;
  dropSnapshot();
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\nsoak: ${sig}, stopping every child and cleaning up`);
    cleanUpNow();
    // a moment for the killed children's exits to be collected (no zombies left behind)
    setTimeout(() => process.exit(130), 500);
  });
}

const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const tool of ['wrk', 'dnsperf']) if (!have(tool)) throw new Error(`${tool} is not installed (apt-get install wrk dnsperf)`);
  const seconds = opts.minutes * 60;
  await snapshotBuild();
  const dir = tempDir('soak');
  cleanup.dir = dir;
  const dataDir = path.join(dir, 'data');
  const mount = mountTmpfs(dataDir, TMPFS_MB);
  if (mount.mounted) cleanup.mounted = dataDir;
  else log(`disk-full fault skipped: a tmpfs could not be mounted for the data directory (${mount.why})`);
  const ports = assignPorts(serviceIds(dir));
  const lab = new SoakLab({ dataDir, scenario: writeScenario(dir, ports), log });
  cleanup.lab = lab;
  const firstStartMs = await lab.start();
  log(`netlab serve up in ${(firstStartMs / 1000).toFixed(2)} s (pid ${lab.pid}); data directory ${mount.mounted ? `on a ${TMPFS_MB} MB tmpfs` : 'on the temp dir'}`);
  const baseline = await probeAll(ports, performance.now(), 30_000);
  const notUp = Object.entries(baseline).filter(([, r]) => r.ms === null);
  if (notUp.length) throw new Error(`services not answering at the start: ${notUp.map(([n, r]) => `${n} (${r.error})`).join(', ')}`);

  const result = {
    date: new Date().toISOString(),
    options: { minutes: opts.minutes, faultEvery: opts.faultEvery, smtpRate: SMTP_RATE },
    diskFull: mount.mounted ? { tmpfsMB: TMPFS_MB } : { skipped: mount.why },
    faults: [],
    rss: { samples: 0, maxMB: 0, overGoal: 0 },
    broken: [],
  };

  // RSS of whichever lab process runs now, every second
  const rssTimer = setInterval(() => {
    if (!lab.alive()) return;
    try {
      const { rssMB } = procStats(lab.pid);
      result.rss.samples++;
      result.rss.maxMB = Math.max(result.rss.maxMB, rssMB);
      if (rssMB >= 500) result.rss.overGoal++;
    } catch {
      /* between a kill and a restart */
    }
  }, 1000);

  const runId = `soak${Date.now().toString(36)}`;
  const endAt = Date.now() + seconds * 1000;
  const swarmText = fs.readFileSync(path.join(ROOT, 'resources', 'scenarios', 'swarm-udp-tracker.yaml'), 'utf8');
  const smtp = startSmtpLoad({ port: ports.smtp, rate: SMTP_RATE, sessions: 2, runId, until: endAt });
  const loads = startLoads({ dir, ports, lab, seconds, swarmText });
  log(`loads on for ${opts.minutes} min: ${loads.loads.map((l) => `${l.name} (${l.rate})`).join('; ')}; smtp (${SMTP_RATE} msg/s, 2 sessions)`);

  const holdMs = Math.min(10_000, Math.max(2000, (opts.faultEvery * 1000) / 3));
  const faults = faultList({ lab, dataDir, diskFull: mount.mounted, holdMs, tmpfsMB: TMPFS_MB });
  const t0 = Date.now();
  let k = 0;
  try {
    for (;;) {
      const at = t0 + (k + 1) * opts.faultEvery * 1000;
      // a fault needs its hold and a probe before the loads stop
      if (at + holdMs + 5000 > endAt) break;
      await sleep(at - Date.now());
      const fault = faults[k % faults.length];
      const r = await fault.run();
      const probesAfter = await probeAll(ports, r.t0, 30_000);
      const worst = Math.max(...Object.values(probesAfter).map((p) => p.ms ?? Infinity));
      const dead = Object.entries(probesAfter).filter(([, p]) => p.ms === null);
      for (const [name, p] of dead) result.broken.push(`${name} did not answer within 30 s after "${fault.name}" (${p.error})`);
      result.faults.push({ n: k + 1, fault: fault.name, detail: r.detail, restartMs: r.restartMs, probes: probesAfter });
      log(`fault ${k + 1}: ${fault.name} — ${r.detail}; slowest first answer ${Number.isFinite(worst) ? `${worst.toFixed(0)} ms` : 'never'}`);
      k++;
    }
    await sleep(Math.max(0, endAt - Date.now()));
  } catch (err) {
    if (!(err instanceof LabBroken)) throw err;
    result.broken.push(err.message);
    log(err.message);
  }

  log('stopping the loads');
  result.loads = await loads.stop();
  await smtp.stop();
  log('loads stopped');
  result.smtp = {
    attempted: smtp.stats.attempted,
    acknowledged: smtp.stats.acked.size,
    refused: smtp.stats.refused,
    unanswered: smtp.stats.unanswered,
    connectErrors: smtp.stats.connectErrors,
    sessionErrors: smtp.stats.sessionErrors,
  };

  if (lab.alive()) {
    // the relay's queue drains (bounded), then the MX's Maildir catches up with every acknowledgment
    log(`waiting for the relay queue to drain (${smtp.stats.acked.size} acknowledged)`);
    const drainStart = Date.now();
    let queued = -1;
    while (Date.now() - drainStart < 180_000) {
      queued = (await apiCall(lab, 'mail.queue').catch(() => [null])).length;
      if (queued === 0) break;
      if ((Date.now() - drainStart) % 10_000 < 1000) log(`  ${queued} still queued at the relay`);
      await sleep(1000);
    }
    log(`relay queue: ${queued} left after ${((Date.now() - drainStart) / 1000).toFixed(0)} s; waiting for the Maildir`);
    while (Date.now() - drainStart < 240_000) {
      const { counts } = countDeliveries(dataDir, runId);
      if ([...smtp.stats.acked].every((id) => counts.has(id))) break;
      await sleep(1000);
    }
    result.drain = { seconds: (Date.now() - drainStart) / 1000, queueLeft: queued };
    result.spoolDamage = await apiCall(lab, 'mail.spoolDamage').catch((err) => err.message);
    await lab.stop();
  }
  clearInterval(rssTimer);

  const { counts, files } = countDeliveries(dataDir, runId);
  const t = tally(smtp.stats.acked, counts);
  result.mail = { acknowledged: t.acknowledged, deliveredIds: t.deliveredIds, maildirFiles: files, lost: t.lost.length, duplicated: t.duplicated.length, lostIds: t.lost.slice(0, 50), duplicatedIds: t.duplicated.slice(0, 50) };
  if (t.lost.length) result.broken.push(`${t.lost.length} acknowledged messages never delivered`);
  if (t.duplicated.length) result.broken.push(`${t.duplicated.length} messages delivered more than once`);
  result.labStarts = lab.starts.map((ms) => Math.round(ms));

  // the lab's own output (every start), for a look at what it said under the faults
  const labLog = path.join(path.dirname(opts.json), 'soak-lab.log');
  fs.mkdirSync(path.dirname(labLog), { recursive: true });
  fs.writeFileSync(labLog, lab.output);
  printReport(result);
  fs.mkdirSync(path.dirname(opts.json), { recursive: true });
  fs.writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nJSON: ${path.relative(process.cwd(), opts.json) || opts.json}`);
  return result.broken.length ? 1 : 0;
}

main()
  .then((code) => {
    cleanUpNow();
    process.exit(code);
  })
  .catch((err) => {
    console.error(err);
    cleanUpNow();
    process.exit(1);
  });
