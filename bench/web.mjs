/**
 * Web benchmark: wrk (Debian) with 50 connections against NetLab's HTTP server serving a
 * 1 KiB file, side by side with nginx (one worker) serving the same file; and NetLab's
 * proxy answering cache hits, side by side with squid's memory cache. The lab runs as a user
 * runs it (`netlab serve`), with capture on and off. The six targets are visited in turn for
 * WEB_BENCH_ROUNDS rounds (default 3; the order reversed every other round), each for
 * WEB_BENCH_SECONDS (default 4): two cores are shared, so every figure is the median of its
 * rounds, ratios are taken within a round, and each target's server CPU per request (from
 * /proc, the kernel's share included) is reported — the figure to trust on a busy machine.
 * Prints a table; exits 0 unless something broke (never on speed).
 * Every NetLab run starts from an empty capture ring. Ports: 27000–27099 (lab, nginx, squid), UI 7600.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { callOnce, dropSnapshot, killAll, netlabBin, sleep, snapshotBuild, tempDir } from './lib/lab.mjs';
import { have, killChildren, start, stop, which } from './lib/proc.mjs';

const SECONDS = Number(process.env.WEB_BENCH_SECONDS ?? 4);
const ROUNDS = Math.max(1, Number(process.env.WEB_BENCH_ROUNDS ?? 3));
const PORTS = { http: 27080, proxy: 27128, nginx: 27081, squid: 27129, echo: 27012, relay: 27013, ui: 7600 };
const FILE = 'bench-1k.html';




async function waitHttp(port, pathname = '/', headers = {}) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}${pathname}`, { headers });
      await r.arrayBuffer();
      return r;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`nothing answers on port ${port}`);
}

/** CPU time (user + system, µs) a process and its children threads have used; children processes listed too. */
function cpuUs(pids) {
  let us = 0;
  for (const pid of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      us += ((Number(f[11]) + Number(f[12])) * 1e6) / 100; // clock ticks of 1/100 s
    } catch {
      /* gone */
    }
  }
  return us;
}

/** A server and the processes it forked (nginx's worker). */
function serverPids(pid) {
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return [pid, ...kids.split(/\s+/).filter(Boolean).map(Number)];
  } catch {
    return [pid];
  }
}

/** wrk's figures: requests per second, the 99th-percentile latency (ms), and the server's CPU µs per request. */
function wrk(url, script, pids = []) {
  const args = ['-t2', '-c50', `-d${SECONDS}s`, '--latency', ...(script ? ['-s', script] : []), url];
  const cpu0 = cpuUs(pids);
  const r = spawnSync('wrk', args, { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  const cpu = cpuUs(pids) - cpu0;
  const out = r.stdout ?? '';
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const m = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99 = m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1] ?? '';
  return { rps, p99, cpuUsPerReq: pids.length ? cpu / requests : NaN, errors: Number(errors), socketErrors, raw: out };
}

const median = (xs) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};

/** A proxy request needs the absolute URI on the request line: wrk does that from Lua. */
function proxyScript(dir, url) {
  const file = path.join(dir, 'proxy.lua');
  fs.writeFileSync(file, `wrk.path = "${url}"\nwrk.headers["Host"] = "${new URL(url).host}"\n`);
  return file;
}

function nginxConf(dir, root) {
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/nginx-error.log;\nevents { worker_connections 1024; }\n` +
      `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n` +
      `  server {\n    listen 127.0.0.1:${PORTS.nginx};\n    root ${root};\n    expires 1h;\n  }\n}\n`,
  );
  return conf;
}

function squidConf(dir) {
  const conf = path.join(dir, 'squid.conf');
  fs.writeFileSync(
    conf,
    [
      `http_port 127.0.0.1:${PORTS.squid}`,
      'acl benchnet src 127.0.0.1/32',
      'http_access allow benchnet',
      'http_access deny all',
      'cache_mem 64 MB',
      'maximum_object_size_in_memory 1 MB',
      'access_log none',
      `cache_log ${dir}/squid-cache.log`,
      `pid_filename ${dir}/squid.pid`,
      `coredump_dir ${dir}`,
      'shutdown_lifetime 1 seconds',
      'via on',
      '',
    ].join('\n'),
  );
  return conf;
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

async function main() {
  for (const tool of ['wrk', 'curl']) if (!have(tool)) throw new Error(`${tool} is not installed (apt-get install ${tool})`);
  await snapshotBuild();
  const dir = tempDir('web');
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const root = path.join(dir, 'www');
  fs.mkdirSync(root, { recursive: true });
  const body = `<!DOCTYPE html><html><body><p>${'NetLab bench. '.repeat(80)}</p></body></html>\n`.slice(0, 1023) + '\n';
  fs.writeFileSync(path.join(root, FILE), body);
  fs.mkdirSync(path.join(dataDir, 'sites', 'www.someschool.edu'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'sites', 'www.someschool.edu', FILE), body);
  const scenario = path.join(dir, 'web.yaml');
  fs.writeFileSync(
    scenario,
    `name: web bench\nservices:\n  echo-tcp: { port: ${PORTS.echo} }\n  echo-udp: { port: ${PORTS.echo} }\n  program-tcp: { port: ${PORTS.relay} }\n  program-udp: { port: ${PORTS.relay} }\n  http: { port: ${PORTS.http} }\n  proxy: { port: ${PORTS.proxy} }\n`,
  );
  const results = [];
  const lab = start(process.execPath, [netlabBin(), 'serve', '--no-open', '--ui-port', String(PORTS.ui), '--data-dir', dataDir, '--scenario', scenario]);
  let nginx = null;
  let squid = null;
  try {
    for (let i = 0; i < 150 && !/token=([0-9a-f]+)/.test(lab.output()); i++) await sleep(100);
    const token = /token=([0-9a-f]+)/.exec(lab.output())?.[1];
    if (!token) throw new Error(`netlab serve did not start:\n${lab.output()}`);
    const api = { uiPort: PORTS.ui, token };
    await waitHttp(PORTS.http, `/${FILE}`);
    const labPids = [lab.child.pid];
    const setCapture = async (enabled) => {
      await callOnce(api, 'capture.configure', { enabled });
      // every NetLab run starts from an empty capture ring (a full ring evicts as it records, and costs more)
      await callOnce(api, 'capture.clear');
    };

    nginx = have('nginx') || fs.existsSync('/usr/sbin/nginx') ? start(which('nginx'), ['-c', nginxConf(dir, root), '-p', dir]) : null;
    if (nginx) await waitHttp(PORTS.nginx, `/${FILE}`);
    // cache hits: NetLab's proxy and squid's memory cache, both in front of nginx (max-age 1 h)
    const originUrl = `http://127.0.0.1:${PORTS.nginx}/${FILE}`;
    const lua = nginx ? proxyScript(dir, originUrl) : null;
    if (nginx) {
      await callOnce(api, 'web.proxyFlush');
      const warm = spawnSync('curl', ['-s', '-o', '/dev/null', '-D', '-', '-x', `http://127.0.0.1:${PORTS.proxy}`, originUrl, originUrl], { encoding: 'utf8' }).stdout;
      if (!/X-Cache: HIT/.test(warm)) throw new Error(`the proxy did not cache the object:\n${warm}`);
      if (have('squid') || fs.existsSync('/usr/sbin/squid')) {
        squid = start(which('squid'), ['-N', '-f', squidConf(dir)]);
        let cached = false;
        for (let i = 0; i < 100 && !cached; i++) {
          const r = spawnSync('curl', ['-s', '-o', '/dev/null', '-D', '-', '-x', `http://127.0.0.1:${PORTS.squid}`, originUrl], { encoding: 'utf8' });
          cached = /X-Cache: HIT/i.test(r.stdout ?? '');
          if (!cached) await sleep(100);
        }
        if (!cached) console.error(`squid did not report a HIT; its log:\n${squid.output()}`);
      }
    }

    const httpUrl = `http://127.0.0.1:${PORTS.http}/${FILE}`;
    const proxyUrl = `http://127.0.0.1:${PORTS.proxy}/`;
    const targets = [
      { key: 'httpOn', what: 'NetLab HTTP server, 1 KiB (capture on)', run: async () => (await setCapture(true), wrk(httpUrl, null, labPids)) },
      { key: 'httpOff', what: 'NetLab HTTP server, 1 KiB (capture off)', run: async () => (await setCapture(false), wrk(httpUrl, null, labPids)) },
      nginx && { key: 'nginx', what: 'nginx, 1 worker, 1 KiB', run: async () => wrk(`http://127.0.0.1:${PORTS.nginx}/${FILE}`, null, serverPids(nginx.child.pid)) },
      nginx && { key: 'proxyOn', what: 'NetLab proxy, cache hits (capture on)', run: async () => (await setCapture(true), wrk(proxyUrl, lua, labPids)) },
      nginx && { key: 'proxyOff', what: 'NetLab proxy, cache hits (capture off)', run: async () => (await setCapture(false), wrk(proxyUrl, lua, labPids)) },
      squid && { key: 'squid', what: 'squid, memory cache hits', run: async () => wrk(`http://127.0.0.1:${PORTS.squid}/`, lua, [squid.child.pid]) },
    ].filter(Boolean);
    const runs = Object.fromEntries(targets.map((t) => [t.key, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of round % 2 ? [...targets].reverse() : targets) runs[t.key].push(await t.run());
    }
    await callOnce(api, 'capture.configure', { enabled: true });
    const st = await callOnce(api, 'web.proxyStatus');

    for (const t of targets) {
      const rs = runs[t.key];
      results.push({
        what: t.what,
        rps: median(rs.map((r) => r.rps)),
        p99: median(rs.map((r) => r.p99)),
        cpuUsPerReq: median(rs.map((r) => r.cpuUsPerReq)),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        socketErrors: [...new Set(rs.map((r) => r.socketErrors).filter(Boolean))].join('; '),
        rounds: rs.map((r) => Math.round(r.rps)),
      });
    }
    /** the median over rounds of a / b, each pair measured in the same round */
    const ratio = (a, b) => (runs[a] && runs[b] ? median(runs[a].map((r, i) => r.rps / runs[b][i].rps)) : NaN);
    const cpuRatio = (a, b) => (runs[a] && runs[b] ? median(runs[b].map((r, i) => r.cpuUsPerReq / runs[a][i].cpuUsPerReq)) : NaN);
    const ratios = {
      httpOnVsNginx: ratio('httpOn', 'nginx'),
      httpOffVsNginx: ratio('httpOff', 'nginx'),
      proxyOnVsSquid: ratio('proxyOn', 'squid'),
      proxyOffVsSquid: ratio('proxyOff', 'squid'),
      cpuNginxOverHttpOn: cpuRatio('httpOn', 'nginx'),
      cpuSquidOverProxyOn: cpuRatio('proxyOn', 'squid'),
    };

    console.log(`\nwrk -t2 -c50 -d${SECONDS}s, ${ROUNDS} interleaved rounds (medians), on ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores (wrk shares them with the server)\n`);
    console.log('| target | req/s | p99 latency | server CPU/request | non-2xx | socket errors | req/s by round |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- | --- |');
    for (const r of results) console.log(`| ${r.what} | ${fmt(r.rps)} | ${fmt(r.p99, 2)} ms | ${fmt(r.cpuUsPerReq, 1)} µs | ${r.errors} | ${r.socketErrors || '—'} | ${r.rounds.join(', ')} |`);
    console.log('');
    console.log(`proxy hit rate over the run: ${fmt(st.hitRate * 100, 1)}%`);
    if (runs.nginx) console.log(`HTTP server / nginx, req/s: capture on ${fmt(ratios.httpOnVsNginx, 2)} (goal ≥ 0.5), off ${fmt(ratios.httpOffVsNginx, 2)}; nginx's CPU per request / ours (capture on): ${fmt(ratios.cpuNginxOverHttpOn, 2)}`);
    if (runs.squid) console.log(`proxy hits / squid hits, req/s: capture on ${fmt(ratios.proxyOnVsSquid, 2)} (goal ≥ 1), off ${fmt(ratios.proxyOffVsSquid, 2)}; squid's CPU per hit / ours (capture on): ${fmt(ratios.cpuSquidOverProxyOn, 2)}`);
    const artifacts = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'artifacts');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'bench-web.json'), JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, results, ratios }, null, 2));
  } finally {
    await stop(squid);
    await stop(nginx);
    await stop(lab);
    killChildren();
    killAll();
    dropSnapshot();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench web: ${err.stack ?? err}`);
    killChildren();
    process.exit(1);
  },
);
