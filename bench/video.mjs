/**
 * Video benchmark (Kurose & Ross §2.6). Two figures:
 *
 * 1. Segment serving: wrk (Debian) with 50 connections asks for the trailer's DASH segments in
 *    turn (every .webm of resources/sites/video.netcinema.com/trailer, ~3 MB, 5–400 KB each),
 *    from NetLab's web server (Host: video.netcinema.com, capture on, as a user runs it) and from
 *    nginx (one worker) serving the same files. Interleaved rounds (VIDEO_BENCH_ROUNDS, default
 *    3, each VIDEO_BENCH_SECONDS long, default 4), medians; the ratio is taken within a round.
 *    Goal: NetLab ≥ 0.8× nginx. Two cores shared with wrk (and other users): say so with the figures.
 * 2. Convergence: the lab's DASH player (rate-based rule) streams from the CDN cluster over a
 *    link of 2400 kbit/s; the rate drops to 600, later climbs back to 2400. Counted: segments
 *    asked for after each change until the bitrate is the highest under the new rate and stays
 *    there (goal ≤ 3).
 * Prints tables; exits 0 unless something broke (never on speed). Ports 27200–27299, UI 7620.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { callOnce, dropSnapshot, killAll, procStats, ROOT, sleep, snapshotBuild, startLab, tempDir } from './lib/lab.mjs';
import { fmt, median } from './lib/figures.mjs';
import { have, killChildren, start, stop, which } from './lib/proc.mjs';

const SECONDS = Number(process.env.VIDEO_BENCH_SECONDS ?? 4);
const ROUNDS = Math.max(1, Number(process.env.VIDEO_BENCH_ROUNDS ?? 3));
const HOST = 'video.netcinema.com';
const DNS_IDS = ['dns-local', 'dns-root', 'dns-gtld', 'dns-edu', 'dns-org', 'dns-fr', 'dns-umass', 'dns-someschool', 'dns-hamburger', 'dns-crepes', 'dns-networkutopia', 'dns-netcinema', 'dns-kingcdn'];
const PORTS = { http: 27280, nginx: 27281, 'cdn-a': 27282, 'cdn-b': 27283, echo: 27212, 'program-tcp': 27213, 'program-udp': 27213, proxy: 27228, ui: 7620 };

function wrk(url, script) {
  const r = spawnSync('wrk', ['-t2', '-c50', `-d${SECONDS}s`, '-s', script, url], { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  const out = r.stdout ?? '';
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN),
    mbps: transferMbps(/Transfer\/sec:\s+([\d.]+)([KMG])B/.exec(out)),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

/** CPU ms of a process and its children's threads now (nginx: the master's workers) */
function cpuMsOf(pids) {
  return pids.reduce((a, pid) => a + procStats(pid).cpuMs, 0);
}

function childrenOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** wrk's Transfer/sec (KB, MB or GB per second) in Mbit/s */
function transferMbps(m) {
  return m ? Number(m[1]) * { K: 1 / 1024, M: 1, G: 1024 }[m[2]] * 8 : NaN;
}

function segmentsScript(dir, files) {
  const file = path.join(dir, 'segments.lua');
  fs.writeFileSync(
    file,
    `local paths = { ${files.map((f) => `"/trailer/${f}"`).join(', ')} }\nlocal i = 0\n` +
      `request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i], { ["Host"] = "${HOST}" })\nend\n`,
  );
  return file;
}

function nginxConf(dir, root) {
  const conf = path.join(dir, 'nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};\n`).join('');
  fs.writeFileSync(
    conf,
    `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/nginx-error.log;\nevents { worker_connections 1024; }\n` +
      `http {\n  access_log off;\n${temp}  types { video/webm webm; application/dash+xml mpd; }\n  server {\n    listen 127.0.0.1:${PORTS.nginx};\n    root ${root};\n  }\n}\n`,
  );
  return conf;
}

async function serving(lab, dir) {
  const trailer = path.join(ROOT, 'resources', 'sites', HOST, 'trailer');
  const files = fs.readdirSync(trailer).filter((f) => f.endsWith('.webm')).sort();
  const root = path.join(dir, 'www');
  fs.cpSync(trailer, path.join(root, 'trailer'), { recursive: true });
  fs.chmodSync(dir, 0o755);
  const script = segmentsScript(dir, files);
  const nginx = start(which('nginx'), ['-c', nginxConf(dir, root), '-p', dir]);
  try {
    for (let i = 0; i < 100 && spawnSync('curl', ['-sf', '-o', '/dev/null', `http://127.0.0.1:${PORTS.nginx}/trailer/${files[0]}`]).status !== 0; i++) await sleep(100);
    await callOnce(lab, 'capture.configure', { enabled: true });
    const workers = childrenOf(nginx.child.pid);
    const targets = [
      { key: 'lab', what: 'NetLab web server, segments (capture on)', url: `http://127.0.0.1:${PORTS.http}/`, before: () => callOnce(lab, 'capture.clear'), pids: [lab.pid] },
      { key: 'nginx', what: 'nginx, 1 worker, the same files', url: `http://127.0.0.1:${PORTS.nginx}/`, before: async () => undefined, pids: workers.length ? workers : [nginx.child.pid] },
    ];
    const runs = { lab: [], nginx: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of round % 2 ? [...targets].reverse() : targets) {
        await t.before();
        // CPU time per segment from /proc: on a busy machine it says more than the rate
        const cpu0 = cpuMsOf(t.pids);
        const r = wrk(t.url, script);
        r.cpuUs = ((cpuMsOf(t.pids) - cpu0) * 1000) / r.requests;
        runs[t.key].push(r);
      }
    }
    console.log(`\nwrk -t2 -c50 -d${SECONDS}s over ${files.length} segments, ${ROUNDS} interleaved rounds (medians), ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores shared with wrk and other users\n`);
    console.log('| target | segments/s | Mbit/s | non-2xx | segments/s by round | CPU µs per segment by round |');
    console.log('| --- | ---: | ---: | ---: | --- | --- |');
    for (const t of targets) {
      const rs = runs[t.key];
      console.log(`| ${t.what} | ${fmt(median(rs.map((r) => r.rps)), '', 0)} | ${fmt(median(rs.map((r) => r.mbps)), '', 0)} | ${rs.reduce((a, r) => a + r.non2xx, 0)} | ${rs.map((r) => Math.round(r.rps)).join(', ')} | ${rs.map((r) => Math.round(r.cpuUs)).join(', ')} |`);
    }
    const ratio = median(runs.lab.map((r, i) => r.rps / runs.nginx[i].rps));
    const cpuRatio = median(runs.lab.map((r, i) => runs.nginx[i].cpuUs / r.cpuUs));
    console.log(`\nNetLab / nginx, segments/s (capture on): ${fmt(ratio, '', 2)} (goal ≥ 0.8); by CPU time per segment (nginx's / the lab's): ${fmt(cpuRatio, '', 2)}`);
    return { files: files.length, runs, ratio, cpuRatio };
  } finally {
    await stop(nginx);
  }
}

/** Segments asked for after the change until the bitrate is `target` for good (Infinity: never). */
function settledAfter(samples, from, target) {
  const after = samples.slice(from);
  for (let i = 0; i < after.length; i++) if (after.slice(i).every((s) => s.bitrateKbps === target)) return i + 1;
  return Infinity;
}

async function convergence(lab) {
  const rows = [];
  await callOnce(lab, 'video.configure', { region: 'europe', rule: 'rate', rateKbps: 2400 });
  const first = await callOnce(lab, 'video.play', { maxBufferSec: 60, loop: true });
  const rates = first.manifest.bitratesKbps;
  const under = (link) => Math.max(...rates.filter((r) => r < link));
  const state = () => callOnce(lab, 'video.state');
  const until = async (n) => {
    for (let i = 0; i < 600; i++) {
      const s = await state();
      if (s.samples.length >= n) return s;
      await sleep(100);
    }
    throw new Error(`the player did not reach ${n} segments`);
  };
  try {
    let s = await until(4);
    for (const rateKbps of [600, 2400, 600]) {
      // a segment is in flight when the rate changes: counting starts with the next one asked for
      const from = s.samples.length + 1;
      await callOnce(lab, 'video.configure', { rateKbps });
      s = await until(from + 5);
      rows.push({ from: s.rateChanges.at(-2)?.rateKbps, to: rateKbps, target: under(rateKbps), segments: settledAfter(s.samples, from, under(rateKbps)), seen: s.samples.slice(from).map((x) => x.bitrateKbps) });
    }
  } finally {
    await callOnce(lab, 'video.stop');
  }
  console.log('\nThe lab DASH player, rate-based rule, CDN cluster a.kingcdn.com (Europe): a link rate change while it plays\n');
  console.log('| link rate | highest bitrate under it | segments until settled (goal ≤ 3) | bitrates after the change |');
  console.log('| --- | ---: | ---: | --- |');
  for (const r of rows) console.log(`| ${r.from} → ${r.to} kbit/s | ${r.target} kbit/s | ${r.segments} | ${r.seen.join(', ')} |`);
  return rows;
}

async function main() {
  for (const tool of ['wrk', 'curl', 'nginx']) if (!have(tool)) throw new Error(`${tool} is not installed (apt-get install ${tool})`);
  await snapshotBuild();
  const dir = tempDir('video');
  const services = { http: PORTS.http, proxy: PORTS.proxy, 'cdn-a': PORTS['cdn-a'], 'cdn-b': PORTS['cdn-b'], 'program-tcp': PORTS['program-tcp'], 'program-udp': PORTS['program-udp'] };
  DNS_IDS.forEach((id, i) => (services[id] = 27250 + i));
  const lab = await startLab({ uiPort: PORTS.ui, echoPort: PORTS.echo, label: 'video', services });
  try {
    const serve = await serving(lab, dir);
    const conv = await convergence(lab);
    const artifacts = path.join(ROOT, 'tests', 'artifacts');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'bench-video.json'), JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, serving: serve, convergence: conv }, null, 2));
  } finally {
    await lab.stop();
    cleanUp(dir);
  }
}

/** every child stopped (by pid), the build snapshot and the temporary files gone */
function cleanUp(dir) {
  killChildren();
  killAll();
  dropSnapshot();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

main().then(() => process.exit(0), (err) => (console.error(`bench video: ${err.stack ?? err}`), cleanUp(), process.exit(1)));
