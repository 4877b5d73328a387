/**
 * Web benchmark: wrk (Debian) with 50 connections against NetLab's HTTP server serving a
 * 1 KiB file, side by side with nginx (one worker) serving the same file; and NetLab's
 * proxy answering cache hits, side by side with squid's memory cache. The lab runs as a user
 * runs it (`netlab serve`, capture on). Each run is short (WEB_BENCH_SECONDS, default 5):
 * two cores are shared. Prints a table; exits 0 unless something broke (never on speed).
 * Every NetLab run starts from an empty capture ring. Ports: 27000–27099 (lab, nginx, squid), UI 7600.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { callOnce, dropSnapshot, killAll, netlabBin, sleep, snapshotBuild, tempDir } from './lib/lab.mjs';
import { have, killChildren, start, stop, which } from './lib/proc.mjs';

const SECONDS = Number(process.env.WEB_BENCH_SECONDS ?? 5);
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

/** wrk's figures: requests per second and the 99th-percentile latency (ms). */
function wrk(url, script) {
  const args = ['-t2', '-c50', `-d${SECONDS}s`, '--latency', ...(script ? ['-s', script] : []), url];
  const r = spawnSync('wrk', args, { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  const out = r.stdout ?? '';
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const m = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99 = m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1] ?? '';
  return { rps, p99, errors: Number(errors), socketErrors, raw: out };
}

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
    const settings = await callOnce(api, 'capture.settings');

    // 1. the web server vs nginx, the same 1 KiB file
    nginx = have('nginx') || fs.existsSync('/usr/sbin/nginx') ? start(which('nginx'), ['-c', nginxConf(dir, root), '-p', dir]) : null;
    if (nginx) await waitHttp(PORTS.nginx, `/${FILE}`);
    // every NetLab run starts from an empty capture ring (a full ring evicts as it records, and costs more)
    await callOnce(api, 'capture.clear');
    const ours = wrk(`http://127.0.0.1:${PORTS.http}/${FILE}`);
    results.push({ what: `NetLab HTTP server, 1 KiB (capture ${settings.enabled ? 'on' : 'off'})`, ...ours });
    // the same without capture: what the capture itself costs
    await callOnce(api, 'capture.configure', { enabled: false });
    const bare = wrk(`http://127.0.0.1:${PORTS.http}/${FILE}`);
    await callOnce(api, 'capture.configure', { enabled: settings.enabled });
    results.push({ what: 'NetLab HTTP server, 1 KiB (capture off)', ...bare });
    const ref = nginx ? wrk(`http://127.0.0.1:${PORTS.nginx}/${FILE}`) : null;
    if (ref) results.push({ what: 'nginx, 1 worker, 1 KiB', ...ref });

    // 2. cache hits: NetLab's proxy vs squid's memory cache, both in front of nginx (max-age 1 h)
    const originUrl = `http://127.0.0.1:${PORTS.nginx}/${FILE}`;
    let proxyHits = null;
    let squidHits = null;
    if (nginx) {
      await callOnce(api, 'web.proxyFlush');
      const warm = spawnSync('curl', ['-s', '-o', '/dev/null', '-D', '-', '-x', `http://127.0.0.1:${PORTS.proxy}`, originUrl, originUrl], { encoding: 'utf8' }).stdout;
      if (!/X-Cache: HIT/.test(warm)) throw new Error(`the proxy did not cache the object:\n${warm}`);
      await callOnce(api, 'capture.clear');
      proxyHits = wrk(`http://127.0.0.1:${PORTS.proxy}/`, proxyScript(dir, originUrl));
      const st = await callOnce(api, 'web.proxyStatus');
      results.push({ what: `NetLab proxy, cache hits (${fmt(st.hitRate * 100, 1)}% hits)`, ...proxyHits });
      if (have('squid') || fs.existsSync('/usr/sbin/squid')) {
        squid = start(which('squid'), ['-N', '-f', squidConf(dir)]);
        let cached = false;
        for (let i = 0; i < 100 && !cached; i++) {
          const r = spawnSync('curl', ['-s', '-o', '/dev/null', '-D', '-', '-x', `http://127.0.0.1:${PORTS.squid}`, originUrl], { encoding: 'utf8' });
          cached = /X-Cache: HIT/i.test(r.stdout ?? '');
          if (!cached) await sleep(100);
        }
        if (!cached) console.error(`squid did not report a HIT; its log:\n${squid.output()}`);
        squidHits = wrk(`http://127.0.0.1:${PORTS.squid}/`, proxyScript(dir, originUrl));
        results.push({ what: 'squid, memory cache hits', ...squidHits });
      }
    }

    console.log(`\nwrk -t2 -c50 -d${SECONDS}s on ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores (wrk shares them with the server)\n`);
    console.log('| target | req/s | p99 latency | non-2xx | socket errors |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    for (const r of results) console.log(`| ${r.what} | ${fmt(r.rps)} | ${fmt(r.p99, 2)} ms | ${r.errors} | ${r.socketErrors || '—'} |`);
    console.log('');
    if (ref) console.log(`HTTP server / nginx: ${fmt(ours.rps / ref.rps, 2)} (goal ≥ 0.5)`);
    if (proxyHits && squidHits) console.log(`proxy hits / squid hits: ${fmt(proxyHits.rps / squidHits.rps, 2)} (goal ≥ 1)`);
    const artifacts = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'artifacts');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'bench-web.json'), JSON.stringify({ seconds: SECONDS, results: results.map(({ raw: _raw, ...r }) => r) }, null, 2));
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
