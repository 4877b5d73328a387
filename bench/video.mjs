/**
 * Video benchmark (Kurose & Ross §2.6). Two figures:
 *
 * 1. Segment serving: wrk (Debian) with 50 connections asks for the trailer's segments in turn
 *    (every .m4s of resources/sites/video.netcinema.com/trailer — fragmented MP4, named by the
 *    DASH manifest and the HLS playlists alike — ~3 MB, 0.5–200 KB each),
 *    from NetLab's web server (Host: video.netcinema.com, capture on, as a user runs it) and from
 *    nginx (one worker) serving the same files. Interleaved rounds (VIDEO_BENCH_ROUNDS, default
 *    3, each VIDEO_BENCH_SECONDS long, default 4), medians; the ratio is taken within a round.
 *    Goal: NetLab ≥ 0.8× nginx. Two cores shared with wrk (and other users): say so with the figures.
 * 2. Convergence: the lab's DASH player (rate-based rule) streams from the CDN cluster over a
 *    link of 2400 kbit/s; the rate drops to 600, later climbs back to 2400. Counted: segments
 *    asked for after each change until the bitrate is the highest under the new rate and stays
 *    there (goal ≤ 3).
 * Prints tables; exits 0 unless something broke (never on speed). Ports 27200–27299, UI 7620.
 *
 * VIDEO_BENCH_BASE=<dir>: another build (a folder holding its bin, out, resources and
 * package.json) serves the same segment files too, as a third target of the same interleaved
 * rounds (ports 27300–27399, UI 7621): an A/B of two builds under the same load.
 * VIDEO_BENCH_PROF=<dir>: this build's lab runs with node's --cpu-prof, its profile written there.
 * VIDEO_BENCH_PARTS=serving: part 1 only.
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
const BASE = process.env.VIDEO_BENCH_BASE;
const PROF = process.env.VIDEO_BENCH_PROF;
const PARTS = (process.env.VIDEO_BENCH_PARTS ?? 'serving,convergence').split(',');
const PORTS = { http: 27280, nginx: 27281, 'cdn-a': 27282, 'cdn-b': 27283, echo: 27212, 'program-tcp': 27213, 'program-udp': 27213, proxy: 27228, ui: 7620 };

function wrk(url, script, seconds = SECONDS) {
  const r = spawnSync('wrk', ['-t2', '-c50', `-d${seconds}s`, '-s', script, url], { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  const out = r.stdout ?? '';
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN),
    mbps: transferMbps(/Transfer\/sec:\s+([\d.]+)([KMG])B/.exec(out)),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

/** the services' ports of a lab: `shift` moves them all (a second lab beside the first) */
function labServices(shift) {
  const services = { http: PORTS.http + shift, proxy: PORTS.proxy + shift, 'cdn-a': PORTS['cdn-a'] + shift, 'cdn-b': PORTS['cdn-b'] + shift, 'program-tcp': PORTS['program-tcp'] + shift, 'program-udp': PORTS['program-udp'] + shift };
  DNS_IDS.forEach((id, i) => (services[id] = 27250 + shift + i));
  return services;
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
      `http {\n  access_log off;\n${temp}  types { video/iso.segment m4s; video/mp4 mp4; application/dash+xml mpd; application/vnd.apple.mpegurl m3u8; }\n  server {\n    listen 127.0.0.1:${PORTS.nginx};\n    root ${root};\n  }\n}\n`,
  );
  return conf;
}

async function serving(lab, dir, base) {
  const trailer = path.join(ROOT, 'resources', 'sites', HOST, 'trailer');
  const files = fs.readdirSync(trailer).filter((f) => f.endsWith('.m4s')).sort();
  const root = path.join(dir, 'www');
  fs.cpSync(trailer, path.join(root, 'trailer'), { recursive: true });
  fs.chmodSync(dir, 0o755);
  const script = segmentsScript(dir, files);
  const nginx = start(which('nginx'), ['-c', nginxConf(dir, root), '-p', dir]);
  try {
    for (let i = 0; i < 100 && spawnSync('curl', ['-sf', '-o', '/dev/null', `http://127.0.0.1:${PORTS.nginx}/trailer/${files[0]}`]).status !== 0; i++) await sleep(100);
    await callOnce(lab, 'capture.configure', { enabled: true });
    if (base) await callOnce(base, 'capture.configure', { enabled: true });
    const workers = childrenOf(nginx.child.pid);
    const targets = [
      { key: 'lab', what: 'NetLab web server, segments (capture on)', url: `http://127.0.0.1:${PORTS.http}/`, before: () => callOnce(lab, 'capture.clear'), pids: [lab.pid] },
      { key: 'nginx', what: 'nginx, 1 worker, the same files', url: `http://127.0.0.1:${PORTS.nginx}/`, before: async () => undefined, pids: workers.length ? workers : [nginx.child.pid] },
    ];
    if (base) targets.push({ key: 'base', what: `NetLab, the build in ${BASE} (capture on)`, url: `http://127.0.0.1:${PORTS.http + 100}/`, before: () => callOnce(base, 'capture.clear'), pids: [base.pid] });
    const runs = { lab: [], nginx: [], base: [] };
    // a second of the same load first, not counted: files read into memory, code compiled
    for (const t of targets) wrk(t.url, script, 1);
    for (let round = 0; round < ROUNDS; round++) {
      // the order turns each round (a rotation, so with three targets each takes each place)
      const order = targets.map((_t, i) => targets[(i + round) % targets.length]);
      for (const t of round % 2 ? order.reverse() : order) {
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
    let ab;
    if (base) {
      ab = {
        ratio: median(runs.base.map((r, i) => r.rps / runs.nginx[i].rps)),
        cpuRatio: median(runs.base.map((r, i) => runs.nginx[i].cpuUs / r.cpuUs)),
        cpuUs: { lab: median(runs.lab.map((r) => r.cpuUs)), base: median(runs.base.map((r) => r.cpuUs)) },
      };
      console.log(`The base build / nginx: ${fmt(ab.ratio, '', 2)} by segments/s, ${fmt(ab.cpuRatio, '', 2)} by CPU time; CPU µs per segment, medians: this build ${fmt(ab.cpuUs.lab, '', 0)}, the base ${fmt(ab.cpuUs.base, '', 0)}`);
    }
    return { files: files.length, runs, ratio, cpuRatio, ab };
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
  let baseBin;
  if (BASE) {
    baseBin = await snapshotBuild(path.resolve(BASE));
    // the base build serves this checkout's segment files: the same bytes for both builds
    const trailer = path.join('resources', 'sites', HOST, 'trailer');
    const copy = path.join(path.dirname(path.dirname(baseBin)), trailer);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.cpSync(path.join(ROOT, trailer), copy, { recursive: true });
  }
  const nodeArgs = PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(PROF)] : [];
  const lab = await startLab({ uiPort: PORTS.ui, echoPort: PORTS.echo, label: 'video', services: labServices(0), nodeArgs });
  const base = BASE ? await startLab({ uiPort: PORTS.ui + 1, echoPort: PORTS.echo + 100, label: 'video-base', services: labServices(100), bin: baseBin }) : null;
  try {
    const serve = PARTS.includes('serving') ? await serving(lab, dir, base) : null;
    const conv = PARTS.includes('convergence') ? await convergence(lab) : null;
    const artifacts = path.join(ROOT, 'tests', 'artifacts');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'bench-video.json'), JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, serving: serve, convergence: conv }, null, 2));
  } finally {
    await base?.stop();
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
