/**
 * HTTPS benchmark (issue 15): the lab's web server over TLS on 27443 (capture on: every record
 * and the HTTP inside recorded) side by side with nginx with TLS (one worker) on 27444, same
 * certificate (the lab CA's localhost leaf: ECDSA P-256 since the lab's CA moved to it; RSA 2048 in
 * a data directory made before), same 1 KiB file. wrk (Debian's, built
 * with OpenSSL) drives both: 50 connections with keep-alive (1 KiB GETs/s), and 50 connections
 * with `Connection: close` (each request a new TCP connection and a full TLS handshake:
 * handshakes/s). HTTPS_BENCH_ROUNDS interleaved rounds (default 3) of HTTPS_BENCH_SECONDS
 * (default 4); medians, ratios within a round, server CPU per request from /proc.
 * The lab and the Node-alone servers are warmed up first (one run of each kind, not measured). Goal: ≥ 0.5× nginx on both. UI 7610. Exits 0 unless something broke (never on speed).
 * Node alone (lib/node-floor.mjs, nothing of the lab) takes its turns too, with the same certificate:
 * its TLS on the socket's own handle, and over a JavaScript stream the socket feeds — the only way
 * Node lets a server see the records as they cross the wire, which the inspector shows.
 * HTTPS_BENCH_BASE=DIR (another build: its bin, out, resources, package.json) adds that build's lab
 * on 27446 (UI 7611) to the same interleaved rounds: an A/B beside the same nginx.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dropSnapshot, killAll, sleep, snapshotBuild } from './lib/lab.mjs';
import { have, killChildren, start, startNodeFloor, stop, which } from './lib/proc.mjs';
import { startServeWith } from './lib/serve.mjs';

const SECONDS = Number(process.env.HTTPS_BENCH_SECONDS ?? 4);
const ROUNDS = Math.max(1, Number(process.env.HTTPS_BENCH_ROUNDS ?? 3));
const PORTS = { lab: 27443, nginx: 27444, nginxFull: 27445, base: 27446, nodeTls: 27447, nodeStream: 27448, ui: 7610, baseUi: 7611 };
const BASE = process.env.HTTPS_BENCH_BASE;
const FILE = 'bench-1k.html';
// nginx before 1.23.4 leaves TLS 1.3 out by default: wrk then resumes TLS 1.2 sessions, whose
// ticket may be used again and again, against the lab's TLS 1.3 (a ticket used once, RFC 8446
// Appendix C.4). Both speak TLS 1.3, as wrk, curl and browsers choose.
const PROTOCOLS = 'TLSv1.2 TLSv1.3';
const HOST = 'www.someschool.edu';

const median = (xs) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

function cpuUs(pids) {
  let us = 0;
  for (const pid of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      us += ((Number(f[11]) + Number(f[12])) * 1e6) / 100;
    } catch {
      /* gone */
    }
  }
  return us;
}

function withChildren(pid) {
  try {
    return [pid, ...fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)];
  } catch {
    return [pid];
  }
}

function wrk(port, close, pids) {
  const args = ['-t2', '-c50', `-d${SECONDS}s`, '-H', `Host: ${HOST}`, ...(close ? ['-H', 'Connection: close'] : []), `https://127.0.0.1:${port}/${FILE}`];
  const cpu0 = cpuUs(pids);
  const r = spawnSync('wrk', args, { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  const out = r.stdout ?? '';
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    cpuUsPerReq: (cpuUs(pids) - cpu0) / requests,
    errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: /Socket errors: (.*)/.exec(out)?.[1] ?? '',
    raw: out + (r.stderr ?? ''),
  };
}

/** true once a GET on `port` answers 200, within 10 s */
async function untilAnswers(port) {
  for (let i = 0; i < 100 && !curlOk(port); i++) await sleep(100);
  return curlOk(port);
}

function curlOk(port) {
  return spawnSync('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Host: ${HOST}`, `https://127.0.0.1:${port}/${FILE}`], { encoding: 'utf8' }).stdout === '200';
}

function nginxConf(dir, root, cert, key) {
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/nginx-error.log;\nevents { worker_connections 1024; }\n` +
      `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n` +
      `  server {\n    listen 127.0.0.1:${PORTS.nginx} ssl;\n    ssl_protocols ${PROTOCOLS};\n    ssl_certificate ${cert};\n    ssl_certificate_key ${key};\n    root ${root};\n  }\n` +
      // the same without session tickets: every handshake a full one (wrk resumes sessions where it can)
      `  server {\n    listen 127.0.0.1:${PORTS.nginxFull} ssl;\n    ssl_protocols ${PROTOCOLS};\n    ssl_session_tickets off;\n    ssl_certificate ${cert};\n    ssl_certificate_key ${key};\n    root ${root};\n  }\n}\n`,
  );
  return conf;
}

async function main() {
  for (const tool of ['wrk', 'curl']) if (!have(tool)) throw new Error(`${tool} is not installed`);
  await snapshotBuild();
  const lab = await startServeWith({ label: 'https', ports: { https: PORTS.lab }, uiPort: PORTS.ui });
  const base = BASE ? await startServeWith({ label: 'https-base', ports: { https: PORTS.base }, uiPort: PORTS.baseUi, bin: await snapshotBuild(path.resolve(BASE)) }) : null;
  let nginx = null;
  const floors = [];
  try {
    const body = `<!DOCTYPE html><html><body><p>${'NetLab bench. '.repeat(80)}</p></body></html>\n`.slice(0, 1023) + '\n';
    const site = path.join(lab.dir, 'data', 'sites', HOST);
    fs.mkdirSync(site, { recursive: true });
    fs.writeFileSync(path.join(site, FILE), body);
    if (base) {
      const baseSite = path.join(base.dir, 'data', 'sites', HOST);
      fs.mkdirSync(baseSite, { recursive: true });
      fs.writeFileSync(path.join(baseSite, FILE), body);
    }
    for (const port of base ? [PORTS.lab, PORTS.base] : [PORTS.lab]) {
      if (!(await untilAnswers(port))) throw new Error(`the lab HTTPS server on ${port} does not answer`);
    }
    // nginx serves with the lab's own certificate for localhost (no SNI from wrk to an IP)
    const leaf = fs.readFileSync(path.join(lab.dir, 'data', 'tls', 'hosts', 'localhost.pem'), 'utf8');
    const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----\n/.exec(leaf)[0];
    // nginx's worker runs as another user: it must reach the file
    fs.chmodSync(lab.dir, 0o755);
    const ngDir = path.join(lab.dir, 'nginx');
    const root = path.join(ngDir, 'www');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, FILE), body);
    fs.writeFileSync(path.join(ngDir, 'key.pem'), key, { mode: 0o600 });
    fs.writeFileSync(path.join(ngDir, 'cert.pem'), leaf.replace(key, ''));
    nginx = have('nginx') ? start(which('nginx'), ['-c', nginxConf(ngDir, root, path.join(ngDir, 'cert.pem'), path.join(ngDir, 'key.pem')), '-p', ngDir]) : null;
    if (nginx) {
      if (!(await untilAnswers(PORTS.nginx))) throw new Error(`nginx does not answer: ${nginx.output()} ${fs.readFileSync(path.join(ngDir, "nginx-error.log"), "utf8")}`);
    }
    // Node alone: the same key, certificate and page as nginx
    for (const [kind, port] of [['tls', PORTS.nodeTls], ['tls-stream', PORTS.nodeStream]]) {
      floors.push(startNodeFloor(kind, port, path.join(ngDir, 'key.pem'), path.join(ngDir, 'cert.pem'), path.join(root, FILE)));
      if (!(await untilAnswers(port))) throw new Error(`Node alone (${kind}) does not answer: ${floors.at(-1).output()}`);
    }
    const [nodeTls, nodeStream] = floors.map((f) => [f.child.pid]);
    const labPids = [lab.pid];
    const targets = [
      { key: 'labKeep', what: 'NetLab HTTPS, keep-alive, 1 KiB GETs (capture on)', run: () => wrk(PORTS.lab, false, labPids) },
      nginx && { key: 'nginxKeep', what: 'nginx TLS, 1 worker, keep-alive, 1 KiB GETs', run: () => wrk(PORTS.nginx, false, withChildren(nginx.child.pid)) },
      { key: 'labNew', what: 'NetLab HTTPS, a handshake per request (capture on)', run: () => wrk(PORTS.lab, true, labPids) },
      nginx && { key: 'nginxNew', what: 'nginx TLS, 1 worker, a handshake per request', run: () => wrk(PORTS.nginx, true, withChildren(nginx.child.pid)) },
      base && { key: 'baseKeep', what: 'NetLab HTTPS of HTTPS_BENCH_BASE, keep-alive (capture on)', run: () => wrk(PORTS.base, false, [base.pid]) },
      base && { key: 'baseNew', what: 'NetLab HTTPS of HTTPS_BENCH_BASE, a handshake per request (capture on)', run: () => wrk(PORTS.base, true, [base.pid]) },
      { key: 'nodeTlsKeep', what: 'Node alone, TLS on the socket, keep-alive', run: () => wrk(PORTS.nodeTls, false, nodeTls) },
      { key: 'nodeStreamKeep', what: 'Node alone, TLS over a JavaScript stream, keep-alive', run: () => wrk(PORTS.nodeStream, false, nodeStream) },
      { key: 'nodeTlsNew', what: 'Node alone, TLS on the socket, a handshake per request', run: () => wrk(PORTS.nodeTls, true, nodeTls) },
      { key: 'nodeStreamNew', what: 'Node alone, TLS over a JavaScript stream, a handshake per request', run: () => wrk(PORTS.nodeStream, true, nodeStream) },
      nginx && { key: 'nginxFull', what: 'nginx TLS, 1 worker, a handshake per request, no session tickets', run: () => wrk(PORTS.nginxFull, true, withChildren(nginx.child.pid)) },
    ].filter(Boolean);
    // a running server is warm (as the mail and imap benches do): its first seconds compile the
    // TLS and HTTP paths, and measured cold the lab's first round says more about V8 than about it
    // and so are the Node-alone servers (nginx is warm from its first request)
    for (const [port, pids] of [[PORTS.lab, labPids], base && [PORTS.base, [base.pid]], [PORTS.nodeTls, nodeTls], [PORTS.nodeStream, nodeStream]].filter(Boolean)) {
      wrk(port, false, pids);
      wrk(port, true, pids);
    }
    const runs = Object.fromEntries(targets.map((t) => [t.key, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of round % 2 ? [...targets].reverse() : targets) runs[t.key].push(t.run());
    }
    const ratio = (a, b) => (runs[a] && runs[b] ? median(runs[a].map((r, i) => r.rps / runs[b][i].rps)) : NaN);
    console.log(`\nwrk -t2 -c50 -d${SECONDS}s over TLS, ${ROUNDS} interleaved rounds (medians), ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores shared with wrk and with other work on the machine\n`);
    console.log('| target | req/s | server CPU/request | non-2xx | socket errors | req/s by round |');
    console.log('| --- | ---: | ---: | ---: | --- | --- |');
    const results = targets.map((t) => {
      const rs = runs[t.key];
      const row = { what: t.what, rps: median(rs.map((r) => r.rps)), cpuUsPerReq: median(rs.map((r) => r.cpuUsPerReq)), errors: rs.reduce((a, r) => a + r.errors, 0), socketErrors: [...new Set(rs.map((r) => r.socketErrors).filter(Boolean))].join('; '), rounds: rs.map((r) => Math.round(r.rps)) };
      console.log(`| ${row.what} | ${fmt(row.rps)} | ${fmt(row.cpuUsPerReq, 1)} µs | ${row.errors} | ${row.socketErrors || '—'} | ${row.rounds.join(', ')} |`);
      return row;
    });
    const ratios = { keepAlive: ratio('labKeep', 'nginxKeep'), handshakes: ratio('labNew', 'nginxNew'), fullHandshakes: ratio('labNew', 'nginxFull') };
    console.log(`\nNetLab / nginx: keep-alive GETs ${fmt(ratios.keepAlive, 2)}, handshakes ${fmt(ratios.handshakes, 2)} (goal ≥ 0.5 each); against nginx without tickets ${fmt(ratios.fullHandshakes, 2)}`);
    Object.assign(ratios, { nodeTlsKeepAlive: ratio('nodeTlsKeep', 'nginxKeep'), nodeTlsHandshakes: ratio('nodeTlsNew', 'nginxNew'), nodeStreamKeepAlive: ratio('nodeStreamKeep', 'nginxKeep'), nodeStreamHandshakes: ratio('nodeStreamNew', 'nginxNew') });
    console.log(`Node alone / nginx: TLS on the socket: keep-alive ${fmt(ratios.nodeTlsKeepAlive, 2)}, handshakes ${fmt(ratios.nodeTlsHandshakes, 2)}; over a JavaScript stream (as the lab must, to record the records): keep-alive ${fmt(ratios.nodeStreamKeepAlive, 2)}, handshakes ${fmt(ratios.nodeStreamHandshakes, 2)}`);
    if (base) {
      Object.assign(ratios, { baseKeepAlive: ratio('baseKeep', 'nginxKeep'), baseHandshakes: ratio('baseNew', 'nginxNew') });
      const cpu = (k) => median(runs[k].map((r) => r.cpuUsPerReq));
      console.log(`HTTPS_BENCH_BASE / nginx: keep-alive GETs ${fmt(ratios.baseKeepAlive, 2)}, handshakes ${fmt(ratios.baseHandshakes, 2)}; lab CPU per request, this build vs base: keep-alive ${fmt(cpu('labKeep'))} vs ${fmt(cpu('baseKeep'))} µs, a handshake per request ${fmt(cpu('labNew'))} vs ${fmt(cpu('baseNew'))} µs`);
    }
    const artifacts = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'tests', 'artifacts');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'bench-https.json'), JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, results, ratios }, null, 2));
  } finally {
    await stop(nginx);
    for (const f of floors) await stop(f);
    await lab.stop();
    await base?.stop();
    killChildren();
    killAll();
    dropSnapshot();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench https: ${err.stack ?? err}`);
    killChildren();
    process.exit(1);
  },
);
